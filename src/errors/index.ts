/**
 * Python's built-in exception classes that netkit raises, as `Error` subclasses
 * with Python's names, fields and tree (`netkit/errors`).
 *
 * ```text
 * Error
 *  ├── OSError (errno, strerror, filename, code)
 *  │    ├── BlockingIOError
 *  │    ├── ConnectionError
 *  │    │    ├── BrokenPipeError
 *  │    │    ├── ConnectionAbortedError
 *  │    │    ├── ConnectionRefusedError
 *  │    │    └── ConnectionResetError
 *  │    ├── FileExistsError, FileNotFoundError, IsADirectoryError,
 *  │    │   NotADirectoryError, PermissionError, InterruptedError
 *  │    └── TimeoutError
 *  ├── ValueError
 *  │    └── UnicodeError
 *  ├── LookupError
 *  │    └── KeyError
 *  ├── OverflowError
 *  ├── RuntimeError
 *  └── EOFError
 *
 * TypeError (JavaScript's own) ── argTypeError(): code "ERR_INVALID_ARG_TYPE"
 * ```
 *
 * Every class carries a stable `code` so callers can match on `err.code`
 * without `instanceof`: for an `OSError` it is the errno name (`"ECONNREFUSED"`,
 * as Node uses), for the others an `ERR_*` string.
 *
 * `OSError.fromErrno(errno)` picks the subclass Python would pick, as
 * `OSError(errno, strerror)` does in CPython (PEP 3151). The errno numbers,
 * names and texts are in one table (`./errno.ts`, re-exported here, Python's
 * `errno` module): code names an errno (`EBADF`), never writes its number.
 *
 * @module
 */
import { EBADF, EPIPE, errnoName, errnoNumber, strerror } from "./errno.js";

export * from "./errno.js";

/** Where `nameClasses` keeps a class's Python name: a static no minifier renames. */
const PY_NAME = Symbol("netkit.pyName");

/**
 * Gives each class the name Python's `type(x).__name__` shows for it in reprs
 * and messages (`<SimpleCookie: a='1'>`, `SplitResult(...)`), from the key it
 * is passed under: a string in the source, never `constructor.name`, which a
 * minifier renames. {@link pyTypeName} reads it; a class not named here (a
 * user's subclass) shows its own `constructor.name`, as Python shows the
 * subclass's name.
 *
 * @param classes classes by the name each shows
 */
export function nameClasses(classes: Record<string, abstract new (...args: never[]) => unknown>): void {
  for (const [name, Class] of Object.entries(classes)) {
    Object.defineProperty(Class, PY_NAME, { value: name, configurable: true });
  }
}

/**
 * Gives each error class its `name`, from the key it is passed under:
 * `nameErrors({ ValueError })` makes every `ValueError` report
 * `name === "ValueError"` (in `String(err)` and stack traces), and names the
 * class for {@link pyTypeName} as {@link nameClasses} does. The name is a
 * string in the source, set on the prototype, never `constructor.name`,
 * which a minifier renames. A subclass that names none of its own reports
 * its parent's name, as a JavaScript `class E extends TypeError {}` reports
 * `"TypeError"`.
 *
 * @param classes error classes by the name each reports
 * @example
 * ```ts
 * class QuotaError extends ValueError {}
 * nameErrors({ QuotaError });
 * String(new QuotaError("over")); // "QuotaError: over"
 * ```
 */
export function nameErrors(classes: Record<string, abstract new (...args: never[]) => Error>): void {
  nameClasses(classes);
  for (const [name, Class] of Object.entries(classes)) {
    Object.defineProperty(Class.prototype, "name", { value: name, writable: true, configurable: true });
  }
}

/**
 * Python's `OSError`: a system call failed. `errno` and `strerror` are
 * Python's fields; `code` is the errno name (`"EADDRINUSE"`), like Node's
 * `err.code`. The message reads as Python's `str(err)`:
 * `[Errno 98] Address already in use`, followed by `: 'filename'` when one is set.
 */
