/**
 * Python's `html.escape` (internal, shared: http.server's error pages and
 * directory listings, cgi's diagnostic pages, xmlrpc's CGI error page).
 *
 * @module
 */

/**
 * Python's `html.escape(s, quote=True)`: `&`, `<`, `>` as entities, and with
 * `quote` the quotes too (`"` as `&quot;`, `'` as `&#x27;`).
 * @param s the text to put in HTML
 * @param quote escape `"` and `'` too, for attribute values
 * @returns the escaped text
 */
export function htmlEscape(s: string, quote = true): string {
  let out = s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  if (quote) out = out.replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
  return out;
}
