/**
 * Python's `HTTPServer` and `ThreadingHTTPServer`: a `TCPServer` that
 * records its name and port, and its concurrent variant.
 *
 * @module
 */
import { getfqdn } from "../../socket/names.js";
import { closeIdleHandlers } from "../../socketserver/registry.js";
import { TCPServer } from "../../socketserver/servers.js";
import { ThreadingMixIn } from "../../socketserver/threading.js";

/**
 * Python's `http.server.HTTPServer`: a `TCPServer` with
 * `allowReuseAddress` on, which records `serverName` (the bound host's fully
 * qualified name) and `serverPort` when it binds. It handles one connection
 * at a time, as Python's does: use `ThreadingHTTPServer` to serve many.
 *
 * `serverClose()` closes connections that sit idle between kept-alive
 * requests at once; requests in flight finish (with `ThreadingHTTPServer`,
 * `serverClose()` waits for them, up to `closeTimeout` seconds). Python's
 * daemon threads are simply abandoned.
 *
 * @example
 * ```ts
 * import { HTTPServer, SimpleHTTPRequestHandler } from "netkit/http/server";
 * const httpd = new HTTPServer(["127.0.0.1", 0], SimpleHTTPRequestHandler);
 * await httpd.ready;
 * console.log(httpd.serverName, httpd.serverPort); // "localhost" 41235
 * ```
 */
export class HTTPServer extends TCPServer {
  /** Python's `allow_reuse_address = 1`. @default true */
  override allowReuseAddress = true;
  /** Python's `server_name`: `getfqdn(host)` of the bound address. */
  serverName = "";
  /** Python's `server_port`: the bound port. */
  serverPort = 0;

  /** Python's `server_bind()`: binds, then records `serverName` and `serverPort`. */
  override async serverBind(): Promise<void> {
    await super.serverBind();
    const address = this.serverAddress;
    if (Array.isArray(address)) {
      this.serverName = await getfqdn(String(address[0]));
      this.serverPort = Number(address[1]);
    } else {
      this.serverName = String(address);
    }
  }

  /** Python's `server_close()`, plus: idle kept-alive connections are closed; requests in flight go on. */
  override async serverClose(): Promise<void> {
    closeIdleHandlers(this);
    await super.serverClose();
  }
}

/**
 * Python's `ThreadingHTTPServer`: `ThreadingMixIn(HTTPServer)`, each
 * connection served concurrently on the event loop. `daemonThreads` is true
 * as in Python; here `serverClose()` still waits (up to `closeTimeout`) for
 * requests in flight, so a download under way when the server stops finishes.
 */
export class ThreadingHTTPServer extends ThreadingMixIn(HTTPServer) {
  /** Python's `daemon_threads = True` (no threads here; kept for Python code). @default true */
  override daemonThreads = true;
}
