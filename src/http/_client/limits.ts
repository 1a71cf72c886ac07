/**
 * Every limit of netkit's HTTP client beyond Python's line and header limits
 * (`MAX_LINE`, `MAX_HEADERS` in `../message.ts`), each with its reason.
 *
 * @module
 */
import { MAX_HEADERS } from "../message.js";

/**
 * Interim (1xx) responses read before the final one. RFC 9110 15.2 lets a
 * server send several (a `100 Continue`, `103 Early Hints`), so a few are
 * read and dropped; past this many the server is stalling. Python reads
 * `100 Continue` responses without end.
 */
export const MAX_INTERIM_RESPONSES = 16;

/** Trailer lines after a chunked body, the blank one included: as many as header lines. Python reads them without end. */
export const MAX_TRAILER_LINES = MAX_HEADERS;

/**
 * The response head (interim responses, status line, header lines) must
 * arrive within this many times the connection's `timeout`. Python's
 * `timeout` bounds each read, so a server that sends one byte now and then
 * keeps `getresponse()` waiting for ever. Twice: the server has `timeout` to
 * start answering, as in Python, and as long again for the rest.
 */
export const HEAD_TIMEOUT_FACTOR = 2;
