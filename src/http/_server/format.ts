/**
 * Text helpers of the HTTP server: Python's `%` formatting for log lines,
 * `html.escape`, the error page, and the control-character escaping
 * `log_message` applies.
 *
 * @module
 */
import { pyRepr } from "../../errors/index.js";

/** Python's `http.server.DEFAULT_ERROR_MESSAGE`. */
export const DEFAULT_ERROR_MESSAGE = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
`;

/** Python's `http.server.DEFAULT_ERROR_CONTENT_TYPE`. */
export const DEFAULT_ERROR_CONTENT_TYPE = "text/html;charset=utf-8";

/** Python's `html.escape(s, quote)`. */
export function htmlEscape(s: string, quote = true): string {
  let out = s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  if (quote) out = out.replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
  return out;
}

/** Python's `repr()` of a value as `%r` shows it: strings quoted, errors as `Name('message')`. */
export function reprOf(value: unknown): string {
  if (typeof value === "string") return pyRepr(value);
  if (value instanceof Error) return `${value.name}(${pyRepr(value.message)})`;
  if (value === null || value === undefined) return "None";
  return String(value);
}

/**
 * Python's `format % args` for the conversions log and error formats use:
 * `%s`, `%d`, `%r`, `%%`, and `%(name)s` / `%(name)d` with one object argument.
 */
export function pyFormat(format: string, ...args: unknown[]): string {
  let next = 0;
  const named = args.length === 1 && typeof args[0] === "object" && args[0] !== null ? args[0] : undefined;
  return format.replace(
    /%(?:\(([^)]*)\))?([-#0 +]*\d*(?:\.\d+)?)([sdrxi%])/g,
    (whole, name, _flags, conv) => {
      if (conv === "%") return "%";
      const value =
        name !== undefined && named !== undefined ? (named as Record<string, unknown>)[name] : args[next++];
      switch (conv) {
        case "d":
        case "i":
          return String(Math.trunc(Number(value)));
        case "x":
          return Math.trunc(Number(value)).toString(16);
        case "r":
          return reprOf(value);
        default:
          return value === undefined ? whole : String(value);
      }
    },
  );
}

/**
 * `log_message`'s `_control_char_table`: C0 and C1 control characters become
 * `\xNN`, a backslash becomes two, so a client cannot forge log lines.
 */
export function escapeLogControls(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes
  return message.replace(/[\x00-\x1f\x7f-\x9f\\]/g, (c) =>
    c === "\\" ? "\\\\" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
