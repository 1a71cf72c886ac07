/**
 * The handlers for URLs that need no server: `file:` (`FileHandler`),
 * `data:` (`DataHandler`, RFC 2397), and the last resort for any other
 * scheme (`UnknownHandler`). Plus Python's `url2pathname`/`pathname2url`.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { a2bBase64 } from "../../_binascii.js";
import { OSError, ValueError } from "../../errors/index.js";
import { BytesSource, readableSource } from "../../io/memory.js";
import { BufferedReader } from "../../io/reader.js";
import { guessType } from "../../mimetypes.js";
import { gethostbyname, gethostbyname_ex, gethostname } from "../../socket/names.js";
import { parseHeaderBlock } from "../../textproto/header.js";
import { URLError } from "../error.js";
import { quote, unquote, unquoteToBytes } from "../parse.js";
import { addinfourl, type ResponseBody } from "../response.js";
import { BaseHandler } from "./opener.js";
import type { Request } from "./request.js";
import { splitport } from "./split.js";

/** Python's `url2pathname` (POSIX): the path a `file:` URL's path names. */
export function url2pathname(pathname: string): string {
  return unquote(pathname);
}

/** Python's `pathname2url` (POSIX): a path as the path of a `file:` URL. */
export function pathname2url(pathname: string): string {
  return quote(pathname);
}

/** Python's `UnknownHandler`: fails every scheme no other handler opened. */
export class UnknownHandler extends BaseHandler {
  /** @throws URLError "unknown url type: SCHEME" */
  unknownOpen(req: Request): never {
    throw new URLError(`unknown url type: ${req.type}`);
  }
}

/**
 * Python's `urllib.request.FileHandler`: opens `file:` URLs on this machine
 * (`file:///etc/hosts`, `file://localhost/etc/hosts`), with Content-type,
 * Content-length and Last-modified headers. A `file:` URL naming another
 * host fails.
 */
export class FileHandler extends BaseHandler {
  /** This machine's addresses, looked up once (Python's `FileHandler.names`). */
  static names: string[] | undefined;

  /** Opens a `file:` URL. */
  async fileOpen(req: Request): Promise<addinfourl> {
    const url = req.selector;
    if (url.startsWith("//") && url[2] !== "/" && req.host && req.host !== "localhost") {
      if (!(await this.getNames()).includes(req.host)) {
        throw new URLError("file:// scheme is supported only on localhost");
      }
    }
    return this.openLocalFile(req);
  }

  /** Python's `get_names()`: the addresses of `localhost` and of this host's name. */
  async getNames(): Promise<string[]> {
    if (FileHandler.names === undefined) {
      try {
        FileHandler.names = [
          ...(await gethostbyname_ex("localhost"))[2],
          ...(await gethostbyname_ex(gethostname()))[2],
        ];
      } catch (err) {
        if (!(err instanceof OSError)) throw err; // Python: except socket.gaierror
        FileHandler.names = [await gethostbyname("localhost")];
      }
    }
    return FileHandler.names;
  }

  /** Python's `open_local_file(req)`. */
  async openLocalFile(req: Request): Promise<addinfourl> {
    const filename = req.selector;
    const localfile = url2pathname(filename);
    try {
      const stats = await stat(localfile);
      const [type] = guessType(filename);
      const headers = parseHeaderBlock(
        `Content-type: ${type ?? "text/plain"}\nContent-length: ${stats.size}\nLast-modified: ${stats.mtime.toUTCString()}\n`,
      );
      let host: string | null = req.host || null;
      let port: string | null = null;
      if (host) [host, port] = splitport(host);
      const local = !host || (!port && (await this.getNames()).includes(await safeGethostbyname(host)));
      if (local) {
        const origurl = host ? `file://${host}${filename}` : `file://${filename}`;
        const stream = createReadStream(localfile);
        const body = readerBody(new BufferedReader(readableSource(stream)), () => stream.destroy());
        return new addinfourl(body, headers, origurl);
      }
    } catch (err) {
      if (err instanceof OSError) throw new URLError(err);
      if (typeof (err as NodeJS.ErrnoException).errno === "number") {
        throw new URLError(OSError.fromNodeError(err, localfile));
      }
      throw err;
    }
    throw new URLError("file not on local host");
  }
}

/** A response body read through a `BufferedReader`; `onClose` frees what is under it. */
function readerBody(reader: BufferedReader, onClose?: () => void): ResponseBody {
  return {
    read: (n) => reader.read(n),
    read1: (n) => reader.read1(n),
    readinto: (b) => reader.readinto(b),
    readline: (limit) => reader.readline(limit),
    close: () => {
      reader.close();
      onClose?.();
    },
  };
}

/** Python's `_safe_gethostbyname`: the address, or "" when the name does not resolve. */
async function safeGethostbyname(host: string): Promise<string> {
  try {
    return await gethostbyname(host);
  } catch (err) {
    if (!(err instanceof OSError)) throw err; // Python: except socket.gaierror
    return "";
  }
}

/**
 * Python's `urllib.request.DataHandler`: opens `data:` URLs (RFC 2397),
 * percent-decoded and, with `;base64`, base64-decoded.
 *
 * @example
 * ```ts
 * const res = await urlopen("data:text/plain;base64,aGVsbG8=");
 * (await res.read()).toString(); // "hello"
 * ```
 */
export class DataHandler extends BaseHandler {
  /**
   * Opens a `data:` URL.
   * @throws ValueError for a URL without a comma
   * @throws BinasciiError (a `ValueError`, Python's `binascii.Error`) for base64 with a bad length or padding
   */
  dataOpen(req: Request): addinfourl {
    const url = req.fullUrl;
    const afterScheme = url.slice(url.indexOf(":") + 1);
    const comma = afterScheme.indexOf(",");
    if (comma < 0) throw new ValueError("not enough values to unpack (expected 2, got 1)");
    let mediatype = afterScheme.slice(0, comma);
    let data = unquoteToBytes(afterScheme.slice(comma + 1));
    if (mediatype.endsWith(";base64")) {
      data = a2bBase64(data); // Python: base64.decodebytes, binascii's lenient (not strict) decoding
      mediatype = mediatype.slice(0, -7);
    }
    if (!mediatype) mediatype = "text/plain;charset=US-ASCII";
    const headers = parseHeaderBlock(`Content-type: ${mediatype}\nContent-length: ${data.length}\n`);
    return new addinfourl(readerBody(new BufferedReader(new BytesSource(data))), headers, url);
  }
}
