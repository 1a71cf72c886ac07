/**
 * Python's `cgi.FieldStorage`, `cgi.MiniFieldStorage`, `cgi.parse` and
 * `cgi.parse_multipart`, async: a form is read from a stream
 * (`await FieldStorage.read({ fp, environ })`) and then used the way
 * Python's is (`getvalue`, `getfirst`, `getlist`, `keys`, `has`, `get`).
 *
 * Where the bytes come from, as in Python: a GET or HEAD form is the
 * `QUERY_STRING`; anything else is the request body (`fp`), framed by
 * `CONTENT_LENGTH` and read according to `CONTENT_TYPE`:
 * `application/x-www-form-urlencoded` (plus the query string), `multipart/*`
 * (through `netkit/multipart`'s streaming reader; parts may nest), or any
 * other type as one value.
 *
 * @module
 */
import type { Readable } from "node:stream";
import { type Codec, lookupCodec } from "../_codecs.js";
import { pyRepr, reprBytes } from "../_pyrepr.js";
import { KeyError, ValueError, withCode } from "../errors/index.js";
import { BytesSource, iterableSource, readableSource } from "../io/memory.js";
import { BufferedReader } from "../io/reader.js";
import type { ByteSource } from "../io/source.js";
import { MultipartError, MultipartReader } from "../multipart/reader.js";
import { HTTPMessage, MAX_HEADERS } from "../textproto/header.js";
import { parseQs, parseQsl } from "../urllib/parse.js";
import { FieldFile } from "./file.js";
import { parseHeader, splitHeader, validBoundary } from "./header.js";

/** The CGI environment: variable names to values (`process.env` has this shape). */
export type Environ = Record<string, string | undefined>;

/** What a form can be read from: a netkit `BufferedReader`, a Node `Readable`, or any async iterable of bytes. */
export type FormInput = BufferedReader | Readable | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** Options of `FieldStorage.read()`: Python's constructor arguments, plus netkit's limits. */
export interface FieldStorageOptions {
  /**
   * The request body (not read for GET and HEAD).
   * @default process.stdin (Python: sys.stdin.buffer)
   */
  fp?: FormInput | undefined;
  /**
   * The body's headers (Content-Type, Content-Length). Looked up without
   * regard to case (Python's plain-dict lookup is case-sensitive).
   * @default built from `environ` as the CGI spec says
   */
  headers?: HTTPMessage | Record<string, string> | undefined;
  /** The CGI environment (REQUEST_METHOD, QUERY_STRING, CONTENT_TYPE, CONTENT_LENGTH). @default process.env */
  environ?: Environ | undefined;
  /** Keep fields with empty values in urlencoded forms. @default false */
  keepBlankValues?: boolean | undefined;
  /** Throw `ValueError` for malformed urlencoded fields. @default false */
  strictParsing?: boolean | undefined;
  /** Encoding of field names and text values (any of netkit's codecs, under Python's names). @default "utf-8" */
  encoding?: string | undefined;
  /** Python error handler for bytes the encoding cannot decode. @default "replace" */
  errors?: string | undefined;
  /**
   * Most fields (parts, nested parts and urlencoded pairs) before
   * `ValueError("Max number of fields exceeded")`; `Infinity` for no limit.
   * @default 1000 (Python: no limit)
   */
  maxNumFields?: number | undefined;
  /** Separator of urlencoded fields. @default "&" */
  separator?: string | undefined;
  /**
   * Most body bytes: a larger Content-Length, or more bytes read, throws
   * `ValueError("Maximum content length exceeded")`. Python's module-level
   * `cgi.maxlen`; `Infinity` for no limit.
   * @default 104857600 (100 MiB; Python: no limit)
   */
  maxBytes?: number | undefined;
  /** Most bytes in one part's header block (Python: no limit). @default 65536 */
  maxHeaderBytes?: number | undefined;
  /**
   * Most lines in one part's header block, continuation lines included
   * (Python: no limit); more throws `MultipartError`
   * (`ERR_MULTIPART_TOO_MANY_HEADERS`).
   * @default 100 (http.client's `_MAXHEADERS`)
   */
  maxHeaderCount?: number | undefined;
  /**
   * Most parameters (`;`-separated pieces after the value) in a part's
   * Content-Disposition or Content-Type (Python: no limit); more throws
   * `MultipartError` (`ERR_MULTIPART_TOO_MANY_PARAMS`). Each parameter
   * becomes strings and a property, about 100 body bytes' worth of work
   * for 5 bytes of header; a form's parts have one to three (`name`,
   * `filename`, `charset`), a long file name cut by RFC 2231 about a dozen.
   * The request's own Content-Type is read without a limit, as in Python.
   * @default 32
   */
  maxHeaderParams?: number | undefined;
  /** Most levels of nested multipart parts (Python: until the stack overflows). @default 10 */
  maxDepth?: number | undefined;
  /** Bytes of a value kept in memory before it moves to a temporary file (Python: 1000). @default 65536 */
  spillSize?: number | undefined;
  /** Directory for temporary files. @default os.tmpdir() */
  tmpdir?: string | undefined;
}

