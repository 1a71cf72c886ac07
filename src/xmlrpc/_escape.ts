/**
 * Python's `xmlrpc.client.escape`: the three characters XML-RPC text escapes.
 *
 * @module
 */

/**
 * Python's `escape(s)`: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. Nothing
 * else (quotes and control characters pass as they are, as in Python).
 */
// biome-ignore lint/suspicious/noShadowRestrictedNames: Python's name, xmlrpc.client.escape
export function escape(s: string): string {
  // Most text has nothing to escape: one native scan, and the string itself back.
  if (!SPECIAL.test(s)) return s;
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const SPECIAL = /[&<>]/;
