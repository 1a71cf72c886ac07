/**
 * Python's `xmlrpc.client` exception tree, plus `ExpatError` (Python's
 * `xml.parsers.expat.ExpatError`) for XML that is not well-formed:
 *
 * ```text
 * Error (xmlrpc.client.Error)
 *  ├── ProtocolError (url, errcode, errmsg, headers)   HTTP status other than 200
 *  ├── ResponseError                                    a broken XML-RPC package, a limit
 *  │    └── ExpatError (code, lineno, offset)          not well-formed XML
 *  └── Fault (faultCode, faultString)                   the server's fault response
 * ```
 *
 * Deliberate difference: in Python `ExpatError` is not an `xmlrpc.client.Error`;
 * here it is a `ResponseError`, so one `catch` covers every unusable reply.
 *
 * Every class has a stable `code` and `name`, and `pythonName` (the class
 * name Python would print in `"<class '...'>"`, used for server-side faults).
 *
 * @module
 */
import { nameErrors, pyRepr } from "../errors/index.js";

/** Python's `xmlrpc.client.Error`: the base of the client-side errors. */
// biome-ignore lint/suspicious/noShadowRestrictedNames: Python's name, xmlrpc.client.Error
export class Error extends globalThis.Error {
  /** A stable code for matching without `instanceof`. */
  readonly code: string = "ERR_XMLRPC";
  /** The qualified class name Python prints for the matching exception. */
  static pythonName = "xmlrpc.client.Error";
}

/**
 * Python's `xmlrpc.client.ProtocolError`: the HTTP server answered with a
 * status other than 200. The message is Python's repr:
 * `<ProtocolError for host/RPC2: 404 Not Found>`.
 */
export class ProtocolError extends Error {
  /** The stable code for matching without `instanceof`: `"ERR_XMLRPC_PROTOCOL"`. */
  override readonly code: string = "ERR_XMLRPC_PROTOCOL";
  static override pythonName = "xmlrpc.client.ProtocolError";
  /** The target URL (host and handler; credentials removed, unlike Python). */
  readonly url: string;
  /** The HTTP status code. */
  readonly errcode: number;
  /** The HTTP reason phrase. */
  readonly errmsg: string;
  /** The response headers. */
  readonly headers: Record<string, string>;

  constructor(url: string, errcode: number, errmsg: string, headers: Record<string, string>) {
    super(`<ProtocolError for ${url}: ${errcode} ${errmsg}>`);
    this.url = url;
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.headers = headers;
  }
}

/**
 * Python's `xmlrpc.client.ResponseError`: the XML-RPC package is broken
 * (no `<params>` or `<fault>`, an unknown tag inside `<value>`), or one of
 * netkit's parser limits was reached (size, nesting, a DOCTYPE).
 */
export class ResponseError extends Error {
  /** The stable code for matching without `instanceof`: `"ERR_XMLRPC_RESPONSE"`. */
  override readonly code: string = "ERR_XMLRPC_RESPONSE";
  static override pythonName = "xmlrpc.client.ResponseError";
}

/**
 * Python's `xml.parsers.expat.ExpatError`: the data is not well-formed XML.
 * The message reads as Python's: `mismatched tag: line 1, column 26`.
 * Here it is also a `ResponseError` (see the module doc).
 */
export class ExpatError extends ResponseError {
  /** The stable code for matching without `instanceof`: `"ERR_XMLRPC_EXPAT"`. */
  override readonly code: string = "ERR_XMLRPC_EXPAT";
  static override pythonName = "xml.parsers.expat.ExpatError";
  /** Expat's error text (`"mismatched tag"`), without the position. */
  readonly reason: string;
  /** The line of the error, from 1. */
  readonly lineno: number;
  /** The column of the error, from 0. */
  readonly offset: number;

  constructor(reason: string, lineno: number, offset: number) {
    super(`${reason}: line ${lineno}, column ${offset}`);
    this.reason = reason;
    this.lineno = lineno;
    this.offset = offset;
  }
}

/**
 * Python's `xmlrpc.client.Fault`: the server answered with a fault, or a
 * value to send one (`dumps(new Fault(4, "Too many parameters"))`).
 * The message is Python's repr: `<Fault 4: 'Too many parameters'>`.
 */
export class Fault extends Error {
  /** The stable code for matching without `instanceof`: `"ERR_XMLRPC_FAULT"`. */
  override readonly code: string = "ERR_XMLRPC_FAULT";
  static override pythonName = "xmlrpc.client.Fault";
  /** The fault code (an integer by convention). */
  readonly faultCode: unknown;
  /** The fault string. */
  readonly faultString: unknown;

  constructor(faultCode: unknown, faultString: unknown) {
    super(
      `<Fault ${pyValueStr(faultCode)}: ${typeof faultString === "string" ? pyRepr(faultString) : pyValueStr(faultString)}>`,
    );
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

/** A rough Python `str()` of a value, for messages. */
function pyValueStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  return String(v);
}

/**
 * The `"<class 'X'>"` Python prints for an exception's type, from a JS error:
 * netkit's Python-named errors keep their names (`TypeError`, `ValueError`,
 * `xml.parsers.expat.ExpatError`); a plain `Error` reads as Python's `Exception`.
 */
export function pyClassRepr(err: unknown): string {
  if (err instanceof globalThis.Error) {
    const ctor = err.constructor as { pythonName?: unknown };
    if (typeof ctor.pythonName === "string") return `<class '${ctor.pythonName}'>`;
    const name = err.name === "Error" ? "Exception" : err.name;
    return `<class '${name}'>`;
  }
  return "<class 'Exception'>";
}

/**
 * Python's `str(exc)` for an error: xmlrpc errors print their repr as Python's
 * do (`ResponseError('...')`, `<Fault 1: 'x'>`), other errors their message.
 */
export function pyExceptionStr(err: unknown): string {
  if (err instanceof Fault || err instanceof ProtocolError) return err.message;
  if (err instanceof ExpatError) return err.message;
  if (err instanceof Error) return `${err.name}(${err.message === "" ? "" : pyRepr(err.message)})`;
  if (err instanceof globalThis.Error) return err.message;
  return String(err);
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ Error, ProtocolError, ResponseError, ExpatError, Fault });
