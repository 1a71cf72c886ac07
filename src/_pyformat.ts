/**
 * Python's `format % args` for the conversions netkit's log lines and error
 * pages use (internal, shared: http.server's `log_message` and
 * `send_error`, xmlrpc's CGI error page).
 *
 * @module
 */
import { pyRepr } from "./errors/index.js";

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