export class OSError extends Error {
  /** The errno number (Linux numbering), or `undefined` when the error has none. */
  readonly errno: number | undefined;
  /** The C library's message for `errno`. */
  readonly strerror: string | undefined;
  /** The file or address the call was about, when there is one. */
  readonly filename: string | undefined;
  /** A stable code: the errno name when there is an errno, else the class's `defaultCode` (`"ERR_OS"`). */
  readonly code: string;

  /**
   * @param errno the errno number; omit for an error with only a message
   * @param message the `strerror`; defaults to the C library's message for `errno`
   * @param filename the file or address the failed call was about
   */
  constructor(errno?: number, message?: string, filename?: string, options?: { cause?: unknown }) {
    const text = message ?? (errno === undefined ? "" : strerror(errno));
    let display = errno === undefined ? text : `[Errno ${errno}] ${text}`;
    if (filename !== undefined) display += `: ${pyRepr(filename)}`;
    super(display, options);
    this.errno = errno;
    this.strerror = errno === undefined ? undefined : text;
    this.filename = filename;
    this.code = (new.target as typeof OSError).codeFor(errno);
  }

  /** The `code` of an instance built without an errno. */
  static defaultCode = "ERR_OS";

  /**
   * The stable `code` for an errno: its name, else `defaultCode`. Subclasses
   * whose errno numbers are not Linux errnos (`gaierror`'s EAI_* codes) override it.
   */
  static codeFor(errno: number | undefined): string {
    return errno === undefined ? this.defaultCode : (errnoName(errno) ?? this.defaultCode);
  }

  /**
   * Builds the `OSError` subclass Python picks for `errno`
   * (`ECONNREFUSED` → `ConnectionRefusedError`, `ETIMEDOUT` → `TimeoutError`, ...).
   */
  static fromErrno(
    errno: number,
    message?: string,
    filename?: string,
    options?: { cause?: unknown },
  ): OSError {
    const name = errnoName(errno) ?? "";
    const Class = ERRNO_CLASSES[name] ?? OSError;
    return new Class(Math.abs(errno), message, filename, options);
  }

  /**
   * Converts an error thrown by a Node API (`err.code === "ECONNREFUSED"`,
   * `err.errno === -111`) into the matching `OSError` subclass. Errors that
   * are already `OSError`s, or carry no errno, are returned as they are
   * (wrapped in a plain `OSError` when they are not errors at all).
   */
  static fromNodeError(err: unknown, filename?: string): Error {
    if (err instanceof OSError) return err;
    const nodeErr = err as NodeJS.ErrnoException | undefined;
    const code = nodeErr?.code;
    let errno: number | undefined;
    if (code && errnoNumber(code) !== undefined) errno = errnoNumber(code);
    else if (typeof nodeErr?.errno === "number" && errnoName(nodeErr.errno)) errno = Math.abs(nodeErr.errno);
    else if (code && NODE_STREAM_CODES[code] !== undefined) errno = NODE_STREAM_CODES[code];
    if (errno === undefined) return err instanceof Error ? err : new OSError(undefined, String(err));
    return OSError.fromErrno(errno, undefined, filename, { cause: err });
  }
}

/**
 * Whether `err` is the failure of a system call: an `OSError`, or a Node
 * system error (`fs`, `process.kill`: an `Error` whose `code` is an errno
 * name, `"ENOENT"`). What a `catch` around a file or process call expects;
 * anything else (a `TypeError` from a bad argument, a bug) is not, and goes on.
 */
export function isSystemError(err: unknown): boolean {
  if (err instanceof OSError) return true;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return err instanceof Error && typeof code === "string" && errnoNumber(code) !== undefined;
}

/**
 * Whether `err` carries the stable `code` given: a Node error
 * (`"ERR_ENCODING_INVALID_ENCODED_DATA"` from a fatal `TextDecoder`) or a
 * netkit one. What a `catch` checks when the failure it expects has no class
 * of its own.
 */
export function hasCode(err: unknown, code: string): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === code;
}

