/**
 * `netkit/http`: Python's `http` package itself: `HTTPStatus` (every status
 * code with its phrase and description, as Python 3.11 lists them) and
 * `HTTPMethod`. The client and the server build on these.
 *
 * @example
 * ```ts
 * import { HTTPStatus } from "netkit/http";
 * HTTPStatus.NOT_FOUND.value;  // 404
 * HTTPStatus.get(404)?.phrase; // "Not Found"
 * ```
 *
 * @module
 */

/** One HTTP status: Python's `http.HTTPStatus` member. */
export interface HTTPStatusMember {
  /** The code, e.g. 404 (Python's `value`). */
  readonly value: number;
  /** The constant's name, e.g. `"NOT_FOUND"`. */
  readonly name: string;
  /** The reason phrase, e.g. `"Not Found"`. */
  readonly phrase: string;
  /** A longer description, as Python has it (may be empty). */
  readonly description: string;
}

// [code, name, phrase, description], in Python 3.11's order.
const STATUS_ROWS: ReadonlyArray<readonly [number, string, string, string]> = [
  [100, "CONTINUE", "Continue", "Request received, please continue"],
  [101, "SWITCHING_PROTOCOLS", "Switching Protocols", "Switching to new protocol; obey Upgrade header"],
  [102, "PROCESSING", "Processing", ""],
  [103, "EARLY_HINTS", "Early Hints", ""],
  [200, "OK", "OK", "Request fulfilled, document follows"],
  [201, "CREATED", "Created", "Document created, URL follows"],
  [202, "ACCEPTED", "Accepted", "Request accepted, processing continues off-line"],
  [203, "NON_AUTHORITATIVE_INFORMATION", "Non-Authoritative Information", "Request fulfilled from cache"],
  [204, "NO_CONTENT", "No Content", "Request fulfilled, nothing follows"],
  [205, "RESET_CONTENT", "Reset Content", "Clear input form for further input"],
  [206, "PARTIAL_CONTENT", "Partial Content", "Partial content follows"],
  [207, "MULTI_STATUS", "Multi-Status", ""],
  [208, "ALREADY_REPORTED", "Already Reported", ""],
  [226, "IM_USED", "IM Used", ""],
  [300, "MULTIPLE_CHOICES", "Multiple Choices", "Object has several resources -- see URI list"],
  [301, "MOVED_PERMANENTLY", "Moved Permanently", "Object moved permanently -- see URI list"],
  [302, "FOUND", "Found", "Object moved temporarily -- see URI list"],
  [303, "SEE_OTHER", "See Other", "Object moved -- see Method and URL list"],
  [304, "NOT_MODIFIED", "Not Modified", "Document has not changed since given time"],
  [305, "USE_PROXY", "Use Proxy", "You must use proxy specified in Location to access this resource"],
  [307, "TEMPORARY_REDIRECT", "Temporary Redirect", "Object moved temporarily -- see URI list"],
  [308, "PERMANENT_REDIRECT", "Permanent Redirect", "Object moved permanently -- see URI list"],
  [400, "BAD_REQUEST", "Bad Request", "Bad request syntax or unsupported method"],
  [401, "UNAUTHORIZED", "Unauthorized", "No permission -- see authorization schemes"],
  [402, "PAYMENT_REQUIRED", "Payment Required", "No payment -- see charging schemes"],
  [403, "FORBIDDEN", "Forbidden", "Request forbidden -- authorization will not help"],
  [404, "NOT_FOUND", "Not Found", "Nothing matches the given URI"],
  [405, "METHOD_NOT_ALLOWED", "Method Not Allowed", "Specified method is invalid for this resource"],
  [406, "NOT_ACCEPTABLE", "Not Acceptable", "URI not available in preferred format"],
  [
    407,
    "PROXY_AUTHENTICATION_REQUIRED",
    "Proxy Authentication Required",
    "You must authenticate with this proxy before proceeding",
  ],
  [408, "REQUEST_TIMEOUT", "Request Timeout", "Request timed out; try again later"],
  [409, "CONFLICT", "Conflict", "Request conflict"],
  [410, "GONE", "Gone", "URI no longer exists and has been permanently removed"],
  [411, "LENGTH_REQUIRED", "Length Required", "Client must specify Content-Length"],
  [412, "PRECONDITION_FAILED", "Precondition Failed", "Precondition in headers is false"],
  [413, "REQUEST_ENTITY_TOO_LARGE", "Request Entity Too Large", "Entity is too large"],
  [414, "REQUEST_URI_TOO_LONG", "Request-URI Too Long", "URI is too long"],
  [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type", "Entity body in unsupported format"],
  [416, "REQUESTED_RANGE_NOT_SATISFIABLE", "Requested Range Not Satisfiable", "Cannot satisfy request range"],
  [417, "EXPECTATION_FAILED", "Expectation Failed", "Expect condition could not be satisfied"],
  [418, "IM_A_TEAPOT", "I'm a Teapot", "Server refuses to brew coffee because it is a teapot."],
  [421, "MISDIRECTED_REQUEST", "Misdirected Request", "Server is not able to produce a response"],
  [422, "UNPROCESSABLE_ENTITY", "Unprocessable Entity", ""],
  [423, "LOCKED", "Locked", ""],
  [424, "FAILED_DEPENDENCY", "Failed Dependency", ""],
  [425, "TOO_EARLY", "Too Early", ""],
  [426, "UPGRADE_REQUIRED", "Upgrade Required", ""],
  [
    428,
    "PRECONDITION_REQUIRED",
    "Precondition Required",
    "The origin server requires the request to be conditional",
  ],
  [
    429,
    "TOO_MANY_REQUESTS",
    "Too Many Requests",
    'The user has sent too many requests in a given amount of time ("rate limiting")',
  ],
  [
    431,
    "REQUEST_HEADER_FIELDS_TOO_LARGE",
    "Request Header Fields Too Large",
    "The server is unwilling to process the request because its header fields are too large",
  ],
  [
    451,
    "UNAVAILABLE_FOR_LEGAL_REASONS",
    "Unavailable For Legal Reasons",
    "The server is denying access to the resource as a consequence of a legal demand",
  ],
  [500, "INTERNAL_SERVER_ERROR", "Internal Server Error", "Server got itself in trouble"],
  [501, "NOT_IMPLEMENTED", "Not Implemented", "Server does not support this operation"],
  [502, "BAD_GATEWAY", "Bad Gateway", "Invalid responses from another server/proxy"],
  [
    503,
    "SERVICE_UNAVAILABLE",
    "Service Unavailable",
    "The server cannot process the request due to a high load",
  ],
  [504, "GATEWAY_TIMEOUT", "Gateway Timeout", "The gateway server did not receive a timely response"],
  [505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP Version Not Supported", "Cannot fulfill request"],
  [506, "VARIANT_ALSO_NEGOTIATES", "Variant Also Negotiates", ""],
  [507, "INSUFFICIENT_STORAGE", "Insufficient Storage", ""],
  [508, "LOOP_DETECTED", "Loop Detected", ""],
  [510, "NOT_EXTENDED", "Not Extended", ""],
  [
    511,
    "NETWORK_AUTHENTICATION_REQUIRED",
    "Network Authentication Required",
    "The client needs to authenticate to gain network access",
  ],
];

// [name, description], in Python 3.11's order.
const METHOD_ROWS: ReadonlyArray<readonly [string, string]> = [
  ["CONNECT", "Establish a connection to the server."],
  ["DELETE", "Remove the target."],
  ["GET", "Retrieve the target."],
  ["HEAD", "Same as GET, but only retrieve the status line and header section."],
  ["OPTIONS", "Describe the communication options for the target."],
  ["PATCH", "Apply partial modifications to a target."],
  ["POST", "Perform target-specific processing with the request payload."],
  ["PUT", "Replace the target with the request payload."],
  ["TRACE", "Perform a message loop-back test along the path to the target."],
];

/** The names of Python's HTTPStatus members. */
export type HTTPStatusName =
  | "CONTINUE"
  | "SWITCHING_PROTOCOLS"
  | "PROCESSING"
  | "EARLY_HINTS"
  | "OK"
  | "CREATED"
  | "ACCEPTED"
  | "NON_AUTHORITATIVE_INFORMATION"
  | "NO_CONTENT"
  | "RESET_CONTENT"
  | "PARTIAL_CONTENT"
  | "MULTI_STATUS"
  | "ALREADY_REPORTED"
  | "IM_USED"
  | "MULTIPLE_CHOICES"
  | "MOVED_PERMANENTLY"
  | "FOUND"
  | "SEE_OTHER"
  | "NOT_MODIFIED"
  | "USE_PROXY"
  | "TEMPORARY_REDIRECT"
  | "PERMANENT_REDIRECT"
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "PAYMENT_REQUIRED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "NOT_ACCEPTABLE"
  | "PROXY_AUTHENTICATION_REQUIRED"
  | "REQUEST_TIMEOUT"
  | "CONFLICT"
  | "GONE"
  | "LENGTH_REQUIRED"
  | "PRECONDITION_FAILED"
  | "REQUEST_ENTITY_TOO_LARGE"
  | "REQUEST_URI_TOO_LONG"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "REQUESTED_RANGE_NOT_SATISFIABLE"
  | "EXPECTATION_FAILED"
  | "IM_A_TEAPOT"
  | "MISDIRECTED_REQUEST"
  | "UNPROCESSABLE_ENTITY"
  | "LOCKED"
  | "FAILED_DEPENDENCY"
  | "TOO_EARLY"
  | "UPGRADE_REQUIRED"
  | "PRECONDITION_REQUIRED"
  | "TOO_MANY_REQUESTS"
  | "REQUEST_HEADER_FIELDS_TOO_LARGE"
  | "UNAVAILABLE_FOR_LEGAL_REASONS"
  | "INTERNAL_SERVER_ERROR"
  | "NOT_IMPLEMENTED"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT"
  | "HTTP_VERSION_NOT_SUPPORTED"
  | "VARIANT_ALSO_NEGOTIATES"
  | "INSUFFICIENT_STORAGE"
  | "LOOP_DETECTED"
  | "NOT_EXTENDED"
  | "NETWORK_AUTHENTICATION_REQUIRED";

/** `HTTPStatus`'s shape: a member per name, plus look-up by code. */
export type HTTPStatusTable = Readonly<Record<HTTPStatusName, HTTPStatusMember>> & {
  /** Python's `HTTPStatus(code)`; `undefined` where Python raises ValueError. */
  get(code: number): HTTPStatusMember | undefined;
  /** Every status, in Python's order. */
  members(): HTTPStatusMember[];
};

const byCode = new Map<number, HTTPStatusMember>();
for (const [value, name, phrase, description] of STATUS_ROWS) {
  byCode.set(value, Object.freeze({ value, name, phrase, description }));
}

/**
 * Python's `http.HTTPStatus`: `HTTPStatus.OK`, `HTTPStatus.NOT_FOUND`, ...
 * (each with `value`, `phrase`, `description`), plus `HTTPStatus.get(code)`
 * (Python's `HTTPStatus(code)`) and `members()` in Python's order.
 */
export const HTTPStatus: HTTPStatusTable = Object.freeze({
  ...Object.fromEntries([...byCode.values()].map((m) => [m.name, m])),
  get: (code: number) => byCode.get(code),
  members: () => [...byCode.values()],
}) as HTTPStatusTable;

/** Python's `http.client.responses`: code → phrase for every status. */
export const responses: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(STATUS_ROWS.map(([value, , phrase]) => [value, phrase])),
);

/** One HTTP method: Python 3.11's `http.HTTPMethod` member. */
export interface HTTPMethodMember {
  /** The method name, as sent (`"GET"`). */
  readonly value: string;
  /** The member's name, the same as `value`. */
  readonly name: string;
  /** Python's one-line description (`"Retrieve the target."` for GET). */
  readonly description: string;
}

/** The names of Python 3.11's HTTPMethod members. */
export type HTTPMethodName =
  | "CONNECT"
  | "DELETE"
  | "GET"
  | "HEAD"
  | "OPTIONS"
  | "PATCH"
  | "POST"
  | "PUT"
  | "TRACE";

/** Python 3.11's `http.HTTPMethod`: `HTTPMethod.GET`, ... with `description`. */
export const HTTPMethod: Readonly<Record<HTTPMethodName, HTTPMethodMember>> = Object.freeze(
  Object.fromEntries(
    METHOD_ROWS.map(([name, description]) => [name, Object.freeze({ value: name, name, description })]),
  ) as Record<HTTPMethodName, HTTPMethodMember>,
);
