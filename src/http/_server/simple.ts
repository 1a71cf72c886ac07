/**
 * Python's `http.server.SimpleHTTPRequestHandler`: serves the files under a
 * directory (GET and HEAD), with directory listings, made safe and given the
 * conditional and partial requests a file server needs.
 *
 * ```text
 * doGET ─► sendHead ─► translatePath ─► servablePath (the real path, inside the directory's real path)
 *            │           directory:   301 to add "/", index.html / index.htm, or listDirectory
 *            │           file:        304 (If-None-Match / If-Modified-Since), 206 / 416 (Range), 200
 *            └─► copyfile  (the file in FILE_CHUNK pieces, or head + small body in one write)
 * ```
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { lstat, open, readdir, stat } from "node:fs/promises";
import { EIO, isSystemError, OSError, ValueError } from "../../errors/index.js";
import type { BufferedWriter } from "../../io/writer.js";
import { guessType as mimeGuessType } from "../../mimetypes.js";
import type { Address } from "../../socket/address.js";
import type { Socket } from "../../socket/socket.js";
import type { AnyServer } from "../../socketserver/base.js";
import { urlsplit, urlunsplit } from "../../urllib/parse.js";
import { BaseHTTPRequestHandler } from "./base.js";
import { ifModifiedSinceSeconds } from "./dates.js";
import {
  fileETag,
  type ListingEntry,
  listingPage,
  parseETagList,
  parseRange,
  servablePath,
  servablePathSync,
  translatePath,
  unquotePath,
  weakMatch,
} from "./files.js";
import { FILE_CHUNK, SINGLE_WRITE_MAX } from "./limits.js";

/** Python's `SimpleHTTPRequestHandler.extensions_map` default: shared, like Python's class attribute. */
export const EXTENSIONS_MAP: Map<string, string> = new Map([
  [".gz", "application/gzip"],
  [".Z", "application/octet-stream"],
  [".bz2", "application/x-bzip2"],
  [".xz", "application/x-xz"],
]);

/**
 * Read buffers of FILE_CHUNK bytes for `copyfile`, reused from response to
 * response. A fresh buffer per chunk kept V8's garbage collector busy for a
 * fifth of the server's time with 50 clients downloading 1 MiB files.
 * At most SPARE_FILE_CHUNKS wait here between downloads.
 */
const spareFileChunks: Buffer[] = [];
const SPARE_FILE_CHUNKS = 16;

function takeFileChunk(): Buffer {
  return spareFileChunks.pop() ?? Buffer.allocUnsafeSlow(FILE_CHUNK);
}

function giveBackFileChunk(chunk: Buffer): void {
  if (spareFileChunks.length < SPARE_FILE_CHUNKS) spareFileChunks.push(chunk);
}

/**
 * An open file to send: `length` bytes from `start`. `sendHead` returns it;
 * `copyfile` sends it; `close()` releases the handle (always called, also
 * when the client goes away mid-download).
 */
export class FileBody {
  /** The open file. */
  readonly handle: FileHandle;
  /** First byte to send. */
  readonly start: number;
  /** How many bytes to send. */
  readonly length: number;

  constructor(handle: FileHandle, start: number, length: number) {
    this.handle = handle;
    this.start = start;
    this.length = length;
  }