/** Node stream errors that are system errors in Python's eyes. */
const NODE_STREAM_CODES: Record<string, number> = {
  ERR_STREAM_WRITE_AFTER_END: EPIPE, // writing after our own shutdown(SHUT_WR)
  ERR_STREAM_DESTROYED: EBADF, // the socket was closed
  ERR_SOCKET_CLOSED: EBADF,
};

/** Python's `BlockingIOError`: a non-blocking call would have had to wait (EAGAIN). */
export class BlockingIOError extends OSError {}
/** Python's `ConnectionError`: base of the connection failures. */
export class ConnectionError extends OSError {}
/** Python's `BrokenPipeError`: wrote to a connection the peer has closed (EPIPE). */
export class BrokenPipeError extends ConnectionError {}
/** Python's `ConnectionAbortedError` (ECONNABORTED). */
export class ConnectionAbortedError extends ConnectionError {}
/** Python's `ConnectionRefusedError`: nothing listens at the address (ECONNREFUSED). */
export class ConnectionRefusedError extends ConnectionError {}
/** Python's `ConnectionResetError`: the peer reset the connection (ECONNRESET). */
export class ConnectionResetError extends ConnectionError {}
/** Python's `FileExistsError` (EEXIST). */
export class FileExistsError extends OSError {}
/** Python's `FileNotFoundError` (ENOENT). */
export class FileNotFoundError extends OSError {}
/** Python's `IsADirectoryError` (EISDIR). */
export class IsADirectoryError extends OSError {}
/** Python's `NotADirectoryError` (ENOTDIR). */
export class NotADirectoryError extends OSError {}
/** Python's `PermissionError` (EACCES, EPERM). */
export class PermissionError extends OSError {}
/** Python's `InterruptedError` (EINTR). */
export class InterruptedError extends OSError {}

/**
 * Python's `TimeoutError` (also `socket.timeout`): an operation did not finish
 * within its timeout. Built with no errno its message is Python's `timed out`.
 */
export class TimeoutError extends OSError {
  constructor(errno?: number, message?: string, filename?: string, options?: { cause?: unknown }) {
    super(errno, message ?? (errno === undefined ? "timed out" : undefined), filename, options);
  }
  static override defaultCode = "ETIMEDOUT";
}

const ERRNO_CLASSES: Record<string, new (...args: ConstructorParameters<typeof OSError>) => OSError> = {
  EAGAIN: BlockingIOError,
  EALREADY: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  EPIPE: BrokenPipeError,
  ESHUTDOWN: BrokenPipeError,
  ECONNABORTED: ConnectionAbortedError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  EEXIST: FileExistsError,
  ENOENT: FileNotFoundError,
  EISDIR: IsADirectoryError,
  ENOTDIR: NotADirectoryError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  EINTR: InterruptedError,
  ETIMEDOUT: TimeoutError,
};

/** Base for the non-OS errors below: a Python name and a stable `code`. */
abstract class PythonError extends Error {
  /** The stable code for matching without `instanceof`. */
  abstract readonly code: string;
}

/** Python's `ValueError`: an argument has the right type but a bad value. */
export class ValueError extends PythonError {
  /** The stable code for matching without `instanceof`: `"ERR_VALUE"`. */
  readonly code: string = "ERR_VALUE";
}

/** Python's `UnicodeError`: text could not be encoded or decoded. */
export class UnicodeError extends ValueError {
  /** The stable code for matching without `instanceof`: `"ERR_UNICODE"`. */
  override readonly code: string = "ERR_UNICODE";
}

/** Python's `OverflowError`: a number is out of the range an operation accepts. */
export class OverflowError extends PythonError {
  /** The stable code for matching without `instanceof`: `"ERR_OVERFLOW"`. */
  readonly code: string = "ERR_OVERFLOW";
}

/** Python's `EOFError`: input ended where more was required. */
export class EOFError extends PythonError {
  /** The stable code for matching without `instanceof`: `"ERR_EOF"`. */
  readonly code: string = "ERR_EOF";
}

