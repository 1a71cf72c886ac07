/**
 * `MultipartError`, the one error class of `netkit/multipart` (re-exported
 * by `reader.ts`), in a file of its own so the reader and its scanners
 * (`_scan.ts`) both throw it without importing each other.
 *
 * @module
 */
import { nameErrors, ValueError } from "../errors/index.js";

/**
 * A multipart body broke a limit or could not be read (a `ValueError`, as
 * Python's cgi raises for bad forms). `code` says which:
 * `"ERR_MULTIPART_HEADER_LINE_TOO_LONG"`, `"ERR_MULTIPART_HEADERS_TOO_LARGE"`,
 * `"ERR_MULTIPART_TOO_MANY_HEADERS"`, `"ERR_MULTIPART_BODY_TOO_LARGE"`,
 * `"ERR_MULTIPART_BOUNDARY"` (an unusable boundary); and from `netkit/cgi`,
 * `"ERR_MULTIPART_TOO_MANY_PARAMS"` (a part's Content-Disposition or
 * Content-Type with more parameters than `maxHeaderParams`).
 */
export class MultipartError extends ValueError {
  /** The stable code for matching without `instanceof`. */
  override readonly code: string;
  /**
   * @param message what went wrong
   * @param code the stable code @default "ERR_MULTIPART"
   */
  constructor(message: string, code = "ERR_MULTIPART") {
    super(message);
    this.code = code;
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ MultipartError });
