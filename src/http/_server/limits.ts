/**
 * Every limit of netkit's HTTP server, in one place, each with its source.
 *
 * @module
 */
import { MAX_HEADER_BYTES as TEXTPROTO_MAX_HEADER_BYTES } from "../../textproto/header.js";
import { MAX_HEADERS, MAX_LINE } from "../message.js";

/** Longest request line, in bytes (Python's `handle_one_request` reads 65537 and answers 414 past 65536). */
export const MAX_REQUEST_LINE = 65536;

/** Longest header line (Python's `http.client._MAXLINE`; past it: 431 "Line too long"). */
export const MAX_HEADER_LINE = MAX_LINE;

/** Most header lines, the blank one included (Python's `_MAXHEADERS`; past it: 431 "Too many headers"). */
export const MAX_HEADER_COUNT = MAX_HEADERS;

/**
 * Most bytes of a request's header block, line ends included (Go's
 * `DefaultMaxHeaderBytes`, 1 MiB; past it: 431). Not in Python, where 100
 * lines of 64 KiB, 6.5 MB a request, is the only bound.
 */
export const MAX_HEADER_BYTES = TEXTPROTO_MAX_HEADER_BYTES;

/**
 * Seconds a client has to send a whole request head (request line and
 * headers), and the longest a kept-alive connection may idle between
 * requests. Not in Python, whose only guard is the per-read `timeout` (unset
 * by default), which a client sending a byte now and then never trips
 * (slowloris). nginx's `client_header_timeout` is 60 s too.
 */
export const DEFAULT_HEADER_TIMEOUT = 60;

/**
 * Bytes read from a file per chunk when streaming it: big enough that a
 * gigabyte is ~2000 reads and writes, small enough that a thousand parallel
 * downloads hold half a gigabyte at most.
 */
export const FILE_CHUNK = 512 * 1024;

/** Files up to this size go out with their headers in a single write. */
export const SINGLE_WRITE_MAX = 64 * 1024;

/** Most ranges a `Range` header may list before it is ignored (the whole file is sent): RFC 9110 14.2 allows ignoring. */
export const MAX_RANGES = 16;

/** Content-Length values longer than this many digits are refused (beyond Number.MAX_SAFE_INTEGER). */
export { MAX_CONTENT_LENGTH_DIGITS } from "../../_http_grammar.js";

/**
 * Empty lines skipped before a request line. RFC 9112 2.2: a server "SHOULD
 * ignore at least one empty line (CRLF) received prior to the request-line"
 * (some clients send an extra CRLF after a POST body). Python skips none: an
 * empty line closes the connection without a reply, which is what the line
 * after the last skipped one gets here, so a run of them costs a few reads at most.
 */
export const MAX_EMPTY_LINES_BEFORE_REQUEST = 8;
