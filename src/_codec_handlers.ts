/**
 * Python's codec error handlers, shared by netkit's codecs (internal to
 * `src/_codecs.ts` and the codec files beside it): `strict`, `ignore`,
 * `replace`, `backslashreplace`, `xmlcharrefreplace`, `surrogateescape` and
 * `surrogatepass`, applied to the error ranges each codec finds exactly where
 * CPython's finds them (the handler's output depends on those ranges).
 *
 * @module
 */
import {
  escapeCodePoint,
  LookupError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  withCode,
} from "./errors/index.js";

/** True for a UTF-16 surrogate code point (U+D800..U+DFFF). */
export const isSurrogate = (cp: number): boolean => cp >= 0xd800 && cp <= 0xdfff;

/** `String.prototype.isWellFormed` (Node 20; not yet in TypeScript's ES2023 lib): no lone surrogates. */
export const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A codec: Python's `str.encode(name, errors)` and `bytes.decode(name, errors)`. */
export interface Codec {
  /** The name Python's codec reports in its errors (`"utf-8"`, `"latin-1"`, `"ascii"`, `"charmap"`, `"utf-16-le"`). */
  readonly name: string;
  /** Python's codec module (`"utf_8"`, `"cp1252"`, `"utf_16_le"`): what the codec is. */
  readonly module: string;
  /** Encodes `text`; `errors` is a Python error handler name. */
  encode(text: string, errors: string): Buffer;
  /** Decodes `bytes`; `errors` is a Python error handler name. */
  decode(bytes: Buffer, errors: string): string;
  /** True when every ASCII character encodes to its own byte and back. */
  readonly asciiCompatible: boolean;
}

const KNOWN_HANDLERS = new Set([
  "strict",
  "ignore",
  "replace",
  "backslashreplace",
  "xmlcharrefreplace",
  "namereplace",
  "surrogateescape",
  "surrogatepass",
]);

/** Python looks an error handler up only when an error happens; so do we. */
export function checkHandler(errors: string): void {
  if (!KNOWN_HANDLERS.has(errors)) throw new LookupError(`unknown error handler name '${errors}'`);
  if (errors === "namereplace") {
    // CPython's namereplace needs the Unicode character name database, which Node lacks.
    throw new LookupError("Cannot use error handler 'namereplace': netkit has no Unicode name table");
  }
}

/** How an encoder writes: the pieces `encodeSlow` needs of a codec. */
export interface EncodeTarget {
  /** The codec's name in errors. */
  readonly codec: string;
  /** Why a character cannot be encoded (`"ordinal not in range(128)"`). */
  readonly reason: string;
  /** True for a code point the codec cannot encode. */
  isBad(cp: number): boolean;
  /** Writes an encodable code point. */
  good(cp: number, out: number[]): void;
  /** Writes a handler's ASCII replacement text; by default as ASCII bytes. */
  ascii?(text: string, out: number[]): void;
  /** Writes a lone surrogate for `surrogatepass`; absent when the codec refuses it. */
  surrogate?(cp: number, out: number[]): void;
  /** Bytes a `surrogateescape` replacement stands for can be written as they are (not in UTF-16/32). */
  readonly rawBytes: boolean;
  /**
   * The encoder applies `surrogateescape` itself, character by character, so
   * a run fails from its first character that is no escape (CPython's UTF-8,
   * Latin-1 and ASCII encoders); otherwise the handler refuses the whole run.
   */
  readonly escapesInline?: boolean;
}

/**
 * Handles one run of unencodable code points `[start, end)` (code-point
 * indices; `cps` are the code points) the way CPython's error handlers do,
 * pushing replacement bytes onto `out`.
 */
function encodeErrorRun(
  target: EncodeTarget,
  text: string,
  errors: string,
  cps: number[],
  start: number,
  out: number[],
): void {
  const end = start + cps.length;
  const fail = (from = start) => new UnicodeEncodeError(target.codec, text, from, end, target.reason);
  if (errors === "strict") throw fail();
  checkHandler(errors);
  const ascii = target.ascii ?? pushAscii;
  switch (errors) {
    case "ignore":
      return;
    case "replace":
      for (let i = 0; i < cps.length; i++) ascii("?", out);
      return;
    case "xmlcharrefreplace":
      for (const cp of cps) ascii(`&#${cp};`, out);
      return;
    case "backslashreplace":
      for (const cp of cps) ascii(escapeCodePoint(cp), out);
      return;
    case "surrogateescape":
      if (!target.rawBytes) throw fail();
      for (let i = 0; i < cps.length; i++) {
        const cp = cps[i]!;
        // CPython's encoders escape what they can themselves, then hand the
        // rest of the run to the handler, which raises for it.
        if (cp < 0xdc80 || cp > 0xdcff) throw fail(target.escapesInline ? start + i : start);
        out.push(cp - 0xdc00);
      }
      return;
    case "surrogatepass": {
      const surrogate = target.surrogate;
      if (!surrogate) throw fail();
      for (const cp of cps) {
        if (cp < 0xd800 || cp > 0xdfff) throw fail();
        surrogate(cp, out);
      }
      return;
    }
  }
}

