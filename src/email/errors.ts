/**
 * Python's `email.errors`: the exceptions the email package raises and the
 * defects its parser records, with Python's names and tree and a stable
 * `code` on each:
 *
 * ```text
 * Error
 *  └── MessageError                                 ERR_EMAIL_MESSAGE
 *       ├── MessageParseError                       ERR_EMAIL_PARSE
 *       │    ├── HeaderParseError                   ERR_EMAIL_HEADER_PARSE
 *       │    └── BoundaryError                      ERR_EMAIL_BOUNDARY
 *       ├── HeaderWriteError                        ERR_EMAIL_HEADER_WRITE
 *       ├── MultipartConversionError                ERR_EMAIL_MULTIPART_CONVERSION
 *       └── CharsetError                            ERR_EMAIL_CHARSET
 * ValueError
 *  └── MessageDefect                                ERR_EMAIL_DEFECT
 *       ├── NoBoundaryInMultipartDefect, StartBoundaryNotFoundDefect,
 *       │   CloseBoundaryNotFoundDefect, FirstHeaderLineIsContinuationDefect,
 *       │   MisplacedEnvelopeHeaderDefect, MissingHeaderBodySeparatorDefect,
 *       │   MultipartInvariantViolationDefect,
 *       │   InvalidMultipartContentTransferEncodingDefect, UndecodableBytesDefect,
 *       │   InvalidBase64PaddingDefect, InvalidBase64CharactersDefect,
 *       │   InvalidBase64LengthDefect
 *       ├── NestingTooDeepDefect (netkit's: see the parser's limits)
 *       └── HeaderDefect
 *            └── InvalidHeaderDefect, HeaderMissingRequiredValue,
 *                NonPrintableDefect, ObsoleteHeaderDefect,
 *                NonASCIILocalPartDefect, InvalidDateDefect
 * ```
 *
 * A defect is not thrown by the parser: it is recorded on the message's
 * `defects` list (or thrown, when the policy says `raiseOnDefect`), as
 * Python's are. `MalformedHeaderDefect` is Python's old alias of
 * `MissingHeaderBodySeparatorDefect`.
 *
 * @module
 */
import { nameErrors, ValueError } from "../errors/index.js";

/** Python's `email.errors.MessageError`: the base of the email package's exceptions. */
export class MessageError extends Error {
  /** The stable code for matching without `instanceof`. */
  readonly code: string = "ERR_EMAIL_MESSAGE";
}

/** Python's `MessageParseError`: a message could not be parsed. */
export class MessageParseError extends MessageError {
  override readonly code: string = "ERR_EMAIL_PARSE";
}

/** Python's `HeaderParseError`: a header could not be parsed or encoded. */
export class HeaderParseError extends MessageParseError {
  override readonly code: string = "ERR_EMAIL_HEADER_PARSE";
}

/** Python's `BoundaryError` (kept for compatibility: the parser records defects instead). */
export class BoundaryError extends MessageParseError {
  override readonly code: string = "ERR_EMAIL_BOUNDARY";
}

/**
 * Python's `HeaderWriteError` (3.11's security releases, gh-121650): the
 * generator refused a folded header that would end early or start another
 * header (header injection).
 */
export class HeaderWriteError extends MessageError {
  override readonly code: string = "ERR_EMAIL_HEADER_WRITE";
}

/** Python's `MultipartConversionError` (Python's is also a `TypeError`): attaching to a non-multipart message. */
export class MultipartConversionError extends MessageError {
  override readonly code: string = "ERR_EMAIL_MULTIPART_CONVERSION";
}

/** Python's `CharsetError`: a charset name that is not ASCII. */
export class CharsetError extends MessageError {
  override readonly code: string = "ERR_EMAIL_CHARSET";
}

/**
 * Python's `MessageDefect` (a `ValueError`): something the parser found wrong
 * in a message and worked around. `line` is the offending input line, when
 * the defect has one.
 */
export class MessageDefect extends ValueError {
  override readonly code: string = "ERR_EMAIL_DEFECT";
  /** The input line the defect is about, or `undefined`. */
  readonly line: string | undefined;
  /** @param line the offending line, when there is one */
  constructor(line?: string) {
    super(line ?? "");
    this.line = line;
  }
}

