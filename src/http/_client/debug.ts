/**
 * What `setDebuglevel(1)` prints, as Python's `http.client` prints it:
 * `send: b'GET / HTTP/1.1\r\n...'`, `reply: 'HTTP/1.0 200 OK\r\n'`,
 * `header: Server: ...`. The `repr()`s here follow CPython's rules so the
 * text matches Python's for the same exchange.
 *
 * @module
 */
import { pyRepr, pyTypeName } from "../../errors/index.js";

/**
 * Where debug text goes: called with what Python's `print()` would write,
 * trailing newline included.
 */
export type DebugOutput = (text: string) => void;

/** The default sink: standard error (Python prints to standard output). */
export const stderrOutput: DebugOutput = (text) => {
  process.stderr.write(text);
};

/** Python's `repr(bytes)`: `b'...'`, the quote CPython picks, `\xhh` outside printable ASCII. */
export function bytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === quote.charCodeAt(0) || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(b);
  }
  return `${out}${quote}`;
}

/**
 * Python's `repr()` of a value given as a body: bytes, text, a list of
 * those; anything else as `<name object>` (Python shows an address there).
 */
export function valueRepr(value: unknown): string {
  if (value instanceof Uint8Array) return bytesRepr(value);
  if (typeof value === "string") return pyRepr(value);
  if (Array.isArray(value)) return `[${value.map(valueRepr).join(", ")}]`;
  return `<${pyTypeName(value)} object>`;
}

/** Python's `print(*parts)`: the parts joined by spaces, then a newline. */
export function printLine(...parts: string[]): string {
  return `${parts.join(" ")}\n`;
}
