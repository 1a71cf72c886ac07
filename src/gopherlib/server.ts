/**
 * `GopherServer`: a Gopher server (RFC 1436) on socketserver, serving a
 * directory tree, so the tutorial's client/server model exists on both
 * sides. Python never had one; the request flow is socketserver's, the
 * command loop `LineRequestHandler`'s (one line per connection), the
 * menus gophernicus's.
 *
 * ```text
 * connection ─► GopherRequestHandler (LineRequestHandler: idle and line timeouts, selector length limit)
 *   └─ handleCommandLine("selector[TAB search[TAB gopher+]]")
 *        ├─ search given and a `search` hook ─► its items as a menu
 *        ├─ selectorPath: lexical (no "..", no dotfiles) ─► servablePath (src/_contain.ts:
 *        │     the real path inside the root's real path: no escape by symbolic link)
 *        ├─ directory ─► its gophermap (gophermap.ts), else a listing ─► menu, "." line
 *        ├─ text file (type 0, 4, 6) ─► dot-stuffed (textproto's DotStuffer), "." line
 *        └─ anything else ─► its bytes as they are, then close
 * anything that cannot be served ─► a type 3 error menu
 * ```
 *
 * Methods to override on the handler: `serveSelector`, `menuFor`,
 * `listDirectory`. Options on the server: `directory`, `hostname`,
 * `port` (what menus announce), `gophermap` (the map's file name),
 * `search` (the type 7 hook), `followSymlinks`.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { posix, resolve } from "node:path";
import { closeFile, openRegularFile, readFileAt, servablePath } from "../_contain.js";
import { ENOENT, OSError } from "../errors/index.js";
import type { Address } from "../socket/address.js";
import { AF_INET6 } from "../socket/constants.js";
import type { Socket } from "../socket/socket.js";
import type { RequestHandlerClass } from "../socketserver/base.js";
import { LineRequestHandler } from "../socketserver/line.js";
import { ThreadingTCPServer } from "../socketserver/threading.js";
import { DotStuffer } from "../textproto/writer.js";
import { parseGophermap } from "./gophermap.js";
import { GOPHER_LIMITS } from "./limits.js";
import { errorItem, formatMenuLine, type MenuItem } from "./menu.js";
import { A_MENU, A_TEXT, itemKind, typeForFile } from "./types.js";

/** A type 7 search: the items of the results menu for `query` at `selector`. */
export type SearchHook = (selector: string, query: string) => MenuItem[] | Promise<MenuItem[]>;

/** Options of `GopherServer`. */
export interface GopherServerOptions {
  /** The directory served. @default the current directory */
  directory?: string;
  /** The host name menus announce for this server's items. @default the address the server is bound to */
  hostname?: string;
  /** The port menus announce. @default the port the server is bound to */
  port?: number;
  /** The name of a directory's gophermap. @default "gophermap" */
  gophermap?: string;
  /** Answers type 7 searches (a selector with a TAB and a query). @default none: a search gets an error */
  search?: SearchHook;
  /** Serve files that symbolic links lead to outside `directory`. @default false */
  followSymlinks?: boolean;
  /** Seconds a client may take to send its selector. @default 30 */
  timeout?: number | null;
  /**
   * Send text files dot-stuffed with a `.` line, as RFC 1436 says. `false`
   * sends them as they are (gophernicus does), which lynx and curl show
   * unchanged: they neither unstuff `..` nor hide the `.` line.
   * @default true
   */
  dotStuffText?: boolean;
}

const TEXT_SNIFF = 512;

/**
 * The path under `root` that `selector` names, or `undefined` when it may
 * not name one: a `..` or a dotfile component (hidden, as gophernicus
 * hides them), a NUL, or a backslash. Lexical only: symbolic links are
 * checked by `servablePath`. A selector is a path from the root whether or
 * not it starts with `/`. Pure.
 * @param selector the selector
 * @param root the served directory
 * @returns the path, or `undefined`
 */