/** Everything a FieldStorage and its parts share while reading. */
interface Context {
  environ: Environ;
  method: string;
  keepBlankValues: boolean;
  strictParsing: boolean;
  encoding: string;
  errors: string;
  codec: Codec;
  maxNumFields: number | undefined;
  separator: string;
  maxBytes: number;
  maxHeaderBytes: number;
  maxHeaderCount: number;
  maxHeaderParams: number;
  maxDepth: number;
  spillSize: number;
  tmpdir: string | undefined;
}

const CHUNK = 65536;
const EMPTY = Buffer.alloc(0);
const MAX_LENGTH_MESSAGE = "Maximum content length exceeded";

/** `maxHeaderParams`'s default. */
const MAX_HEADER_PARAMS = 32;

/**
 * Python's `parse_header(value)` on a Content-Disposition or Content-Type
 * that `#load` reads: a part's with at most `maxHeaderParams` parameters.
 * @throws MultipartError (`ERR_MULTIPART_TOO_MANY_PARAMS`) past the limit
 */
function splitValue(
  ctx: Context,
  frame: Frame,
  name: string,
  value: string,
): [string, Record<string, string>] {
  if (frame.outerboundary.length === 0) return parseHeader(value);
  const split = splitHeader(value, ctx.maxHeaderParams);
  if (split === null) {
    throw new MultipartError(
      `Cannot split multipart part header ${JSON.stringify(name)}: more than ${ctx.maxHeaderParams} parameters`,
      "ERR_MULTIPART_TOO_MANY_PARAMS",
    );
  }
  return split;
}

/** Python's `int(text)` for the digits a Content-Length may hold: spaces, a sign, `_` between digits. */
function pyInt(text: string): number | undefined {
  const m = /^[\s]*([+-]?)(\d+(?:_\d+)*)[\s]*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]!.replaceAll("_", ""));
  return m[1] === "-" ? -n : n;
}

/** A ByteSource over a BufferedReader: at most `length` bytes (when >= 0), at most `maxBytes` in all. */
class LimitedSource implements ByteSource {
  readonly #reader: BufferedReader;
  #remaining: number;
  readonly #maxBytes: number;
  count = 0;

  constructor(reader: BufferedReader, length: number, maxBytes: number) {
    this.#reader = reader;
    this.#remaining = length >= 0 ? length : Number.POSITIVE_INFINITY;
    this.#maxBytes = maxBytes;
  }