/** Code points Python's `str.isprintable()` rejects: categories C* and Z* (the space excepted). */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `\xhh`, `\uhhhh` or `\Uhhhhhhhh` for one code point. */
export function escapeCodePoint(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/**
 * Python's `repr()` of a string, as it appears in error messages: the quote
 * CPython chooses, `\t\n\r` and non-printable code points escaped.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += escapeCodePoint(cp);
    else if (cp < 0x7f || (ch !== " " && !NON_PRINTABLE.test(ch))) out += ch;
    else out += escapeCodePoint(cp);
  }
  return out + quote;
}

/**
 * Python's `type(x).__name__` for the Python value a JavaScript value stands
 * for, as Python's error messages name it: `NoneType` (null, undefined),
 * `str`, `int` (a whole number, a bigint), `float`, `bool`, `bytes` (any
 * `Uint8Array`), `list` (an array), `dict` (a plain object, a `Map`), `set`,
 * `function`, `symbol`, else the object's class name (`URL`, `Date`): the
 * name {@link nameClasses} gave a netkit class, else `constructor.name`.
 */
export function pyTypeName(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "NoneType";
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "function":
      return "function";
    case "symbol":
      return "symbol";
    default:
      break;
  }
  if (value === null) return "NoneType";
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "list";
  if (value instanceof Map) return "dict";
  if (value instanceof Set) return "set";
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return "dict";
  const Class = (value as object).constructor as { [PY_NAME]?: string; name?: string } | undefined;
  if (Class !== undefined && Object.hasOwn(Class, PY_NAME)) return Class[PY_NAME]!;
  return Class?.name || "object";
}

/** A `TypeError` with Node's stable code for an argument of the wrong type. */
export type ArgTypeError = TypeError & { readonly code: "ERR_INVALID_ARG_TYPE" };

/**
 * The error for an argument of the wrong type, as every netkit entry point
 * throws it: a native `TypeError` (so `instanceof TypeError` holds) with
 * Node's code `ERR_INVALID_ARG_TYPE`, and a message in the form of Python's
 * argument parser, naming the function, the argument, what it takes and what
 * it got: `urlopen() argument 'url' must be str, URL or Request, not int`.
 *
 * A plain-JavaScript caller (or one that cast through `unknown`) gets this
 * instead of a Node-internal "Cannot read properties of null".
 *
 * @param fn the function's name as the caller wrote it (`"urlopen"`, `"HTTPConnection"`)
 * @param name the argument's name
 * @param expected what the argument takes (`"str"`, `"str or URL"`, `"an options object"`)
 * @param value the value given; its Python type name ends the message
 * @example
 * ```ts
 * function checkHost(host: unknown): void {
 *   if (typeof host !== "string") throw argTypeError("HTTPConnection", "host", "str", host);
 * }
 * ```
 */
export function argTypeError(fn: string, name: string, expected: string, value: unknown): ArgTypeError {
  return withCode(
    new TypeError(`${fn}() argument '${name}' must be ${expected}, not ${pyTypeName(value)}`),
    "ERR_INVALID_ARG_TYPE",
  );
}

/**
 * Gives an error of a JavaScript class (`TypeError`, `RangeError`, `Error`)
 * the stable `code` every netkit error carries, so callers match on
 * `err.code` whatever the class: the way netkit throws Python's `TypeError`s
 * (`cannot marshal <class 'set'> objects`) and its few errors with no Python
 * class. The code is read-only and enumerable, as Node's own are.
 *
 * @param error the error to mark
 * @param code the stable code (`"ERR_..."`)
 * @returns `error`, typed with its code
 * @example
 * ```ts
 * const err = withCode(new TypeError("dictionary key must be string"), "ERR_XMLRPC_CANNOT_MARSHAL");
 * err.code; // "ERR_XMLRPC_CANNOT_MARSHAL", typed as that string
 * ```
 */
export function withCode<E extends Error, C extends string>(
  error: E,
  code: C,
): E & { /** The stable code given. */ readonly code: C } {
  return Object.defineProperty(error, "code", { value: code, enumerable: true, writable: false }) as E & {
    readonly code: C;
  };
}