export function selectorPath(selector: string, root: string): string | undefined {
  if (selector.includes("\0") || selector.includes("\\")) return undefined;
  const parts: string[] = [];
  for (const part of selector.split("/")) {
    if (part === "" || part === ".") continue;
    if (part.startsWith(".")) return undefined;
    parts.push(part);
  }
  return posix.join(root, ...parts);
}

/**
 * The handler of `GopherServer`: reads one selector line and serves it
 * (see the module doc).
 */
export class GopherRequestHandler extends LineRequestHandler<GopherServer> {
  /** RFC 1436 selectors stay short; gophernicus reads 1024 bytes. */
  override commandSizeLimit = GOPHER_LIMITS.selector;
  override lineTooLongReply: string | null = `${formatMenuLine(errorItem("Selector too long"))}\r\n.`;
  override closeOnLineTooLong = true;
  override wbufsize = 64 * 1024;
  /** Seconds any one write to the client may wait (a client that stops reading is dropped). @default 60 */
  override timeout: number | null = 60;

  override async setup(): Promise<void> {
    this.idleTimeout = this.server.selectorTimeout;
    this.commandTimeout = this.server.selectorTimeout;
    await super.setup();
  }

  override async undecodableLine(_line: Buffer): Promise<void> {
    await this.sendError("Selector is not UTF-8");
    this.closeConnection = true;
  }

  override async handleCommandLine(line: Buffer): Promise<void> {
    this.closeConnection = true;
    const text = this.decodeCommand(line);
    if (text === null) return this.undecodableLine(line);
    const [selector = "", search, gopherPlus] = text.split("\t");
    void gopherPlus;
    await this.serveSelector(selector, search ?? null);
  }

  /**
   * Serves one selector: a search, a directory's menu, a text or a binary file.
   * @param selector the selector
   * @param search the search string after a TAB, or `null`
   */
  async serveSelector(selector: string, search: string | null): Promise<void> {
    const server = this.server;
    if (search !== null && server.search !== undefined) {
      await this.sendMenu(await server.search(selector, search));
      return;
    }
    const path = selectorPath(selector, server.directory);
    const real =
      path === undefined ? undefined : await servablePath(path, server.directory, server.followSymlinks);
    const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
    // Neither a file nor a directory (a FIFO, a device): nothing to serve.
    if (real === undefined || info === undefined || !(info.isFile() || info.isDirectory())) {
      await this.sendError(`Not found: ${selector}`);
      return;
    }
    if (info.isDirectory()) {
      const dirSelector = selector.endsWith("/") ? selector : `${selector}/`;
      await this.sendMenu(
        await this.menuFor(real, dirSelector.startsWith("/") ? dirSelector : `/${dirSelector}`),
      );
    } else if (server.dotStuffText && itemKind(await fileType(real, posix.basename(real))) === "text") {
      await this.sendText(real);
    } else {
      await this.sendFile(real);
    }
  }

