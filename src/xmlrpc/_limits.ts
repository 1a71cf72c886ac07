/**
 * The limits of netkit's XML-RPC parser and transport, in one place, each
 * with its reason. Python 3.11 has only the gzip one; the others are
 * netkit's safer defaults, each overridable per call.
 *
 * @module
 */

/**
 * Largest XML-RPC document `loads` parses, and largest HTTP response body a
 * `Transport` reads, in bytes: 20 MiB, the same bound Python 3.11 puts on a
 * gzip-decoded body (`gzip_decode(max_decode=20971520)`), so a plain body
 * cannot be larger than a compressed one may become.
 */
export const MAX_DOCUMENT_SIZE = 20 * 1024 * 1024;

/**
 * Python's `gzip_decode` default `max_decode`: 20 MiB (bpo-29033's gzip bomb fix).
 */
export const MAX_GZIP_DECODE = 20_971_520;

/**
 * Deepest element nesting `loads` accepts. Real XML-RPC nests a few levels
 * per array or struct; 1000 elements is about 330 nested arrays, far past
 * any real value and far below what exhausts memory or the stack.
 */
export const MAX_DEPTH = 1000;

/**
 * Deepest value nesting `dumps` writes (arrays and structs). Python stops
 * near here too, with a RecursionError (its recursion limit is 1000).
 */
export const MAX_DUMP_DEPTH = 1000;