  /** Closes the file (twice is harmless). */
  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** What `sendHead` gives `doGET`: a file, bytes (a listing, a small file), or nothing more to send. */
export type HeadResult = FileBody | Buffer | null;

/** Options for `SimpleHTTPRequestHandler.withOptions` (Python's `directory=` keyword). */
export interface SimpleHandlerOptions {
  /** Directory to serve. @default process.cwd() at the time of the request */
  directory?: string;
  /** Serve files that symbolic links lead to outside `directory`. @default false */
  followSymlinks?: boolean;
}

/**
 * Python's `SimpleHTTPRequestHandler`: GET and HEAD for the files under
 * `directory` (the current directory by default), with Python's directory
 * listing, `Last-Modified` and `If-Modified-Since`, and the MIME type from
 * `extensionsMap`, then `netkit/mimetypes`.
 *
 * Python's `directory=` keyword: set the `directory` field in a subclass, or
 * use `SimpleHTTPRequestHandler.withOptions({ directory })` (Python's
 * `functools.partial(SimpleHTTPRequestHandler, directory=...)`).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - Nothing outside `directory` is served: besides Python's lexical rules,
 *   a path whose decoded form holds NUL or a backslash is refused, and the
 *   real path (symbolic links resolved) must lie inside `directory`'s real
 *   path unless `followSymlinks` is set (Python follows links anywhere).
 *   Both are resolved on every request, and the real path is what is
 *   opened, listed or run. Refusals are 404.
 * - The 301 that adds a slash to a directory's URL points at the path only
 *   (never another host, even for an absolute-form request target; a
 *   backslash in it is escaped), so it is not an open redirect.
 * - `Range` (one range: 206, none satisfiable: 416; several: the whole file,
 *   as RFC 9110 allows), `If-Range`, `ETag` and `If-None-Match` (304),
 *   `Accept-Ranges: bytes`. HEAD answers with the headers GET would send.
 * - A request that carried a body is answered, then the connection closes
 *   (the body is never read, so it must not be taken for the next request).
 * - Files are streamed in FILE_CHUNK (512 KiB) pieces with backpressure;
 *   files up to 64 KiB go out with the head in one write, read with
 *   synchronous file-system calls unless `readSmallFilesSync` is false. The
 *   head of such a response stays queued until `copyfile` or `flushHeaders`
 *   sends it.
 * - A directory listing shows names that are not valid UTF-8 with U+FFFD,
 *   and leaves out links it would not serve (those leading outside `directory`).
 *
 * @example
 * ```ts serves=http:8000
 * import { SimpleHTTPRequestHandler, ThreadingHTTPServer } from "netkit/http/server";
 * const Handler = SimpleHTTPRequestHandler.withOptions({ directory: "/srv/www" });
 * const httpd = new ThreadingHTTPServer(["127.0.0.1", 8000], Handler);
 * await httpd.serveForever();
 * ```
 */
export class SimpleHTTPRequestHandler<
  Server extends AnyServer = AnyServer,
> extends BaseHTTPRequestHandler<Server> {
  /** @default "SimpleHTTP/0.6" */
  override serverVersion = "SimpleHTTP/0.6";
  /** Python's `extensions_map`: suffix → type, looked up before `netkit/mimetypes`. */
  extensionsMap: Map<string, string> = EXTENSIONS_MAP;
  /** The directory served (Python's `directory`). */
  directory: string;
  /** Serve files that symbolic links lead to outside `directory`. @default false */
  followSymlinks = false;
  /**
   * Read files of at most 64 KiB with synchronous calls (realpath, open,
   * fstat, read, close: a few microseconds each from the page cache) instead
   * of one trip to libuv's thread pool per call. It more than doubles the
   * small-file answers a server gives per second, but every call blocks the
   * event loop: set it to false when `directory` is on a file system that
   * can stall (NFS, FUSE, a failing disk). Larger files and directories
   * always take the asynchronous path.
   * @default true
   */
  readSmallFilesSync = true;

  constructor(
    request: Socket,
    clientAddress: Address | null,
    server: Server,
    options: SimpleHandlerOptions = {},
  ) {
    super(request, clientAddress, server);
    this.directory = options.directory ?? process.cwd();
    if (options.followSymlinks !== undefined) this.followSymlinks = options.followSymlinks;
  }

  /**
   * A subclass with `directory` (and `followSymlinks`) preset: what Python
   * code writes as `partial(SimpleHTTPRequestHandler, directory=...)`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: any subclass, whatever its server type
  static withOptions<T extends new (...args: any[]) => SimpleHTTPRequestHandler<any>>(
    this: T,
    options: SimpleHandlerOptions,
  ): T {
    const Base = this as unknown as typeof SimpleHTTPRequestHandler;
    const Configured = class extends Base {
      constructor(request: Socket, clientAddress: Address | null, server: AnyServer) {
        super(request, clientAddress, server, options);
      }
    };
    return Configured as unknown as T;
  }

  /** Python's `do_GET()`: the head, then the body. */
  async doGET(): Promise<void> {
    const body = await this.sendHead();
    if (body) {
      try {
        await this.copyfile(body, this.wfile);
      } finally {
        if (body instanceof FileBody) await body.close();
      }
    }
  }

  /** Python's `do_HEAD()`: the head GET would send, no body. */
  async doHEAD(): Promise<void> {
    const body = await this.sendHead();
    if (body instanceof FileBody) await body.close();
    await this.flushHeaders();
  }

  /**
   * Python's `send_head()`: answers the request's head and returns the body
   * to send (a `FileBody`, bytes, or `null` when done). A `FileBody` must be
   * closed by the caller; `copyfile` sends the body (and a head still queued).
   */
  async sendHead(): Promise<HeadResult> {
    if (this.framing.kind !== "none") this.closeConnection = true;
    const decoded = unquotePath(this.path.split("?", 1)[0]!.split("#", 1)[0]!);
    if (decoded.includes("\0") || decoded.includes("\\")) {
      await this.sendError(404, "File not found");
      return null;
    }
    let path = this.translatePath(this.path);
    if (!path.endsWith("/")) {
      // The common case, a file, in fewer file-system calls; anything else takes the general path below.
      const file = await this.#openFile(path);
      if (file !== undefined) return file;
    }
    const real = await this.#servable(path);
    const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
    if (real === undefined || info === undefined) {
      await this.sendError(404, "File not found");
      return null;
    }
    let target = real;
    if (info.isDirectory()) {
      const parts = splitTarget(this.path);
      if (!parts.path.endsWith("/")) {
        // redirect browser - doing basically what apache does
        this.sendResponse(301);
        this.sendHeader("Location", redirectTarget(parts.path, parts.query, parts.fragment));
        this.sendHeader("Content-Length", "0");
        await this.endHeaders();
        return null;
      }
      let index: string | undefined;
      for (const name of ["index.html", "index.htm"]) {
        const candidate = `${path.replace(/\/+$/, "")}/${name}`;
        const servable = await this.#servable(candidate);
        if (servable !== undefined && (await stat(servable).catch(() => undefined))?.isFile()) {
          index = candidate;
          target = servable;
          break;
        }
      }
      if (index === undefined) return this.listDirectory(path);
      path = index;
    }
    const ctype = this.guessType(path);
    // check for trailing "/" which should return 404. See Issue17324
    if (path.endsWith("/")) {
      await this.sendError(404, "File not found");
      return null;
    }
    let handle: FileHandle;
    try {
      handle = await open(target, "r");
    } catch (err) {
      if (!isSystemError(err)) throw err;
      await this.sendError(404, "File not found");
      return null;
    }
    try {
      return await this.#sendFileHead(handle, ctype);
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  /**
   * `sendHead` for a regular file that may be served (see `#servable`),
   * opened and answered. `undefined`, having answered nothing, for anything
   * else (missing, outside, a directory, not a regular file): the general
   * path then gives the answer it always gives.
   */
  async #openFile(path: string): Promise<HeadResult | undefined> {
    const small = this.readSmallFilesSync ? this.#readSmallFileSync(path) : undefined;
    if (small !== undefined) return this.#sendFileHead(small.body, this.guessType(path), small.info);
    const target = await this.#servable(path);
    if (target === undefined) return undefined;
    let handle: FileHandle;
    try {
      handle = await open(target, "r");
    } catch (err) {
      if (!isSystemError(err)) throw err;
      return undefined;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return undefined;
      }
      return await this.#sendFileHead(handle, this.guessType(path), info);
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  /**
   * The whole of a small regular file that may be served (see `#servable`),
   * read with synchronous calls; `undefined` for anything else, which the
   * asynchronous path then answers as always.
   */
  #readSmallFileSync(path: string): { body: Buffer; info: Stats } | undefined {
    const target = servablePathSync(path, this.directory, this.followSymlinks);
    if (target === undefined) return undefined;
    let fd: number;
    try {
      fd = openSync(target, "r");
    } catch (err) {
      if (!isSystemError(err)) throw err;
      return undefined;
    }
    try {
      const info = fstatSync(fd);
      if (!info.isFile() || info.size > SINGLE_WRITE_MAX) return undefined;
      const body = Buffer.allocUnsafe(info.size);
      let filled = 0;
      while (filled < body.length) {
        const n = readSync(fd, body, filled, body.length - filled, filled);
        if (n === 0) return undefined; // shrank since fstat: the asynchronous path decides
        filled += n;
      }
      return { body, info };
    } catch (err) {
      if (!isSystemError(err)) throw err;
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** The real path to open for `path` (a `translatePath` result), or `undefined`: see `servablePath`. */
  #servable(path: string): Promise<string | undefined> {
    return servablePath(path, this.directory, this.followSymlinks);
  }

  /**
   * The head for a regular file (`handle` open, or its whole content already
   * read) and the body to send: the conditional and range answers decided here.
   */
  async #sendFileHead(handle: FileHandle | Buffer, ctype: string, known?: Stats): Promise<HeadResult> {
    const fs = known ?? (await (handle as FileHandle).stat());
    if (!fs.isFile()) {
      await release(handle);
      await this.sendError(404, "File not found");
      return null;
    }
    const size = fs.size;
    const lastModified = this.dateTimeString(fs.mtimeMs / 1000);
    const etag = fileETag(fs.ino, size, fs.mtimeMs);

    // Conditional requests: If-None-Match first; If-Modified-Since only without it (RFC 9110 13.2.2).
    const inm = this.headers.get("If-None-Match");
    let notModified = false;
    if (inm !== undefined) {
      const tags = parseETagList(inm);
      notModified = tags === "*" || tags.some((t) => weakMatch(t, etag));
    } else {
      const ims = this.headers.get("If-Modified-Since");
      if (ims !== undefined) {
        const since = ifModifiedSinceSeconds(ims);
        if (since !== null && Math.floor(fs.mtimeMs / 1000) <= since) notModified = true;
      }
    }
    if (notModified) {
      this.sendResponse(304);
      this.sendHeader("ETag", etag);
      await this.endHeaders();
      await release(handle);
      return null;
    }

    let start = 0;
    let length = size;
    let partial = false;
    const range = this.headers.get("Range");
    if (range !== undefined && this.#ifRangeHolds(etag, lastModified)) {
      const ranges = parseRange(range, size);
      if (ranges === "unsatisfiable") {
        await release(handle);
        this.sendResponse(416);
        this.sendHeader("Content-Range", `bytes */${size}`);
        this.sendHeader("Content-Length", "0");
        await this.endHeaders();
        return null;
      }
      if (ranges !== "ignore" && ranges.length === 1) {
        const r = ranges[0]!;
        start = r.start;
        length = r.end - r.start + 1;
        partial = true;
      }
    }
    this.sendResponse(partial ? 206 : 200);
    this.sendHeader("Content-type", ctype);
    if (partial) this.sendHeader("Content-Range", `bytes ${start}-${start + length - 1}/${size}`);
    this.sendHeader("Content-Length", String(length));
    this.sendHeader("Last-Modified", lastModified);
    this.sendHeader("ETag", etag);
    this.sendHeader("Accept-Ranges", "bytes");
    if (Buffer.isBuffer(handle)) {
      this.endHeadersQueued();
      return handle.subarray(start, start + length);
    }
    if (length <= SINGLE_WRITE_MAX && this.command !== "HEAD") {
      // Not zero-filled: the read fills it, and a short read is an error (nothing of it is sent).
      const body = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(body, 0, length, start);
      // closed in the background: the answer need not wait for it (a close that fails changes nothing for it)
      handle.close().catch(() => {});
      if (bytesRead !== length)
        throw new OSError(EIO, `File shrank while being read (${bytesRead} of ${length} bytes)`);
      this.endHeadersQueued();
      return body;
    }
    await this.endHeaders();
    return new FileBody(handle, start, length);
  }

  /** If-Range (RFC 9110 13.1.5): Range applies only when the validator still matches. */
  #ifRangeHolds(etag: string, lastModified: string): boolean {
    const ifRange = this.headers.get("If-Range");
    if (ifRange === undefined) return true;
    const value = ifRange.trim();
    if (value.startsWith('"')) return value === etag; // strong comparison
    if (value.startsWith("W/")) return false;
    return value === lastModified;
  }

  /**
   * Python's `list_directory(path)`: the listing page (see `listingPage`), its
   * head answered; `null` (after a 404) when the directory cannot be read.
   * Unless `followSymlinks` is set, links whose target lies outside
   * `directory` are left out (they are not served).
   */
  async listDirectory(path: string): Promise<Buffer | null> {
    const real = await this.#servable(path);
    const names = real === undefined ? undefined : await readdir(real).catch(() => undefined);
    if (real === undefined || names === undefined) {
      await this.sendError(404, "No permission to list directory");
      return null;
    }
    const listed = await Promise.all(
      names.map(async (name): Promise<ListingEntry | undefined> => {
        const full = `${real.replace(/\/+$/, "")}/${name}`;
        const [s, l] = await Promise.all([
          stat(full).catch(() => undefined),
          lstat(full).catch(() => undefined),
        ]);
        const isLink = l?.isSymbolicLink() ?? false;
        // A link that leads outside the directory would only answer 404: not listed.
        if (isLink && !this.followSymlinks && (await this.#servable(full)) === undefined) return undefined;
        return { name, isDir: s?.isDirectory() ?? false, isLink };
      }),
    );
    const entries = listed.filter((entry) => entry !== undefined);
    const encoded = listingPage(this.path, entries);
    this.sendResponse(200);
    this.sendHeader("Content-type", "text/html; charset=utf-8");
    this.sendHeader("Content-Length", String(encoded.length));
    this.endHeadersQueued();
    return encoded;
  }

  /** Python's `translate_path(path)`: the file a URL path names under `directory` (see `translatePath`). */
  translatePath(path: string): string {
    return translatePath(path, this.directory);
  }

  /**
   * Python's `copyfile(source, outputfile)`: sends the body, after any head
   * still queued. A file goes in FILE_CHUNK pieces, each written straight to
   * the socket and awaited (backpressure), so memory stays constant.
   * @throws OSError when the file shrinks under the download; the socket's errors when the client goes away
   */
  async copyfile(source: FileBody | Buffer, outputfile: BufferedWriter): Promise<void> {
    const head = this.takeHeadersBuffer();
    if (Buffer.isBuffer(source)) {
      if (this.command === "HEAD") {
        if (head.length > 0) await outputfile.write(head);
        return;
      }
      await outputfile.write(head.length > 0 ? Buffer.concat([head, source]) : source);
      return;
    }
    if (head.length > 0) await outputfile.write(head);
    let position = source.start;
    let remaining = source.length;
    const chunk = takeFileChunk();
    while (remaining > 0) {
      const { bytesRead } = await source.handle.read(chunk, 0, Math.min(chunk.length, remaining), position);
      if (bytesRead === 0)
        throw new OSError(EIO, `File shrank while being sent (${remaining} bytes missing)`);
      // Resolves when the socket is done with the chunk, which is then refilled.
      await outputfile.writeDone(chunk.subarray(0, bytesRead));
      position += bytesRead;
      remaining -= bytesRead;
    }
    // Only a chunk the socket is done with goes back (not after an error).
    giveBackFileChunk(chunk);
  }

  /**
   * Python's `guess_type(path)`: `extensionsMap` for the suffix (as written,
   * then lower-cased), then `netkit/mimetypes`, else `application/octet-stream`.
   */
  guessType(path: string): string {
    const slash = path.lastIndexOf("/");
    const dot = path.lastIndexOf(".");
    let ext = "";
    if (dot > slash) {
      for (let i = slash + 1; i < dot; i++) {
        if (path[i] !== ".") {
          ext = path.slice(dot);
          break;
        }
      }
    }
    const exact = this.extensionsMap.get(ext);
    if (exact !== undefined) return exact;
    const lower = this.extensionsMap.get(ext.toLowerCase());
    if (lower !== undefined) return lower;
    const [guess] = mimeGuessType(path);
    return guess ?? "application/octet-stream";
  }
}

/** Closes an open file; content already read needs nothing. */
async function release(source: FileHandle | Buffer): Promise<void> {
  if (!Buffer.isBuffer(source)) await source.close();
}

/** `urlsplit(target)`'s path, query and fragment; a target urlsplit refuses counts as a bare path. */
function splitTarget(target: string): { path: string; query: string; fragment: string } {
  try {
    const { path, query, fragment } = urlsplit(target);
    return { path, query, fragment };
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    return { path: target, query: "", fragment: "" };
  }
}

/**
 * The `Location` of the 301 that adds a slash to a directory URL: Python's
 * `urlunsplit` of the request path plus `/`, but from the path, query and
 * fragment only, with leading slashes cut to one and backslashes escaped
 * (browsers read `/\host` as `//host`), so it always stays on this server.
 */
export function redirectTarget(path: string, query: string, fragment: string): string {
  const safePath = `/${`${path}/`.replace(/^[/\\]+/, "").replaceAll("\\", "%5C")}`;
  return urlunsplit(["", "", safePath, query, fragment]);
}