/**
 * An `Error` for anything thrown: an `Error` as it is; another value (a
 * string a user's callback threw) wrapped, its `String()` as the message,
 * with code `ERR_NON_ERROR_THROWN` and the value as `cause`.
 */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return withCode(new Error(String(thrown), { cause: thrown }), "ERR_NON_ERROR_THROWN");
}

/** Python's `LookupError`: a name (an encoding, an error handler) is not known. */
export class LookupError extends PythonError {
  /** The stable code for matching without `instanceof`: `"ERR_LOOKUP"`. */
  readonly code: string = "ERR_LOOKUP";
}

/**
 * Python's `KeyError`: a mapping has no such key. The message is the key's
 * `repr()`, as Python's `str(KeyError(key))` (`'name'`; `None` for `null`).
 */
export class KeyError extends LookupError {
  /** The stable code for matching without `instanceof`: `"ERR_KEY"`. */
  override readonly code: string = "ERR_KEY";
  /** The missing key. */
  readonly key: string | null;
  /** @param key the missing key */
  constructor(key: string | null) {
    super(key === null ? "None" : pyRepr(key));
    this.key = key;
  }
}

/** Python's `RuntimeError`: an operation is not allowed in the object's current state. */
export class RuntimeError extends PythonError {
  /** The stable code for matching without `instanceof`: `"ERR_RUNTIME"`. */
  readonly code: string = "ERR_RUNTIME";
}

/** Python's `UnicodeEncodeError`: a string has characters the encoding cannot represent. */
export class UnicodeEncodeError extends UnicodeError {
  /** The stable code for matching without `instanceof`: `"ERR_UNICODE_ENCODE"`. */
  override readonly code: string = "ERR_UNICODE_ENCODE";
  /** The codec's name, as Python reports it (`"utf-8"`, `"ascii"`, `"latin-1"`). */
  readonly encoding: string;
  /** The string being encoded. */
  readonly object: string;
  /** First offending position, in code points. */
  readonly start: number;
  /** One past the last offending position, in code points. */
  readonly end: number;
  /** Why the characters could not be encoded. */
  readonly reason: string;

  constructor(encoding: string, object: string, start: number, end: number, reason: string) {
    const where =
      end - start === 1
        ? `character '${escapeCodePoint(codePointAtIndex(object, start))}' in position ${start}`
        : `characters in position ${start}-${end - 1}`;
    super(`'${encoding}' codec can't encode ${where}: ${reason}`);
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
  }
}

/** Python's `UnicodeDecodeError`: bytes are not valid in the encoding. */
export class UnicodeDecodeError extends UnicodeError {
  /** The stable code for matching without `instanceof`: `"ERR_UNICODE_DECODE"`. */
  override readonly code: string = "ERR_UNICODE_DECODE";
  /** The codec's name, as Python reports it. */
  readonly encoding: string;
  /** The bytes being decoded. */
  readonly object: Buffer;
  /** First offending byte offset. */
  readonly start: number;
  /** One past the last offending byte offset. */
  readonly end: number;
  /** Why the bytes could not be decoded. */
  readonly reason: string;

  constructor(encoding: string, object: Buffer, start: number, end: number, reason: string) {
    const where =
      end - start === 1
        ? `byte 0x${object[start]!.toString(16).padStart(2, "0")} in position ${start}`
        : `bytes in position ${start}-${end - 1}`;
    super(`'${encoding}' codec can't decode ${where}: ${reason}`);
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
  }
}

/** The code point at code-point index `index` of `s`. */
function codePointAtIndex(s: string, index: number): number {
  let n = 0;
  for (const ch of s) {
    if (n++ === index) return ch.codePointAt(0)!;
  }
  return 0;
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({
  OSError,
  BlockingIOError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  IsADirectoryError,
  NotADirectoryError,
  PermissionError,
  InterruptedError,
  TimeoutError,
  ValueError,
  UnicodeError,
  OverflowError,
  EOFError,
  LookupError,
  KeyError,
  RuntimeError,
  UnicodeEncodeError,
  UnicodeDecodeError,
});
