/**
 * `netkit/cgi`: Python's `cgi` module (removed from Python in 3.13; netkit
 * keeps it): reading HTML forms in a CGI script or a server handler, plus
 * Python's HTML debugging helpers.
 *
 * ```text
 *   environ (REQUEST_METHOD, QUERY_STRING,      ┌─ MiniFieldStorage  name=value pairs
 *   CONTENT_TYPE, CONTENT_LENGTH) + fp (body) ──┤   (query string, urlencoded body)
 *          │                                    └─ FieldStorage      multipart parts:
 *          ▼                                        name, filename, type, headers,
 *   await FieldStorage.read({ fp, environ })        value, file (memory or temp file),
 *                                                   nested parts in list
 * ```
 *
 * - `FieldStorage` / `MiniFieldStorage`: the form; `getvalue`, `getfirst`,
 *   `getlist`, `keys`, `has` (Python's `in`), `get` (Python's `form[key]`).
 *   Construction reads the body, so it is `await FieldStorage.read(...)`.
 * - `parse`, `parseMultipart`: the form as `{ name: [values] }`.
 * - `parseHeader`, `validBoundary`: the header helpers.
 * - `printEnviron`, `printForm`, `printDirectory`, `printArguments`,
 *   `printEnvironUsage`, `printException`, `test`: HTML diagnostics, written
 *   to the output you give.
 *
 * Safer than Python by default: at most 1000 fields, 100 MiB of body, 64 KiB
 * of headers per part and 10 levels of nested parts (each an option); large
 * values go to temporary files that `close()` (or `await using`) removes.
 * Python's `log`/`initlog`/`dolog` (deprecated since 3.10) are not kept.
 *
 * @example
 * ```ts
 * import { FieldStorage } from "netkit/cgi";
 * // In a CGI script: the environment and stdin are the defaults.
 * await using form = await FieldStorage.read();
 * process.stdout.write(`Content-Type: text/plain\r\n\r\nHello, ${form.getfirst("name", "world")}\n`);
 * ```
 *
 * @module
 */

export { htmlEscape } from "../_html.js";
export { KeyError } from "../errors/index.js";
export {
  type HtmlOutput,
  printArguments,
  printDirectory,
  printEnviron,
  printEnvironUsage,
  printException,
  printForm,
  type TestOptions,
  test,
} from "./diagnostics.js";
export { FieldFile, type FieldFileOptions } from "./file.js";
export { parseHeader, validBoundary } from "./header.js";
export {
  type Environ,
  type Field,
  FieldStorage,
  type FieldStorageOptions,
  type FormInput,
  MiniFieldStorage,
  type ParseMultipartOptions,
  type ParseOptions,
  parse,
  parseMultipart,
} from "./storage.js";
