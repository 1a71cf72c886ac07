/**
 * The limits of netkit's XML-RPC server, in one place, each with its reason.
 * Python 3.11's `SimpleXMLRPCRequestHandler` has none of them except the
 * gzip one: it reads whatever Content-Length announces, as slowly as the
 * client sends it.
 *
 * @module
 */
import { MAX_DOCUMENT_SIZE, MAX_GZIP_DECODE } from "./_limits.js";

/**
 * Largest request body read, in bytes, before any gzip decoding: 20 MiB, the
 * size `loads` parses at most, so a body the parser would refuse anyway is
 * refused (413) before it is read.
 */
export const MAX_REQUEST_SIZE = MAX_DOCUMENT_SIZE;

/** Largest gzip-decoded request body: Python's `gzip_decode(max_decode=20971520)`. */
export const MAX_DECODED_SIZE = MAX_GZIP_DECODE;

/**
 * Seconds a client has to send a whole request body once its head is read;
 * past it the server answers 408 and closes. Python has only the handler's
 * per-read `timeout` (unset by default), which a client that stalls forever,
 * or sends a byte now and then, never trips. The head has its own
 * `headerTimeout` (60 s too).
 */
export const DEFAULT_BODY_TIMEOUT = 60;

/** Bytes read from the connection per step while reading a body (Python reads 10 MiB steps; this keeps each small). */
export const READ_CHUNK = 1024 * 1024;

/** Longest chunk-size line of a chunked request body (digits, extensions, CRLF). */
export const MAX_CHUNK_LINE = 4096;

/** Most trailer lines after a chunked request body. */
export const MAX_TRAILERS = 100;

/**
 * After refusing a request whose body was not read (413, 408, a broken
 * chunked body), the server stops sending, then reads and discards what
 * the client is still sending for up to this many seconds, before closing.
 * Closing a socket with unread input makes the kernel answer with a reset,
 * which can destroy the error response before the client reads it
 * ("lingering close", as nginx and Apache do).
 */
export const LINGER_SECONDS = 1;

/** Most bytes discarded during that lingering close. */
export const LINGER_BYTES = 8 * 1024 * 1024;