  async readChunk(): Promise<Buffer> {
    if (this.#remaining <= 0) return EMPTY;
    const chunk = await this.#reader.read1(Math.min(this.#remaining, CHUNK));
    this.#remaining -= chunk.length;
    this.count += chunk.length;
    if (this.count > this.#maxBytes) throw new ValueError(MAX_LENGTH_MESSAGE);
    return chunk;
  }

  /** Reads and drops what is left of the declared length; resolves with how many bytes that was. */
  async drain(): Promise<void> {
    if (!Number.isFinite(this.#remaining)) return;
    while ((await this.readChunk()).length > 0) {}
  }
}

function isNodeReadable(fp: unknown): fp is Readable {
  return (
    typeof fp === "object" &&
    fp !== null &&
    typeof (fp as Readable).read === "function" &&
    typeof (fp as Readable).on === "function"
  );
}

/** The input as a BufferedReader. @throws TypeError for anything else */
function asReader(fp: FormInput): BufferedReader {
  if (fp instanceof BufferedReader) return fp;
  if (isNodeReadable(fp)) return new BufferedReader(readableSource(fp));
  if (typeof (fp as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    return new BufferedReader(iterableSource(fp as AsyncIterable<Uint8Array>));
  }
  throw withCode(
    new TypeError("fp must be a BufferedReader, a Node Readable or an async iterable of bytes"),
    "ERR_INVALID_ARG_TYPE",
  );
}

/** Python's `repr()` of a field value. */
function reprValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return pyRepr(value);
  if (Buffer.isBuffer(value)) return reprBytes(value);
  if (Array.isArray(value)) return `[${value.map(reprValue).join(", ")}]`;
  return String(value);
}

/** A field of a form: a `FieldStorage` (a part, or a whole form) or a `MiniFieldStorage` (a urlencoded pair). */
export type Field = FieldStorage | MiniFieldStorage;

/**
 * Python's `cgi.MiniFieldStorage`: one name=value pair of a urlencoded form.
 * It has the attributes of a `FieldStorage` with the dummy values Python
 * gives them (`filename`, `list`, `type`, `file` and `disposition` null).
 */
export class MiniFieldStorage {
  /** The field name. */
  readonly name: string;
  /** The field value. */
  readonly value: string;
  /** Always null: a urlencoded field has no file name. */
  readonly filename = null;
  /** Always null. */
  readonly list = null;
  /** Always null. */
  readonly type = null;
  /** Always null. */
  readonly file = null;
  /** Always empty. */
  readonly typeOptions: Readonly<Record<string, string>> = Object.freeze({});
  /** Always null. */
  readonly disposition = null;
  /** Always empty. */
  readonly dispositionOptions: Readonly<Record<string, string>> = Object.freeze({});
  /** Always empty. */
  readonly headers: HTTPMessage = new HTTPMessage();

  /**
   * @param name the field name
   * @param value the field value
   */
  constructor(name: string, value: string) {
    this.name = name;
    this.value = value;
  }

  /** Python's `repr()`: `MiniFieldStorage('a', '1')`. */
  toString(): string {
    return `MiniFieldStorage(${pyRepr(this.name)}, ${pyRepr(this.value)})`;
  }
}

/** What the reader of one FieldStorage gets: its headers, where its bytes are, and how deep it is. */
interface Frame {
  headers: HTTPMessage;
  outerboundary: Buffer;
  /** The top-level body (bounded), or a part's body. */
  body: BufferedReader | AsyncIterable<Uint8Array>;
  qsOnPost: string | null;
  maxNumFields: number | undefined;
  depth: number;
  top?: LimitedSource;
}

/**
 * Python's `cgi.FieldStorage`: a form, read from the CGI environment and the
 * request body. At the top level it is used like a dictionary of fields
 * (`keys()`, `has(name)`, `get(name)`, `getvalue`, `getfirst`, `getlist`);
 * each part of a multipart form is a `FieldStorage` too, with `name`,
 * `filename`, `type`, `typeOptions`, `disposition`, `dispositionOptions`,
 * `headers`, `file` and `value`.
 *
 * Reading is async, so construction is a static method:
 * `await FieldStorage.read({ fp, environ })` (Python's
 * `FieldStorage(fp, headers, environ=...)`). Subclasses work as in Python:
 * `MyStorage.read()` makes the parts `MyStorage`s too.
 *
 * Values: a text field's `value` is a string (decoded with `encoding` and
 * `errors`); a file field's (one with a `filename`) is a Buffer; a form's is
 * its list of fields. Values larger than `spillSize` live in a temporary
 * file (`file.path`), removed by `close()` (or `await using`).
 *
 * Differences from Python, on purpose:
 * - Limits by default: 1000 fields, 100 MiB of body, 64 KiB of headers per
 *   part, 10 levels of nesting (Python has only an optional field limit).
 * - A multipart part inside a part is read up to the outer boundary, and
 *   the fields after it are read too (Python's `skip_lines` looks for the
 *   boundary at the end of each line, including its line break, so it
 *   reads to the end of the body and drops them).
 * - An `application/x-www-form-urlencoded` part is parsed from its own body
 *   (Python reads the whole rest of the request into it).
 * - A body of another type with a Content-Length is kept as text (Python
 *   3.11 raises `TypeError` writing bytes to a text file).
 * - After a multipart body, the rest of the declared Content-Length (the
 *   epilogue) is read and dropped, so a keep-alive connection stays in step.
 * - `keys()` keeps first-seen order (Python's comes from a `set`).
 * - There is no `sys.argv` fallback for the query string, and `environ` is
 *   never modified.
 * - Encodings: those of netkit's codecs (UTF-8, UTF-16/32, Latin-1, ASCII
 *   and Python's single-byte charsets); Python's others are a LookupError.
 *
 * @example
 * ```ts
 * import { FieldStorage } from "netkit/cgi";
 * await using form = await FieldStorage.read({ environ: { REQUEST_METHOD: "GET", QUERY_STRING: "a=1&b=2&a=3" } });
 * form.getvalue("a"); // ["1", "3"]
 * form.getfirst("b"); // "2"
 * ```
 */
export class FieldStorage {
  /** The field name (from Content-Disposition), or null. */
  name: string | null = null;
  /** The client's file name (from Content-Disposition), or null: set for file uploads. */
  filename: string | null = null;
  /** The main Content-Type value (`"text/plain"` when a part has none). */
  type = "";
  /** The Content-Type parameters. */
  typeOptions: Record<string, string> = Object.create(null);
  /** The Content-Disposition value (`"form-data"`), or `""`. */
  disposition = "";
  /** The Content-Disposition parameters (`name`, `filename`, ...). */
  dispositionOptions: Record<string, string> = Object.create(null);
  /** All the headers (built from the environment at the top level). */
  headers: HTTPMessage = new HTTPMessage();
  /** The fields of a form (urlencoded pairs or multipart parts), or null for a single value. */
  list: Field[] | null = null;
  /** The bytes of a single value, or null for a form. */
  file: FieldFile | null = null;
  /** The declared Content-Length, or -1 (always -1 for parts: their Content-Length is ignored, as in Python). */
  length = -1;
  /** The multipart boundary of this field's Content-Type, as bytes (empty when none). */
  innerboundary: Buffer = EMPTY;
  /** The boundary this part ends at (empty at the top level). */
  outerboundary: Buffer = EMPTY;
  /** Bytes read from `fp` (the top level only; 0 for parts). */
  bytesRead = 0;
  /** The encoding of names and text values. */
  encoding = "utf-8";
  /** The error handler used with `encoding`. */
  errors = "replace";

  #binary = false;
  #codec: Codec | undefined;

  /** Use `FieldStorage.read()`. Subclasses may add fields; the constructor takes no arguments. */
  // biome-ignore lint/complexity/noUselessConstructor: documents that construction goes through read().
  constructor() {}

  /**
   * Reads a form: Python's `FieldStorage(fp, headers, environ=..., ...)`.
   * @param options the input, the environment and the limits
   * @returns the form, read to its end (large values in temporary files)
   * @throws ValueError for a bad multipart boundary, too many fields, a body
   *   over `maxBytes`, nesting deeper than `maxDepth`, or (with
   *   `strictParsing`) a bad urlencoded field
   * @throws MultipartError (a ValueError) for part headers over their limits
   * @throws TypeError when `fp` is not something to read from
   */
  static async read<T extends FieldStorage>(
    this: new () => T,
    options: FieldStorageOptions = {},
  ): Promise<T> {
    const environ = options.environ ?? process.env;
    const encoding = options.encoding ?? "utf-8";
    const ctx: Context = {
      environ,
      method: (environ.REQUEST_METHOD ?? "GET").toUpperCase(),
      keepBlankValues: options.keepBlankValues ?? false,
      strictParsing: options.strictParsing ?? false,
      encoding,
      errors: options.errors ?? "replace",
      codec: lookupCodec(encoding),
      maxNumFields: options.maxNumFields ?? 1000,
      separator: options.separator ?? "&",
      maxBytes: options.maxBytes ?? 100 * 1024 * 1024,
      maxHeaderBytes: options.maxHeaderBytes ?? 65536,
      maxHeaderCount: options.maxHeaderCount ?? MAX_HEADERS,
      maxHeaderParams: options.maxHeaderParams ?? MAX_HEADER_PARAMS,
      maxDepth: options.maxDepth ?? 10,
      spillSize: options.spillSize ?? 65536,
      tmpdir: options.tmpdir,
    };
    if (ctx.maxNumFields === Number.POSITIVE_INFINITY) ctx.maxNumFields = undefined;

    let fp = options.fp;
    let headers: HTTPMessage | undefined;
    if (options.headers instanceof HTTPMessage) headers = options.headers;
    else if (options.headers !== undefined) {
      headers = new HTTPMessage();
      for (const [k, v] of Object.entries(options.headers)) headers.add(k, v);
    }
    let qsOnPost: string | null = null;
    let input: BufferedReader;
    if (ctx.method === "GET" || ctx.method === "HEAD") {
      // The form is the query string; the body is not read.
      const qs = environ.QUERY_STRING ?? "";
      input = new BufferedReader(new BytesSource(Buffer.from(qs, "utf8")));
      if (headers === undefined) {
        headers = new HTTPMessage();
        headers.add("content-type", "application/x-www-form-urlencoded");
      }
    } else {
      fp ??= process.stdin;
      input = asReader(fp);
    }
    if (headers === undefined) {
      headers = new HTTPMessage();
      // Set default content-type for POST to what's traditional.
      if (ctx.method === "POST") headers.add("content-type", "application/x-www-form-urlencoded");
      if (environ.CONTENT_TYPE !== undefined) {
        headers.delete("content-type");
        headers.add("content-type", environ.CONTENT_TYPE);
      }
      if (environ.QUERY_STRING !== undefined) qsOnPost = environ.QUERY_STRING;
      if (environ.CONTENT_LENGTH !== undefined) headers.add("content-length", environ.CONTENT_LENGTH);
    }
    const clen = FieldStorage.#contentLength(headers, ctx);
    const top = new LimitedSource(input, clen, ctx.maxBytes);
    const fs = new this();
    try {
      await fs.#load(ctx, {
        headers,
        outerboundary: EMPTY,
        body: new BufferedReader(top),
        qsOnPost,
        maxNumFields: ctx.maxNumFields,
        depth: 0,
        top,
      });
      if (fs.list !== null && fs.type.startsWith("multipart/")) await top.drain();
    } catch (err) {
      await fs.close();
      throw err;
    } finally {
      fs.bytesRead = top.count;
    }
    return fs;
  }

  /** Python's Content-Length handling: an int when it parses, else -1; checked against `maxBytes`. */
  static #contentLength(headers: HTTPMessage, ctx: Context): number {
    const raw = headers.get("content-length");
    if (raw === undefined) return -1;
    const clen = pyInt(raw) ?? -1;
    if (clen > ctx.maxBytes) throw new ValueError(MAX_LENGTH_MESSAGE);
    return clen;
  }

  /** Python's `__init__` after the input is settled: headers, then the body by type. */
  async #load(ctx: Context, frame: Frame): Promise<void> {
    this.encoding = ctx.encoding;
    this.errors = ctx.errors;
    this.#codec = ctx.codec;
    this.headers = frame.headers;
    this.outerboundary = frame.outerboundary;
    const cd = frame.headers.get("content-disposition");
    if (cd !== undefined)
      [this.disposition, this.dispositionOptions] = splitValue(ctx, frame, "Content-Disposition", cd);
    this.name = this.dispositionOptions.name ?? null;
    this.filename = this.dispositionOptions.filename ?? null;
    this.#binary = this.filename !== null;

    // Honor any existing content-type header. Without one, an inner part is
    // text/plain and a top-level POST urlencoded (bogus clients forget it).
    const ct = frame.headers.get("content-type");
    if (ct !== undefined) [this.type, this.typeOptions] = splitValue(ctx, frame, "Content-Type", ct);
    else if (frame.outerboundary.length > 0 || ctx.method !== "POST") this.type = "text/plain";
    else this.type = "application/x-www-form-urlencoded";
    const boundary = this.typeOptions.boundary;
    this.innerboundary = boundary === undefined ? EMPTY : ctx.codec.encode(boundary, ctx.errors);
    if (frame.top !== undefined) this.length = FieldStorage.#contentLength(frame.headers, ctx);

    if (this.type === "application/x-www-form-urlencoded") await this.#readUrlencoded(ctx, frame);
    else if (this.type.slice(0, 10) === "multipart/") await this.#readMulti(ctx, frame);
    else await this.#readSingle(ctx, frame);
  }