  /**
   * The menu of a directory: its gophermap's, else its listing.
   * @param dir the directory's real path
   * @param dirSelector its selector, ending in `/`
   * @returns the items
   */
  async menuFor(dir: string, dirSelector: string): Promise<MenuItem[]> {
    return (
      (await this.#mapItems(dir, dirSelector, posix.join(dir, this.server.gophermap), 0)) ??
      this.listDirectory(dir, dirSelector)
    );
  }

  /** A gophermap's items, includes and listing resolved; `undefined` when there is no such file. */
  async #mapItems(
    dir: string,
    dirSelector: string,
    mapPath: string,
    depth: number,
  ): Promise<MenuItem[] | undefined> {
    const server = this.server;
    const real = await servablePath(mapPath, server.directory, server.followSymlinks);
    if (real === undefined) return undefined;
    const info = await stat(real).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.size > GOPHER_LIMITS.gophermapBytes) return undefined;
    const text = await readFile(real, "utf8");
    const map = parseGophermap(text, {
      directory: dirSelector,
      host: server.hostname,
      port: server.announcedPort,
    });
    const items: MenuItem[] = [];
    for (const entry of map.entries) {
      if (entry.kind === "item") items.push(entry.item);
      else if (entry.kind === "listing")
        items.push(...(await this.listDirectory(dir, dirSelector, map.hidden, map.types)));
      else if (depth < GOPHER_LIMITS.gophermapDepth) {
        const file = entry.file.startsWith("/")
          ? selectorPath(entry.file, server.directory)
          : posix.join(dir, entry.file);
        const included =
          file === undefined ? undefined : await this.#mapItems(dir, dirSelector, file, depth + 1);
        if (included !== undefined) items.push(...included);
      }
    }
    return items;
  }

  /**
   * A directory's generated menu: every file and directory but dotfiles, the
   * gophermap, hidden names and names holding TAB, CR or LF, sorted by name, each
   * typed by its name (`typeForFile`, `types` first); symbolic links
   * leading outside the root are left out.
   * @param dir the directory's real path
   * @param dirSelector its selector, ending in `/`
   * @param hidden names to leave out
   * @param types types by lower-case extension
   * @returns the items
   */
  async listDirectory(
    dir: string,
    dirSelector: string,
    hidden: ReadonlySet<string> = new Set(),
    types: ReadonlyMap<string, string> = new Map(),
  ): Promise<MenuItem[]> {
    const server = this.server;
    const entries = (await readdir(dir, { withFileTypes: true })).filter(
      ({ name }) =>
        !name.startsWith(".") && name !== server.gophermap && !hidden.has(name) && !/[\t\r\n\0]/.test(name),
    );
    entries.sort((a, b) => {
      const x = a.name.toLowerCase();
      const y = b.name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const items: MenuItem[] = [];
    for (const entry of entries) {
      const name = entry.name;
      let real: string | undefined;
      let isDirectory: boolean;
      if (entry.isFile() || entry.isDirectory()) {
        // `dir` is a real path inside the root, and this entry is no link: its real path is
        // `dir/name`, inside too. No look-up per entry (only links need servablePath's).
        real = posix.join(dir, name);
        isDirectory = entry.isDirectory();
      } else {
        real = await servablePath(posix.join(dir, name), server.directory, server.followSymlinks);
        const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
        // A FIFO, a device or a socket is never served: not listed either.
        if (real === undefined || info === undefined || !(info.isFile() || info.isDirectory())) continue;
        isDirectory = info.isDirectory();
      }
      const ext = posix.extname(name).slice(1).toLowerCase();
      const type = isDirectory ? A_MENU : (types.get(ext) ?? (await fileType(real, name)));
      const selector = `${dirSelector}${name}${isDirectory ? "/" : ""}`;
      items.push({
        type,
        display: name,
        selector,
        host: server.hostname,
        port: server.announcedPort,
        plus: "",
        extra: [],
      });
    }
    return items;
  }

  /** Sends a menu and its `.` line. */
  async sendMenu(items: Iterable<MenuItem>): Promise<void> {
    for (const item of items) {
      let line: string;
      try {
        line = formatMenuLine(item);
      } catch {
        continue; // an item a hook made with a TAB or line break in a field: never sent half-formed
      }
      await this.wfile.write(Buffer.from(`${line}\r\n`, "utf8"));
    }
    await this.wfile.write(Buffer.from(".\r\n"));
  }

  /** Sends a one-line error menu (type 3). */
  async sendError(message: string): Promise<void> {
    await this.sendMenu([errorItem(message)]);
  }

  /**
   * Sends a text file dot-stuffed, line ends as CRLF, then its `.` line.
   * @throws OSError when `path` is no regular file
   */
  async sendText(path: string): Promise<void> {
    const stuffer = new DotStuffer();
    for await (const chunk of regularFileChunks(path)) await this.wfile.write(stuffer.push(chunk));
    await this.wfile.write(stuffer.end());
  }

  /**
   * Sends a file's bytes as they are.
   * @throws OSError when `path` is no regular file
   */
  async sendFile(path: string): Promise<void> {
    for await (const chunk of regularFileChunks(path)) await this.wfile.write(chunk);
  }
}

/**
 * The bytes of the regular file at `path`, in 64 KiB chunks; the file is
 * closed when they end or the loop over them stops.
 * @throws OSError (ENOENT) when `path` is missing or no regular file: a FIFO is never waited on
 */
async function* regularFileChunks(path: string): AsyncGenerator<Buffer> {
  const file = await openRegularFile(path);
  if (file === undefined) throw new OSError(ENOENT, "No such regular file", path);
  yield* createReadStream("", { fd: file.fd, highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>;
}

/** A file's type: by name, and for a name with no extension by its first bytes (a NUL: binary). */
async function fileType(path: string, name: string): Promise<string> {
  const type = typeForFile(name);
  if (type !== A_TEXT || posix.extname(name) !== "") return type;
  const file = await openRegularFile(path);
  if (file === undefined) return type;
  try {
    const head = Buffer.alloc(TEXT_SNIFF);
    const bytesRead = await readFileAt(file, head, 0, TEXT_SNIFF, 0);
    return head.subarray(0, bytesRead).includes(0) ? "9" : type;
  } finally {
    await closeFile(file);
  }
}

/**
 * A Gopher server for a directory tree (see the module doc): a
 * `ThreadingTCPServer` whose handler is `GopherRequestHandler`.
 *
 * @example
 * ```ts
 * import { GopherServer } from "netkit/gopherlib";
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
 *   await using reply = await sendSelector("/about.txt", "127.0.0.1", port, { timeout: 10 });
 *   console.log((await reply.readText()).lines.map(String)); // ["Hello, Gopher."]
 * }
 * await server.shutdown(); // from Ctrl-C, a signal handler, or another task
 * await serving;
 * ```
 */
export class GopherServer extends ThreadingTCPServer {
  /** The directory served, absolute. */
  readonly directory: string;
  /** The name of a directory's gophermap. */
  readonly gophermap: string;
  /** The type 7 search hook, if any. */
  readonly search: SearchHook | undefined;
  /** Serve files that links lead to outside `directory`. */
  readonly followSymlinks: boolean;
  /** Seconds a client may take to send its selector (`null`: no limit). */
  readonly selectorTimeout: number | null;
  /** Send text files dot-stuffed with a `.` line (RFC 1436). */
  readonly dotStuffText: boolean;
  readonly #hostname: string | undefined;
  readonly #port: number | undefined;

  /**
   * @param address where to listen: `[host, port]` (port 0: any free port)
   * @param options the directory, what menus announce, the gophermap's name, search, timeouts
   * @param handler the handler class @default GopherRequestHandler
   */
  constructor(
    address: [string, number],
    options: GopherServerOptions = {},
    handler: typeof GopherRequestHandler = GopherRequestHandler,
  ) {
    super(address, handler as unknown as RequestHandlerClass);
    if (address[0].includes(":")) this.addressFamily = AF_INET6;
    this.directory = resolve(options.directory ?? process.cwd());
    this.gophermap = options.gophermap ?? "gophermap";
    this.search = options.search;
    this.followSymlinks = options.followSymlinks ?? false;
    this.selectorTimeout = options.timeout === undefined ? 30 : options.timeout;
    this.dotStuffText = options.dotStuffText ?? true;
    this.#hostname = options.hostname;
    this.#port = options.port;
  }

  /** The listening socket (socketserver's `socket`, documented again for the API reference). */
  declare readonly socket: Socket;

  /** The host name menus announce: the option, else the bound address. */
  get hostname(): string {
    return this.#hostname ?? String((this.serverAddress as Address as [string, number])[0]);
  }

  /** The port menus announce: the option, else the bound port. */
  get announcedPort(): number {
    return this.#port ?? (this.serverAddress as [string, number])[1];
  }
}
