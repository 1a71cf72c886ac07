/**
 * `netkit/gopherlib`: the Gopher protocol (RFC 1436), client and server.
 * Python 2.5's `gopherlib` (removed in Python 3) is the client's model:
 * `sendSelector`, `sendQuery`, `getDirectory`, `getTextfile`,
 * `getBinary` and the `A_` type constants, extended to every RFC 1436
 * and gopher+ type and the common extensions, with typed menu items and
 * bounded reads. `GopherServer` serves a directory tree with gophermaps.
 * `urlopen("gopher://...")` goes through urllib's `GopherHandler`.
 *
 * ```text
 *   client                                    server
 *   sendSelector("/docs/", host, port) ──────► GopherServer (socketserver)
 *     GopherReply.readMenu()  ◄── menu ─────── gophermap, or a listing
 *     GopherReply.readText()  ◄── text ─────── dot-stuffed, "." line
 *     GopherReply.readBinary()◄── bytes ────── as they are, then close
 * ```
 *
 * - `menu.ts`: `parseMenu`, `parseMenuLine`, `formatMenuLine` (pure; defects, never a lost menu)
 * - `url.ts`: `parseGopherUrl`, `formatGopherUrl` (RFC 4266; pure)
 * - `gophermap.ts`: `parseGophermap` (gophernicus's syntax, a documented subset; pure)
 * - `client.ts`, `server.ts`, `errors.ts`, `limits.ts`, `types.ts`
 *
 * @example
 * ```ts
 * import { GopherServer, sendSelector } from "netkit/gopherlib";
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const dir = mkdtempSync(join(tmpdir(), "gopher-"));
 * writeFileSync(join(dir, "about.txt"), "Hello, Gopher.\n");
 * await using server = new GopherServer(["127.0.0.1", 0], { directory: dir });
 * await server.ready;
 * const serving = server.serveForever(0.05);
 * const port = server.serverAddress[1] as number;
 * {
 *   await using reply = await sendSelector("", "127.0.0.1", port, { timeout: 10 });
 *   for (const item of (await reply.readMenu()).items) console.log(item.type, item.display, item.selector);
 * }
 * await server.shutdown();
 * await serving;
 * ```
 *
 * @module
 */
export {
  DEFAULT_TIMEOUT,
  GopherReply,
  getAltBinary,
  getAltTextfile,
  getBinary,
  getDirectory,
  getTextfile,
  type ReadBinaryOptions,
  type ReadBlockOptions,
  type ReadMenuOptions,
  type SendOptions,
  sendQuery,
  sendSelector,
  type TextReply,
} from "./client.js";
export { GopherError, GopherTooLargeError, GopherUnterminatedError, GopherURLError } from "./errors.js";
export {
  type Gophermap,
  type GophermapContext,
  type GophermapEntry,
  type GophermapInclude,
  type GophermapItem,
  type GophermapListing,
  parseGophermap,
} from "./gophermap.js";
export { GOPHER_LIMITS } from "./limits.js";
export {
  describeItem,
  errorItem,
  formatMenu,
  formatMenuLine,
  infoItem,
  itemToList,
  type Menu,
  type MenuDefect,
  type MenuDefectKind,
  type MenuItem,
  type MenuLineResult,
  type ParseMenuOptions,
  parseMenu,
  parseMenuLine,
} from "./menu.js";
export {
  GopherRequestHandler,
  GopherServer,
  type GopherServerOptions,
  type SearchHook,
  selectorPath,
} from "./server.js";
export * from "./types.js";
export {
  DEF_PORT,
  formatGopherUrl,
  type GopherURL,
  type GopherURLParts,
  parseGopherUrl,
  pathToDatatypeName,
  pathToSelector,
  splitgophertype,
} from "./url.js";