/** Writes ASCII text as its bytes. */
export function pushAscii(text: string, out: number[]): void {
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}

/**
 * The slow encoder every codec shares: walks code points, encodes the good
 * ones, and passes each maximal run of bad ones to the error handler.
 */
export function encodeSlow(target: EncodeTarget, text: string, errors: string): Buffer {
  const out: number[] = [];
  let index = 0;
  let run: number[] = [];
  let runStart = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (target.isBad(cp)) {
      if (run.length === 0) runStart = index;
      run.push(cp);
    } else {
      if (run.length > 0) {
        encodeErrorRun(target, text, errors, run, runStart, out);
        run = [];
      }
      target.good(cp, out);
    }
    index++;
  }
  if (run.length > 0) encodeErrorRun(target, text, errors, run, runStart, out);
  return Buffer.from(out);
}

/** A decode error range and its reason, as CPython's decoder reports it. */
export interface DecodeError {
  start: number;
  end: number;
  reason: string;
}

/**
 * Applies a decode error handler to `[start, end)`; returns the replacement
 * text and where decoding resumes. `surrogate` is the codec's `surrogatepass`:
 * the lone surrogate encoded at `start` and where it ends, or `undefined`.
 */
export function decodeErrorRange(
  codec: string,
  bytes: Buffer,
  errors: string,
  err: DecodeError,
  surrogate?: (bytes: Buffer, start: number) => [string, number] | undefined,
): [string, number] {
  const { start, end } = err;
  const fail = () => new UnicodeDecodeError(codec, bytes, start, end, err.reason);
  if (errors === "strict") throw fail();
  checkHandler(errors);
  switch (errors) {
    case "ignore":
      return ["", end];
    case "replace":
      return ["\ufffd", end];
    case "backslashreplace": {
      let s = "";
      for (let k = start; k < end; k++) s += `\\x${bytes[k]!.toString(16).padStart(2, "0")}`;
      return [s, end];
    }
    case "surrogateescape": {
      // CPython escapes the bytes from `start` up to the first ASCII one, four at
      // most, and resumes after them (possibly inside the range); it refuses a
      // range that starts with ASCII.
      let s = "";
      let k = start;
      while (k < end && k < start + 4 && bytes[k]! >= 0x80) s += String.fromCharCode(0xdc00 + bytes[k++]!);
      if (k === start) throw fail();
      return [s, k];
    }
    case "surrogatepass": {
      const passed = surrogate?.(bytes, start);
      if (passed) return passed;
      throw fail();
    }
    default:
      // xmlcharrefreplace and namereplace only know how to encode.
      throw withCode(
        new TypeError("don't know how to handle UnicodeDecodeError in error callback"),
        "ERR_INVALID_ARG_TYPE",
      );
  }
}

/**
 * `decodeErrorRange` for a codec CPython reaches through its codec registry
 * (not one of `bytes.decode`'s built-in fast paths), which names the
 * encoding in a handler's TypeError; netkit names the codec's module.
 * @param codec the codec's name in `UnicodeDecodeError` (`"utf7"`, `"gbk"`)
 * @param module the codec's module, for the TypeError (`"utf_7"`, `"gbk"`)
 */
export function registryDecodeError(
  codec: string,
  module: string,
  bytes: Buffer,
  errors: string,
  err: DecodeError,
): [string, number] {
  try {
    return decodeErrorRange(codec, bytes, errors, err);
  } catch (e) {
    throw asRegistryError(e, module);
  }
}

/**
 * `e` as Python's codec registry passes it on: a handler's TypeError from a
 * codec reached through the registry (every codec but the few with a fast
 * path in `bytes.decode`) names the codec's module.
 */
export function asRegistryError(e: unknown, module: string): unknown {
  if (e instanceof TypeError) e.message = `decoding with '${module}' codec failed (TypeError: ${e.message})`;
  return e;
}
