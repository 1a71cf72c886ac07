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
import { lstat, readdir, stat } from "node:fs/promises";
import { EIO, OSError, ValueError } from "../../errors/index.js";
import type { BufferedWriter } from "../../io/writer.js";
import { guessType as mimeGuessType } from "../../mimetypes.js";
import type { Address } from "../../socket/address.js";
import type { Socket } from "../../socket/socket.js";
import type { AnyServer } from "../../socketserver/base.js";
import { urlsplit, urlunsplit } from "../../urllib/parse.js";
import { BaseHTTPRequestHandler } from "./base.js";
import { ifModifiedSinceSeconds } from "./dates.js";
import {
  closeFile,
  fileETag,
  type ListingEntry,
  listingPage,
  type OpenFile,
  openRegularFile,
  openRegularFileSync,
  parseETagList,
  parseRange,
  readFileAt,
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
 * Buffers reused from response to response, at most `spares` kept waiting.
 * A fresh buffer per chunk or per small file kept V8's garbage collector busy
 * for a fifth of the server's time with 50 clients downloading 1 MiB files,
 * and for an eighth with one client downloading 64 KiB files.
 */
class BufferPool {
  readonly #spare: Buffer[] = [];
  readonly #size: number;
  readonly #spares: number;

  constructor(size: number, spares: number) {
    this.#size = size;
    this.#spares = spares;
  }

  take(): Buffer {
    return this.#spare.pop() ?? Buffer.allocUnsafeSlow(this.#size);
  }

  /** Only a buffer nothing else refers to any more may come back. */
  giveBack(buffer: Buffer): void {
    if (this.#spare.length < this.#spares) this.#spare.push(buffer);
  }
}

/** Read buffers of FILE_CHUNK bytes for `copyfile`'s streaming. */
const fileChunks = new BufferPool(FILE_CHUNK, 16);

/**
 * Room before a small file's bytes for the response head, so head and body
 * go out in one write without a copy of the body. A longer head is sent on
 * its own first.
 */
const HEAD_ROOM = 4096;

/** Buffers for a whole small file (SINGLE_WRITE_MAX) and its head (HEAD_ROOM). */
const smallBodies = new BufferPool(HEAD_ROOM + SINGLE_WRITE_MAX, 16);

/**
 * An open file to send: `length` bytes from `start`. `sendHead` returns it;
 * `copyfile` sends it; `close()` releases the descriptor (always called,
 * also when the client goes away mid-download).
 */
export class FileBody {
  /** The open file's descriptor. */
  readonly fd: number;
  /** First byte to send. */
  readonly start: number;
  /** How many bytes to send. */
  readonly length: number;
  /** Reads and closes with synchronous calls (the handler's `syncFileCalls`). */
  readonly sync: boolean;
  #closed = false;

  constructor(fd: number, start: number, length: number, sync = false) {
    this.fd = fd;
    this.start = start;
    this.length = length;
    this.sync = sync;
  }

  /**
   * Reads up to `length` bytes of the file from `position` into `buffer` at
   * `offset`: resolves with how many were read (0 at the end of the file).
   * @throws ValueError once closed; OSError when the read fails
   */
  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    if (this.#closed) throw new ValueError("read of closed file");
    return readFileAt(this, buffer, offset, length, position);
  }

  /** Closes the file (twice is harmless: the descriptor is closed once). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeFile(this);
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
 *   synchronous file-system calls unless `syncFileCalls` is false. The
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
   * Open, read and close files with synchronous calls (realpath, open,
   * fstat, read, close: a few microseconds each from the page cache, a read
   * of FILE_CHUNK bytes about a hundred) instead of one trip to libuv's
   * thread pool per call. On this project's machines it more than doubles
   * the small-file answers a server gives per second and adds a third to
   * 1 MiB downloads, but every call blocks the event loop: set it to false
   * when `directory` is on a file system that can stall (NFS, FUSE, a
   * failing disk). Directory listings always take the asynchronous path.
   * @default true
   */
  syncFileCalls = true;

  /** The pooled buffer holding this response's small file (see `smallBodies`), until `copyfile` sends it. */
  #smallBody: Buffer | undefined;

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
    else this.#releaseSmallBody();
    await this.flushHeaders();
  }

  /**
   * Python's `send_head()`: answers the request's head and returns the body
   * to send (a `FileBody`, bytes, or `null` when done). A `FileBody` must be
   * closed by the caller; `copyfile` sends the body (and a head still queued).
   * The bytes of a small file sit in a buffer reused for a later response
   * once `copyfile` has sent them: copy them to keep them longer.
   */
  async sendHead(): Promise<HeadResult> {
    this.#smallBody = undefined;
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
    const file = await openRegularFile(target);
    if (file === undefined) {
      await this.sendError(404, "File not found");
      return null;
    }
    return this.#sendFileHead(file, ctype);
  }

  /**
   * `sendHead` for a regular file that may be served (see `#servable`),
   * opened and answered. `undefined`, having answered nothing, for anything
   * else (missing, outside, a directory, not a regular file): the general
   * path then gives the answer it always gives.
   */
  async #openFile(path: string): Promise<HeadResult | undefined> {
    let file: OpenFile | undefined;
    if (this.syncFileCalls) {
      const target = servablePathSync(path, this.directory, this.followSymlinks);
      file = target === undefined ? undefined : openRegularFileSync(target);
    } else {
      const target = await this.#servable(path);
      file = target === undefined ? undefined : await openRegularFile(target);
    }
    return file === undefined ? undefined : this.#sendFileHead(file, this.guessType(path));
  }

  /** The real path to open for `path` (a `translatePath` result), or `undefined`: see `servablePath`. */
  #servable(path: string): Promise<string | undefined> {
    return servablePath(path, this.directory, this.followSymlinks);
  }

  /**
   * The head for an open regular file and the body to send (its bytes, read
   * whole, or a `FileBody`): the conditional and range answers decided here.
   * The file is closed here unless a `FileBody` is returned.
   */
  async #sendFileHead(source: OpenFile, ctype: string): Promise<HeadResult> {
    const fs = source.info;
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
      await closeFile(source);
      this.sendResponse(304);
      this.sendHeader("ETag", etag);
      await this.endHeaders();
      return null;
    }

    let start = 0;
    let length = size;
    let partial = false;
    const range = this.headers.get("Range");
    if (range !== undefined && this.#ifRangeHolds(etag, lastModified)) {
      const ranges = parseRange(range, size);
      if (ranges === "unsatisfiable") {
        await closeFile(source);
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
    let body: Buffer | FileBody;
    if (length <= SINGLE_WRITE_MAX && this.command !== "HEAD")
      body = await this.#readSmallFile(source, start, length);
    else body = new FileBody(source.fd, start, length, source.sync);
    this.sendResponse(partial ? 206 : 200);
    this.sendHeader("Content-type", ctype);
    if (partial) this.sendHeader("Content-Range", `bytes ${start}-${start + length - 1}/${size}`);
    this.sendHeader("Content-Length", String(length));
    this.sendHeader("Last-Modified", lastModified);
    this.sendHeader("ETag", etag);
    this.sendHeader("Accept-Ranges", "bytes");
    if (Buffer.isBuffer(body)) {
      this.endHeadersQueued();
      return body;
    }
    try {
      await this.endHeaders();
    } catch (err) {
      await body.close();
      throw err;
    }
    return body;
  }

  /**
   * `length` bytes of `file` from `start`, read into a pooled buffer (see
   * `smallBodies`); `file` is closed either way. A short read is an error:
   * nothing of it is sent.
   * @throws OSError when the file shrank since fstat, or the read fails
   */
  async #readSmallFile(file: OpenFile, start: number, length: number): Promise<Buffer> {
    const pooled = smallBodies.take();
    // Not zero-filled: the reads fill it, or it is not sent.
    const body = pooled.subarray(HEAD_ROOM, HEAD_ROOM + length);
    let filled = 0;
    try {
      while (filled < length) {
        const n = await readFileAt(file, body, filled, length - filled, start + filled);
        if (n === 0) break;
        filled += n;
      }
    } catch (err) {
      smallBodies.giveBack(pooled);
      throw err;
    } finally {
      // not awaited: the answer need not wait for the close
      void closeFile(file);
    }
    if (filled !== length) {
      smallBodies.giveBack(pooled);
      throw new OSError(EIO, `File shrank while being read (${filled} of ${length} bytes)`);
    }
    this.#smallBody = pooled;
    return body;
  }

  /** Gives this response's small-file buffer back, unsent (nothing refers to it). */
  #releaseSmallBody(): void {
    if (this.#smallBody !== undefined) smallBodies.giveBack(this.#smallBody);
    this.#smallBody = undefined;
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
        this.#releaseSmallBody();
        return;
      }
      const pooled = this.#smallBody;
      if (pooled !== undefined && source.buffer === pooled.buffer) {
        await this.#sendSmallBody(pooled, head, source, outputfile);
        return;
      }
      await outputfile.write(head.length > 0 ? Buffer.concat([head, source]) : source);
      return;
    }
    if (head.length > 0) await outputfile.write(head);
    let position = source.start;
    let remaining = source.length;
    const chunk = fileChunks.take();
    while (remaining > 0) {
      const bytesRead = await source.read(chunk, 0, Math.min(chunk.length, remaining), position);
      if (bytesRead === 0)
        throw new OSError(EIO, `File shrank while being sent (${remaining} bytes missing)`);
      // Resolves when the socket is done with the chunk, which is then refilled.
      await outputfile.writeDone(chunk.subarray(0, bytesRead));
      position += bytesRead;
      remaining -= bytesRead;
    }
    // Only a chunk the socket is done with goes back (not after an error).
    fileChunks.giveBack(chunk);
  }

  /**
   * Sends `head` and `body`, a view into `pooled` after HEAD_ROOM bytes of
   * room: the head is copied into the room, and both go out in one write.
   * `pooled` goes back for the next small file once the socket is done with
   * it (not after an error, when it may still be in use).
   */
  async #sendSmallBody(
    pooled: Buffer,
    head: Buffer,
    body: Buffer,
    outputfile: BufferedWriter,
  ): Promise<void> {
    this.#smallBody = undefined;
    const at = body.byteOffset - pooled.byteOffset;
    if (head.length <= at) {
      head.copy(pooled, at - head.length);
      await outputfile.writeDone(pooled.subarray(at - head.length, at + body.length));
    } else {
      await outputfile.write(head);
      await outputfile.writeDone(body);
    }
    smallBodies.giveBack(pooled);
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
