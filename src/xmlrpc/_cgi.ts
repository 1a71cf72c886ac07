/**
 * Python's `CGIXMLRPCRequestHandler` and `DocCGIXMLRPCRequestHandler`: an
 * XML-RPC dispatcher run as a CGI script (RFC 3875): the call comes on
 * stdin with the CGI environment (`REQUEST_METHOD`, `CONTENT_LENGTH`), the
 * response goes to stdout with its header block.
 *
 * @example A CGI script (`cgi-bin/rpc.mjs`, executable)
 * ```ts
 * #!/usr/bin/env node
 * import { CGIXMLRPCRequestHandler } from "netkit/xmlrpc/server";
 * const handler = new CGIXMLRPCRequestHandler();
 * handler.registerFunction((x, y) => x + y, "add");
 * handler.registerIntrospectionFunctions();
 * await handler.handleRequest();
 * ```
 *
 * @module
 */
import { htmlEscape } from "../_html.js";
import { pyFormat } from "../_pyformat.js";
import { DEFAULT_ERROR_CONTENT_TYPE, DEFAULT_ERROR_MESSAGE, RESPONSES } from "../http/server.js";
import { type DispatcherOptions, XMLRPCDispatcherMixIn } from "./_dispatcher.js";
import { XMLRPCDocGenerator } from "./_doc.js";
import { MAX_REQUEST_SIZE } from "./_serverLimits.js";

/** Where a CGI handler writes its response (`process.stdout` by default). */
export interface CGIOutput {
  write(chunk: Uint8Array | string, callback?: (error?: Error | null) => void): unknown;
}

/** Options for `CGIXMLRPCRequestHandler`: Python's keyword arguments, plus where the CGI streams are (for tests and embedding). */
export interface CGIXMLRPCRequestHandlerOptions extends DispatcherOptions {
  /** The CGI environment. @default process.env */
  environ?: Readonly<Record<string, string | undefined>>;
  /** Where the request body comes from. @default process.stdin */
  stdin?: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** Where the response goes. @default process.stdout */
  stdout?: CGIOutput;
  /** Largest request body read (netkit's; Python has none). @default 20 MiB */
  maxRequestSize?: number;
}

/** Python's `int(os.environ["CONTENT_LENGTH"])`, -1 where Python's `int()` fails. */
function contentLength(value: string | undefined): number {
  if (value === undefined || !/^\s*\+?\d+\s*$/.test(value)) return -1;
  return Number(value.trim());
}

/**
 * Python's `CGIXMLRPCRequestHandler`: a `SimpleXMLRPCDispatcher` that serves
 * one CGI request: `handleRequest()` reads the call from stdin (GET: a 400
 * page, as XML-RPC uses POST) and prints the response with its CGI headers.
 *
 * Differences from Python 3.11: the methods are async (they resolve once
 * the response is written); the body is read as bytes, so its XML
 * declaration decides its encoding (Python reads stdin as text in the
 * locale's encoding); a body over `maxRequestSize` (by `CONTENT_LENGTH` or
 * by what arrives) gets `Status: 413` without being parsed.
 */
export class CGIXMLRPCRequestHandler extends XMLRPCDispatcherMixIn(Object) {
  /** The CGI environment (Python reads `os.environ`). */
  environ: Readonly<Record<string, string | undefined>>;
  /** The request body's stream (Python's `sys.stdin`). */
  stdin: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The response's stream (Python's `sys.stdout`). */
  stdout: CGIOutput;
  /** Largest request body read. @default 20 MiB */
  maxRequestSize: number;

  /** @param options Python's `allow_none`, `encoding`, `use_builtin_types`, and the CGI streams */
  constructor(options: CGIXMLRPCRequestHandlerOptions = {}) {
    super();
    this.initDispatcher(options);
    this.environ = options.environ ?? process.env;
    this.stdin = options.stdin ?? process.stdin;
    this.stdout = options.stdout ?? process.stdout;
    this.maxRequestSize = options.maxRequestSize ?? MAX_REQUEST_SIZE;
  }

  /** Writes to `stdout`, resolving once it is handed on. */
  protected write(data: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stdout.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Prints a CGI response: the header lines, a blank line, the body (Python's `print` + `sys.stdout.buffer.write`). */
  protected async respond(headers: string[], body: Uint8Array): Promise<void> {
    await this.write(Buffer.concat([Buffer.from(`${headers.join("\n")}\n\n`, "latin1"), body]));
  }

  /** Python's `handle_xmlrpc(request_text)`: dispatches one call and prints the response. */
  async handleXmlrpc(requestText: Uint8Array | string): Promise<void> {
    const response = await this._marshaledDispatch(requestText);
    await this.respond(["Content-Type: text/xml", `Content-Length: ${response.length}`], response);
  }

  /** Python's `handle_get()`: GET is not XML-RPC: prints Python's 400 error page. */
  async handleGet(): Promise<void> {
    await this.#errorPage(400);
  }

  async #errorPage(code: number, explainText?: string): Promise<void> {
    const [message, explain] = RESPONSES[code] ?? ["???", "???"];
    const response = Buffer.from(
      pyFormat(DEFAULT_ERROR_MESSAGE, { code, message, explain: htmlEscape(explainText ?? explain, false) }),
      "utf8",
    );
    await this.respond(
      [
        `Status: ${code} ${message}`,
        `Content-Type: ${DEFAULT_ERROR_CONTENT_TYPE}`,
        `Content-Length: ${response.length}`,
      ],
      response,
    );
  }

  /**
   * Python's `handle_request(request_text=None)`: serves the CGI request —
   * `handleGet()` for a GET without `requestText`, else the call in
   * `requestText` or on stdin (`CONTENT_LENGTH` bytes, or all of it when
   * that is missing).
   */
  async handleRequest(requestText?: Uint8Array | string | null): Promise<void> {
    if ((requestText === undefined || requestText === null) && this.environ.REQUEST_METHOD === "GET") {
      await this.handleGet();
      return;
    }
    if (requestText !== undefined && requestText !== null) {
      await this.handleXmlrpc(requestText);
      return;
    }
    const length = contentLength(this.environ.CONTENT_LENGTH);
    const limit = this.maxRequestSize;
    const tooLarge = `The request body exceeds the limit of ${limit} bytes.`;
    if (length > limit) {
      await this.#errorPage(413, tooLarge);
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    const want = length < 0 ? Number.POSITIVE_INFINITY : length;
    if (want > 0) {
      for await (const chunk of this.stdin) {
        const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
        parts.push(buf);
        size += buf.length;
        if (size >= want || size > limit) break;
      }
    }
    if (size > limit && length < 0) {
      await this.#errorPage(413, tooLarge);
      return;
    }
    const body = Buffer.concat(parts);
    await this.handleXmlrpc(length < 0 ? body : body.subarray(0, length));
  }
}

/**
 * Python's `DocCGIXMLRPCRequestHandler`: `CGIXMLRPCRequestHandler` whose
 * GET prints the documentation page (see `XMLRPCDocGenerator`).
 */
export class DocCGIXMLRPCRequestHandler extends XMLRPCDocGenerator(CGIXMLRPCRequestHandler) {
  /** @param options as `CGIXMLRPCRequestHandler`'s (Python's takes none) */
  constructor(options: CGIXMLRPCRequestHandlerOptions = {}) {
    super(options);
  }

  /** Python's `handle_get()`: prints the documentation page. */
  override async handleGet(): Promise<void> {
    const response = Buffer.from(this.generateHtmlDocumentation(), "utf8");
    await this.respond(["Content-Type: text/html", `Content-Length: ${response.length}`], response);
  }
}
