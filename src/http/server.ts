/**
 * `netkit/http/server`: Python's `http.server`, on `netkit/socketserver`.
 *
 * ```text
 * socketserver.TCPServer ─── HTTPServer ─── ThreadingHTTPServer (ThreadingMixIn)
 *
 * socketserver.StreamRequestHandler
 *  └── BaseHTTPRequestHandler      parses requests, dispatches to do<METHOD>, writes responses
 *       └── SimpleHTTPRequestHandler   GET/HEAD of files under a directory
 * ```
 *
 * The request parser is Python's, made strict where Python is lenient in
 * ways request smuggling and header injection feed on; the file handler is
 * Python's, made safe where Python's is not (symbolic links out of the tree,
 * open redirects) and given Range, ETag and constant-memory streaming. Each
 * class documents where it differs. `netkit http.server` on the command line
 * is `python -m http.server`.
 *
 * @example A handler of your own, beside static files
 * ```ts serves=http:8000
 * import { SimpleHTTPRequestHandler, ThreadingHTTPServer } from "netkit/http/server";
 * class App extends SimpleHTTPRequestHandler {
 *   override async doGET() {
 *     if (this.path !== "/hello") return super.doGET();
 *     const body = Buffer.from("hello\n");
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Type", "text/plain");
 *     this.sendHeader("Content-Length", body.length);
 *     await this.endHeaders();
 *     await this.wfile.write(body);
 *   }
 * }
 * const httpd = new ThreadingHTTPServer(["127.0.0.1", 8000], App.withOptions({ directory: "public" }));
 * await httpd.serveForever();
 * ```
 *
 * @module
 */
export { BaseHTTPRequestHandler, RESPONSES } from "./_server/base.js";
export { CGIHTTPRequestHandler, urlCollapsePath } from "./_server/cgi.js";
export { DEFAULT_ERROR_CONTENT_TYPE, DEFAULT_ERROR_MESSAGE } from "./_server/format.js";
export {
  DEFAULT_HEADER_TIMEOUT,
  FILE_CHUNK,
  MAX_HEADER_COUNT,
  MAX_HEADER_LINE,
  MAX_REQUEST_LINE,
  SINGLE_WRITE_MAX,
} from "./_server/limits.js";
export type { Framing } from "./_server/request.js";
export { HTTPServer, ThreadingHTTPServer } from "./_server/servers.js";
export {
  EXTENSIONS_MAP,
  FileBody,
  type HeadResult,
  type SimpleHandlerOptions,
  SimpleHTTPRequestHandler,
} from "./_server/simple.js";
