/**
 * `GopherHandler`: `gopher:` URLs for `urlopen`, as Python 2's urllib2 had
 * (`gopher_open`, removed with gopherlib in Python 2.6/3). The URL's path
 * gives the item type (its first character) and the selector; `%09`
 * starts a type 7 search (RFC 4266), or `?query` on a type 7 URL, as
 * Python 2 did (see netkit/gopherlib's `parseGopherUrl`). The body is the
 * server's reply as it came, a menu's or a text's `.` line included, as
 * Python 2 returned it; netkit/gopherlib's `parseMenu` reads a menu.
 *
 * @module
 */
import { OSError, TimeoutError } from "../../errors/index.js";
import { sendSelector } from "../../gopherlib/client.js";
import { GopherURLError } from "../../gopherlib/errors.js";
import { parseGopherUrl } from "../../gopherlib/url.js";
import { getdefaulttimeout } from "../../socket/socket.js";
import { parseHeaderBlock } from "../../textproto/header.js";
import { URLError } from "../error.js";
import { addinfourl } from "../response.js";
import { DEFAULT_TIMEOUT } from "./http.js";
import { BaseHandler } from "./opener.js";
import type { Request } from "./request.js";

/**
 * Python 2 urllib2's `GopherHandler`: opens `gopher:` URLs with
 * netkit/gopherlib. One of `buildOpener`'s default handlers.
 *
 * @example
 * ```ts
 * import { GopherServer } from "netkit/gopherlib";
 * import { urlopen } from "netkit/urllib/request";
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
 *   await using res = await urlopen(`gopher://127.0.0.1:${port}/0/about.txt`, { timeout: 10 });
 *   console.log((await res.read()).toString()); // "Hello, Gopher.\r\n.\r\n"
 * }
 * await server.shutdown();
 * await serving;
 * ```
 */
export class GopherHandler extends BaseHandler {
  /**
   * Opens a `gopher:` URL: sends its selector (and search) and answers with
   * the reply's bytes, no headers (Python's `noheaders()`).
   * @throws URLError "no host given" for a URL without a host (as Python 2),
   *   for a bad port, and around the connection's errors (refused, timed out)
   */
  async gopherOpen(req: Request): Promise<addinfourl> {
    let url: ReturnType<typeof parseGopherUrl>;
    try {
      url = parseGopherUrl(req.fullUrl);
    } catch (err) {
      if (!(err instanceof GopherURLError)) throw err;
      throw new URLError(req.host ? err.message : "gopher error: no host given");
    }
    const fields = [url.selector];
    if (url.search !== null) fields.push(url.search);
    if (url.gopherPlus !== null) fields.push(url.gopherPlus);
    const timeout = req.timeout === undefined ? (getdefaulttimeout() ?? DEFAULT_TIMEOUT) : req.timeout;
    req.signal?.throwIfAborted();
    let reply: Awaited<ReturnType<typeof sendSelector>>;
    try {
      reply = await sendSelector(fields.join("\t"), url.host, url.port, { timeout });
    } catch (err) {
      if (err instanceof OSError || err instanceof TimeoutError) throw new URLError(err);
      throw err;
    }
    const onAbort = () => reply.close();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    const reader = reply.reader;
    const body = {
      read: (n?: number) => reader.read(n),
      read1: (n?: number) => reader.read1(n),
      readinto: (b: Uint8Array) => reader.readinto(b),
      readline: (limit?: number) => reader.readline(limit),
      close: () => {
        req.signal?.removeEventListener("abort", onAbort);
        reply.close();
      },
    };
    return new addinfourl(body, parseHeaderBlock(""), req.fullUrl);
  }
}
