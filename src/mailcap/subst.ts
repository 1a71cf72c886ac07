/**
 * Filling in a mailcap command: Python 3.11's `mailcap.subst` and
 * `findparam`, and the check that keeps a file name, a MIME type or a MIME
 * parameter from carrying shell syntax into the command (RFC 1524 section
 * "Security Issues"; CPython's `_find_unsafe`, gh-68966).
 *
 * ```text
 * %s  the file name            %t  the MIME type
 * %{name}  a MIME parameter    %%  a percent sign
 * \x  x (a backslash quotes the next character)
 * ```
 *
 * A value is safe when every character is an ASCII letter, digit or one of
 * `_ @ + = : , . / -`, or a character from U+00A1 up, as in CPython. netkit
 * goes further in three places: a value starting with `-` is refused too (a
 * viewer would read it as an option); a lone surrogate is refused (it has no
 * bytes to pass to a command); and `subst` checks the file name itself,
 * where Python checks it only in `findmatch`. A refused value makes `subst`
 * answer null and emits an {@link UnsafeMailcapInput} warning, as Python
 * does. Where Python throws IndexError on a `%` at the end of a field,
 * netkit keeps the `%`.
 *
 * @module
 */
import { nameErrors, pyRepr } from "../errors/index.js";

/**
 * Python's `mailcap.UnsafeMailcapInput`: the warning emitted (with
 * `process.emitWarning`, Node's `warnings.warn`) when a value is refused.
 * An `Error` subclass, as Node's warnings are.
 */
export class UnsafeMailcapInput extends Error {
  /** Stable code: `"ERR_MAILCAP_UNSAFE_INPUT"`. */
  readonly code = "ERR_MAILCAP_UNSAFE_INPUT";
}
nameErrors({ UnsafeMailcapInput });

/** CPython's safe characters (its `\w` is ASCII's below U+00A1), without the surrogates. */
const SAFE = /^(?:[\w@+=:,./-]|[\u00a1-\ud7ff\ue000-\u{10ffff}])*$/u;

/**
 * Whether `value` must not go into a shell command: it holds a character
 * outside the safe set, a lone surrogate, or starts with `-`.
 * @param value a file name, MIME type or parameter value
 */
export function isUnsafe(value: string): boolean {
  return value.startsWith("-") || !SAFE.test(value);
}

/** Emits an {@link UnsafeMailcapInput} warning, Python's `warnings.warn(msg, UnsafeMailcapInput)`. */
export function warnUnsafe(message: string): void {
  process.emitWarning(new UnsafeMailcapInput(message));
}

/** Python's message for a refused file name. */
export function unsafeFilenameMessage(filename: string): string {
  return `Refusing to use mailcap with filename ${pyRepr(filename)}. Use a safe temporary filename.`;
}

/** The index in `text` after its first `count` code points (Python slices by code point). */
function codePointEnd(text: string, count: number): number {
  let i = 0;
  for (let k = 0; k < count && i < text.length; k++) {
    const unit = text.charCodeAt(i);
    const low = text.charCodeAt(i + 1);
    i += unit >= 0xd800 && unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
  }
  return i;
}

/** The number of code points of `text`. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Python's `mailcap.findparam(name, plist)`: the value of the first
 * `name=value` item of `plist` whose name matches (case-insensitively), or
 * `""` when none does.
 */
export function findparam(name: string, plist: readonly string[]): string {
  const want = `${name.toLowerCase()}=`;
  const n = codePoints(want);
  for (const p of plist) {
    const end = codePointEnd(p, n);
    if (p.slice(0, end).toLowerCase() === want) return p.slice(end);
  }
  return "";
}

/**
 * Python's `mailcap.subst(field, MIMEtype, filename, plist)`: `field` (a
 * mailcap command) with `%s`, `%t`, `%{name}` and `%%` filled in and
 * backslash escapes removed. An unknown `%x` stays as it is.
 *
 * Safer than Python 3.11: the file name is checked here too (Python checks
 * it in `findmatch` only), and a value starting with `-` is refused; see
 * {@link isUnsafe}.
 *
 * @param field the command, as in the mailcap entry
 * @param MIMEtype the type for `%t`
 * @param filename the file for `%s`
 * @param plist MIME parameters as `"name=value"` strings, for `%{name}`
 * @returns the command, or null (with an {@link UnsafeMailcapInput} warning) when a value it needs is unsafe
 * @example
 * ```ts
 * subst("iconv -f %{charset} %s", "text/plain", "/tmp/a.txt", ["charset=latin1"]);
 * // "iconv -f latin1 /tmp/a.txt"
 * subst("less %s", "text/plain", "a;rm -rf ~"); // null, and a warning
 * ```
 */
export function subst(
  field: string,
  MIMEtype: string,
  filename: string,
  plist: readonly string[] = [],
): string | null {
  let res = "";
  const n = field.length;
  let i = 0;
  while (i < n) {
    let c = field[i++]!;
    if (c !== "%") {
      if (c === "\\") c = field.slice(i, ++i);
      res += c;
      continue;
    }
    if (i >= n) {
      // Python raises IndexError on a "%" that ends the field; netkit keeps it.
      res += "%";
      break;
    }
    c = field[i++]!;
    if (c === "%") {
      res += "%";
    } else if (c === "s") {
      if (isUnsafe(filename)) {
        warnUnsafe(unsafeFilenameMessage(filename));
        return null;
      }
      res += filename;
    } else if (c === "t") {
      if (isUnsafe(MIMEtype)) {
        warnUnsafe(`Refusing to substitute MIME type ${pyRepr(MIMEtype)} into a shell command.`);
        return null;
      }
      res += MIMEtype;
    } else if (c === "{") {
      const start = i;
      while (i < n && field[i] !== "}") i++;
      const name = field.slice(start, i);
      i++;
      const param = findparam(name, plist);
      if (isUnsafe(param)) {
        warnUnsafe(`Refusing to substitute parameter ${pyRepr(param)} (${name}) into a shell command`);
        return null;
      }
      res += param;
    } else {
      // %n and %F (multipart counts and part lists) are not supported, as in Python.
      res += `%${c}`;
    }
  }
  return res;
}
