/**
 * `netkit/nntplib`: Python's `nntplib` (removed from Python in 3.13), a
 * Usenet news client (RFC 3977, RFC 977, RFC 2980's XOVER/XHDR/XGTITLE,
 * RFC 4642 STARTTLS, RFC 4643 AUTHINFO), on `netkit/textproto`.
 *
 * - `NNTP`, `NNTP_SSL`: the client classes (`await NNTP.open(host)` is
 *   Python's `NNTP(host)`), with Python's methods and return shapes:
 *   `group()` is `[response, count, first, last, name]`, `over()` is
 *   `[response, [number, fields][]]`, `article()` is `[response, ArticleInfo]`.
 * - `GroupInfo`, `ArticleInfo`: Python's named tuples, as small iterable classes.
 * - `decodeHeader`: Python's `decode_header`, RFC 2047 encoded words decoded.
 * - The exception tree: `NNTPError` and its subclasses, with Python's
 *   `response` field and stable codes.
 *
 * Safer than Python 3.11: CR, LF and NUL in a command are refused before
 * sending; articles are dot-stuffed after every line end is made CRLF; TLS
 * verifies the server by default; a block held in memory is bounded
 * (`maxBlockBytes`); broken server data is `NNTPDataError`. The details are
 * on `NNTP`.
 *
 * A session (it needs a news server, so it is not an `@example` the docs
 * test runs; docs/nntplib.md holds the same, type-checked):
 *
 * ```ts
 * import { NNTP } from "netkit/nntplib";
 * await using s = await NNTP.open("localhost", 119, { readermode: true, timeout: 30 });
 * const [, count, first, last, name] = await s.group("local.test");
 * const [, info] = await s.article(last);
 * ```
 *
 * @module
 */
export {
  HeaderParseError,
  NNTPDataError,
  NNTPError,
  NNTPPermanentError,
  NNTPProtocolError,
  NNTPReplyError,
  NNTPTemporaryError,
} from "./errors.js";
export { decodeHeader } from "./header.js";
export {
  type ArticleData,
  type ByteWritable,
  type FileOption,
  type FileTarget,
  MAX_BLOCK_BYTES,
  type MessageSpec,
  NNTP,
  NNTP_PORT,
  NNTP_SSL_PORT,
  type NNTPOptions,
} from "./nntp.js";
export {
  ArticleInfo,
  DEFAULT_OVERVIEW_FMT,
  GroupInfo,
  type Overview,
  parseDatetime,
  parseOverview,
  parseOverviewFmt,
  unparseDatetime,
} from "./parse.js";
export { NNTP_SSL, type NNTP_SSLOptions } from "./ssl.js";