  /** Reads all of `frame.body` (bounded by `maxBytes`). */
  async #readAll(ctx: Context, frame: Frame): Promise<Buffer> {
    // The top-level body is bounded by its LimitedSource; a part's by this count.
    if (frame.body instanceof BufferedReader) return frame.body.read();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of frame.body) {
      size += chunk.length;
      if (size > ctx.maxBytes) throw new ValueError(MAX_LENGTH_MESSAGE);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  /** Python's `read_urlencoded`. */
  async #readUrlencoded(ctx: Context, frame: Frame): Promise<void> {
    let qs = ctx.codec.decode(await this.#readAll(ctx, frame), ctx.errors);
    if (frame.qsOnPost) qs += `&${frame.qsOnPost}`;
    this.list = this.#parseQsl(ctx, qs, frame.maxNumFields);
  }

  #parseQsl(ctx: Context, qs: string, maxNumFields: number | undefined): MiniFieldStorage[] {
    const pairs = parseQsl(qs, {
      keepBlankValues: ctx.keepBlankValues,
      strictParsing: ctx.strictParsing,
      encoding: ctx.encoding,
      errors: ctx.errors,
      maxNumFields,
      separator: ctx.separator,
    });
    return pairs.map(([k, v]) => new MiniFieldStorage(k, v));
  }

  /** Python's `read_multi`: the parts, each a FieldStorage of the same class. */
  async #readMulti(ctx: Context, frame: Frame): Promise<void> {
    const ib = this.innerboundary;
    if (!validBoundary(ib)) throw new ValueError(`Invalid boundary in multipart form: ${reprBytes(ib)}`);
    if (frame.depth >= ctx.maxDepth) {
      throw new ValueError(`Cannot read multipart form: parts nested deeper than ${ctx.maxDepth} levels`);
    }
    this.list = [];
    if (frame.qsOnPost) this.list.push(...this.#parseQsl(ctx, frame.qsOnPost, frame.maxNumFields));
    // A boundary ending in a newline (validBoundary lets one through, as
    // Python's `$` does) can never match a line: no parts.
    if (ib[ib.length - 1] === 0x0a) return;
    let maxNumFields = frame.maxNumFields;
    if (maxNumFields !== undefined) maxNumFields -= this.list.length;
    const reader = new MultipartReader(frame.body, ib, {
      maxHeaderBytes: ctx.maxHeaderBytes,
      maxHeaderCount: ctx.maxHeaderCount,
      decodeHeaders: (raw) => ctx.codec.decode(raw, ctx.errors),
    });
    const Class = this.constructor as new () => FieldStorage;
    for (let part = await reader.nextPart(); part !== null; part = await reader.nextPart()) {
      // Some clients add Content-Length to part headers: ignore it. (Looked
      // up first: deleting rebuilds the list of headers, long for a part of many.)
      if (part.headers.get("content-length") !== undefined) part.headers.delete("content-length");
      if (maxNumFields !== undefined && maxNumFields - 1 < 0) {
        throw new ValueError("Max number of fields exceeded");
      }
      const child = new Class();
      try {
        await child.#load(ctx, {
          headers: part.headers,
          outerboundary: ib,
          body: part,
          qsOnPost: null,
          maxNumFields,
          depth: frame.depth + 1,
        });
        await part.skip(); // what a nested form left unread
      } catch (err) {
        await child.close();
        throw err;
      }
      this.list.push(child);
      if (maxNumFields !== undefined) {
        maxNumFields -= 1 + (child.list?.length ?? 0);
        if (maxNumFields < 0) throw new ValueError("Max number of fields exceeded");
      }
    }
  }

  /** Python's `read_single` (`read_binary` / `read_lines`): one value, in memory or spilled to disk. */
  async #readSingle(ctx: Context, frame: Frame): Promise<void> {
    const file = new FieldFile({ spillSize: ctx.spillSize, ...(ctx.tmpdir ? { tmpdir: ctx.tmpdir } : {}) });
    this.file = file;
    const body = frame.body;
    if (body instanceof BufferedReader) {
      for (let chunk = await body.read1(CHUNK); chunk.length > 0; chunk = await body.read1(CHUNK)) {
        await file.write(chunk);
      }
    } else {
      // FieldFile copies what it keeps in memory: a Buffer goes as it is.
      for await (const chunk of body) await file.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    }
    await file.finish();
  }

  /**
   * Python's `value`: a text field's string, a file field's bytes (read from
   * the temporary file, synchronously, when it was spilled), a form's list,
   * or null.
   * @throws ValueError after `close()` for a value held in a file
   */
  get value(): string | Buffer | Field[] | null {
    if (this.file !== null) {
      const bytes = this.file.readSync();
      return this.#binary ? bytes : this.#codec!.decode(bytes, this.errors);
    }
    return this.list;
  }

  #indexable(): Field[] {
    if (this.list === null) throw withCode(new TypeError("not indexable"), "ERR_NOT_INDEXABLE");
    return this.list;
  }

  /**
   * Python's `form[key]`: the field called `key`, or the list of them when
   * there are several.
   * @throws KeyError when there is none; TypeError for a single value (not a form)
   */
  get(key: string | null): Field | Field[] {
    const found = this.#indexable().filter((item) => item.name === key);
    if (found.length === 0) throw new KeyError(key);
    return found.length === 1 ? found[0]! : found;
  }

  /**
   * Python's `getvalue(key, default)`: the value of the field called `key`,
   * a list of values when there are several, or `defaultValue`.
   * @throws TypeError for a single value (not a form)
   */
  getvalue<D = undefined>(key: string | null, defaultValue?: D): Field["value"] | Array<Field["value"]> | D {
    if (!this.has(key)) return defaultValue as D;
    const v = this.get(key);
    return Array.isArray(v) ? v.map((x) => x.value) : v.value;
  }

  /**
   * Python's `getfirst(key, default)`: the first value of the field called `key`, or `defaultValue`.
   * @throws TypeError for a single value (not a form)
   */
  getfirst<D = undefined>(key: string | null, defaultValue?: D): Field["value"] | D {
    if (!this.has(key)) return defaultValue as D;
    const v = this.get(key);
    return Array.isArray(v) ? v[0]!.value : v.value;
  }

  /**
   * Python's `getlist(key)`: every value of the field called `key` (empty when none).
   * @throws TypeError for a single value (not a form)
   */
  getlist(key: string | null): Array<Field["value"]> {
    if (!this.has(key)) return [];
    const v = this.get(key);
    return Array.isArray(v) ? v.map((x) => x.value) : [v.value];
  }

  /**
   * Python's `keys()`: the field names, each once, in first-seen order
   * (`null` for parts without a name).
   * @throws TypeError for a single value (not a form)
   */
  keys(): Array<string | null> {
    return [...new Set(this.#indexable().map((item) => item.name))];
  }

  /**
   * Python's `key in form`.
   * @throws TypeError for a single value (not a form)
   */
  has(key: string | null): boolean {
    return this.#indexable().some((item) => item.name === key);
  }

  /** Iterates the field names (`for name in form`). @throws TypeError for a single value */
  [Symbol.iterator](): Iterator<string | null> {
    return this.keys()[Symbol.iterator]();
  }

  /** Python's `repr()`: `FieldStorage('name', 'filename', value)`. */
  toString(): string {
    let value: unknown;
    try {
      value = this.value;
    } catch {
      value = null;
    }
    return `FieldStorage(${reprValue(this.name)}, ${reprValue(this.filename)}, ${reprValue(value)})`;
  }

  /** Python's `close()` / `__exit__`: closes this value's file and every part's, removing temporary files. */
  async close(): Promise<void> {
    await this.file?.close();
    for (const item of this.list ?? []) if (item instanceof FieldStorage) await item.close();
  }

  /** `await using form = await FieldStorage.read(...)` closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Options of `parse()`: Python's keyword arguments, plus the input and a size limit. */
export interface ParseOptions {
  /** The request body. @default process.stdin */
  fp?: FormInput | undefined;
  /** The CGI environment. @default process.env */
  environ?: Environ | undefined;
  /** Keep blank values. @default false */
  keepBlankValues?: boolean | undefined;
  /** Throw for malformed fields. @default false */
  strictParsing?: boolean | undefined;
  /** Field separator. @default "&" */
  separator?: string | undefined;
  /**
   * Encoding of the body. Python uses `fp.encoding` (UTF-8 for stdin) or
   * Latin-1 for a binary file.
   * @default "utf-8" without `fp`, "latin-1" with one
   */
  encoding?: string | undefined;
  /** Python's `cgi.maxlen`: largest CONTENT_LENGTH accepted. @default 104857600 */
  maxBytes?: number | undefined;
  /** Most fields (Python: no limit). @default 1000 */
  maxNumFields?: number | undefined;
}

/**
 * Python's `cgi.parse(fp, environ, ...)`: the form as `{ name: [values] }`,
 * from the query string, or from a POST body (urlencoded, with the query
 * string appended, or multipart through `parseMultipart`).
 *
 * Differences: `environ` is not modified (Python stores QUERY_STRING back);
 * no `sys.argv` fallback; a multipart POST works (Python 3.11 fails in
 * `parse_multipart` on its own `parse_header` output).
 *
 * @throws KeyError when a POST has no CONTENT_TYPE, or a urlencoded POST no CONTENT_LENGTH (as Python)
 * @throws ValueError for a CONTENT_LENGTH that is not a number, or over `maxBytes`
 * @example
 * ```ts
 * await parse({ environ: { QUERY_STRING: "a=1&a=2&b=3" } }); // { a: ["1", "2"], b: ["3"] }
 * ```
 */
export async function parse(options: ParseOptions = {}): Promise<Record<string, Array<string | Buffer>>> {
  const environ = options.environ ?? process.env;
  const encoding = options.encoding ?? (options.fp === undefined ? "utf-8" : "latin-1");
  const maxBytes = options.maxBytes ?? 100 * 1024 * 1024;
  const maxNumFields =
    options.maxNumFields === Number.POSITIVE_INFINITY ? undefined : (options.maxNumFields ?? 1000);
  let qs = "";
  if ((environ.REQUEST_METHOD ?? "GET") === "POST") {
    if (environ.CONTENT_TYPE === undefined) throw new KeyError("CONTENT_TYPE");
    const [ctype, pdict] = parseHeader(environ.CONTENT_TYPE);
    const fp = options.fp ?? process.stdin;
    if (ctype === "multipart/form-data") {
      return parseMultipart(fp, pdict, {
        separator: options.separator,
        maxBytes,
        maxNumFields: maxNumFields ?? Number.POSITIVE_INFINITY,
      });
    }
    if (ctype === "application/x-www-form-urlencoded") {
      if (environ.CONTENT_LENGTH === undefined) throw new KeyError("CONTENT_LENGTH");
      const clength = pyInt(environ.CONTENT_LENGTH);
      if (clength === undefined) {
        throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(environ.CONTENT_LENGTH)}`);
      }
      if (clength > maxBytes) throw new ValueError(MAX_LENGTH_MESSAGE);
      const reader = asReader(fp);
      const body = clength >= 0 ? await reader.read(clength) : await reader.read();
      qs = lookupCodec(encoding).decode(body, "strict");
    }
    if (environ.QUERY_STRING !== undefined) {
      if (qs) qs += "&";
      qs += environ.QUERY_STRING;
    }
  } else {
    qs = environ.QUERY_STRING ?? "";
  }
  return parseQs(qs, {
    keepBlankValues: options.keepBlankValues ?? false,
    strictParsing: options.strictParsing ?? false,
    encoding,
    separator: options.separator ?? "&",
    maxNumFields,
  });
}

/** Options of `parseMultipart()`: Python's keyword arguments plus `FieldStorage`'s limits. */
export type ParseMultipartOptions = Omit<FieldStorageOptions, "fp" | "headers" | "environ">;

/**
 * Python's `cgi.parse_multipart(fp, pdict, encoding, errors, separator)`:
 * a `multipart/form-data` body as `{ name: [values] }` (strings for text
 * fields, Buffers for files). `pdict` is the Content-Type's parameters, as
 * `parseHeader` returns them; `boundary` may be text or bytes, and
 * `CONTENT-LENGTH` (Python's key) gives the body length.
 *
 * Parts without a name are left out (Python files them under `None`, which
 * an object cannot have as a key). Temporary files are removed before it
 * returns; values are held in memory.
 *
 * @throws KeyError without a boundary; ValueError as `FieldStorage.read()`
 * @example
 * ```ts world
 * import type { BaseHTTPRequestHandler } from "netkit/http/server";
 * declare const req: BaseHTTPRequestHandler; // in doPOST
 * const [, pdict] = parseHeader(req.headers.get("content-type")!);
 * const fields = await parseMultipart(req.rfile, pdict); // { name: ["value"], upload: [<Buffer ...>] }
 * ```
 */
export async function parseMultipart(
  fp: FormInput,
  pdict: Record<string, string | Uint8Array | undefined>,
  options: ParseMultipartOptions = {},
): Promise<Record<string, Array<string | Buffer>>> {
  const b = pdict.boundary;
  if (b === undefined) throw new KeyError("boundary");
  // RFC 2046 section 5.1: boundary delimiters are always 7bit US-ASCII.
  const boundary = typeof b === "string" ? b : lookupCodec("ascii").decode(Buffer.from(b), "strict");
  const headers = new HTTPMessage();
  headers.add("Content-Type", `multipart/form-data; boundary=${boundary}`);
  const clen = pdict["CONTENT-LENGTH"];
  if (clen !== undefined)
    headers.add("Content-Length", typeof clen === "string" ? clen : Buffer.from(clen).toString());
  const fs = await FieldStorage.read({ ...options, fp, headers, environ: { REQUEST_METHOD: "POST" } });
  try {
    const out: Record<string, Array<string | Buffer>> = Object.create(null);
    for (const key of fs.keys()) {
      if (key !== null) out[key] = fs.getlist(key) as Array<string | Buffer>;
    }
    return out;
  } finally {
    await fs.close();
  }
}
