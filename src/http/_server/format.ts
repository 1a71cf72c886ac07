/**
 * Text helpers of the HTTP server: the error page, and the control-character
 * escaping `log_message` applies. Python's `%` formatting and `html.escape`,
 * which xmlrpc and cgi use too, are the shared `src/_pyformat.ts` and
 * `src/_html.ts`.
 *
 * @module
 */

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