/** A multipart message has no `boundary` parameter. */
export class NoBoundaryInMultipartDefect extends MessageDefect {}
/** The start boundary of a multipart body never appears. */
export class StartBoundaryNotFoundDefect extends MessageDefect {}
/** The close boundary of a multipart body never appears. */
export class CloseBoundaryNotFoundDefect extends MessageDefect {}
/** The first header line is a continuation line. */
export class FirstHeaderLineIsContinuationDefect extends MessageDefect {}
/** A "From " line in the middle of the headers. */
export class MisplacedEnvelopeHeaderDefect extends MessageDefect {}
/** A line that is not a header and no blank line before it: the body starts there. */
export class MissingHeaderBodySeparatorDefect extends MessageDefect {}
/** Python's old name for {@link MissingHeaderBodySeparatorDefect}. */
export const MalformedHeaderDefect = MissingHeaderBodySeparatorDefect;
/** A message says it is multipart but its payload is not a list of parts. */
export class MultipartInvariantViolationDefect extends MessageDefect {}
/** A multipart has a Content-Transfer-Encoding other than 7bit, 8bit or binary. */
export class InvalidMultipartContentTransferEncodingDefect extends MessageDefect {}
/** Header bytes that are not valid in their charset. */
export class UndecodableBytesDefect extends MessageDefect {}
/** Base64 data with too little padding. */
export class InvalidBase64PaddingDefect extends MessageDefect {}
/** Base64 data with characters outside its alphabet. */
export class InvalidBase64CharactersDefect extends MessageDefect {}
/** Base64 data whose length (one more than a multiple of four) no encoder makes. */
export class InvalidBase64LengthDefect extends MessageDefect {}
/**
 * netkit's: a part nested deeper than the parser's limit
 * (`MAX_NESTING_DEPTH`); its body is kept as text, unparsed. Python has no
 * limit and fails with a `RecursionError` near a thousand levels.
 */
export class NestingTooDeepDefect extends MessageDefect {}

/** Python's `HeaderDefect`: the base of the defects found in one header's value. */
export class HeaderDefect extends MessageDefect {}
/** A header value does not follow its grammar. */
export class InvalidHeaderDefect extends HeaderDefect {}
/** A header that must have a value has none. */
export class HeaderMissingRequiredValue extends HeaderDefect {}
/** ASCII control characters in a header. */
export class NonPrintableDefect extends HeaderDefect {
  /** The non-printable characters found. */
  readonly nonPrintables: string[];
  /** @param nonPrintables the characters found */
  constructor(nonPrintables: string[]) {
    super(`the following ASCII non-printables found in header: ${JSON.stringify(nonPrintables)}`);
    this.nonPrintables = nonPrintables;
  }
}
/** Obsolete header syntax (RFC 5322 section 4) that is accepted. */
export class ObsoleteHeaderDefect extends HeaderDefect {}
/** A local part that is not ASCII. */
export class NonASCIILocalPartDefect extends HeaderDefect {}
/** A Date header that cannot be parsed. */
export class InvalidDateDefect extends HeaderDefect {}

nameErrors({
  MessageError,
  MessageParseError,
  HeaderParseError,
  BoundaryError,
  HeaderWriteError,
  MultipartConversionError,
  CharsetError,
  MessageDefect,
  NoBoundaryInMultipartDefect,
  StartBoundaryNotFoundDefect,
  CloseBoundaryNotFoundDefect,
  FirstHeaderLineIsContinuationDefect,
  MisplacedEnvelopeHeaderDefect,
  MissingHeaderBodySeparatorDefect,
  MultipartInvariantViolationDefect,
  InvalidMultipartContentTransferEncodingDefect,
  UndecodableBytesDefect,
  InvalidBase64PaddingDefect,
  InvalidBase64CharactersDefect,
  InvalidBase64LengthDefect,
  NestingTooDeepDefect,
  HeaderDefect,
  InvalidHeaderDefect,
  HeaderMissingRequiredValue,
  NonPrintableDefect,
  ObsoleteHeaderDefect,
  NonASCIILocalPartDefect,
  InvalidDateDefect,
});
