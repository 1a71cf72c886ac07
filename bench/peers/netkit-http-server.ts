// netkit's http.server for the HTTP server benchmarks: ThreadingHTTPServer
// with SimpleHTTPRequestHandler (static DIR) or a minimal BaseHTTPRequestHandler
// answering a small body (dynamic), HTTP/1.1 keep-alive, request logging off
// (every peer runs quiet). Prints "PORT <n>".
//   node netkit-http-server.js static DIR
//   node netkit-http-server.js dynamic
import {
  BaseHTTPRequestHandler,
  SimpleHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../../src/http/server.js";
import type { RequestHandlerClass } from "../../src/socketserver/base.js";

const [mode = "static", directory = process.cwd()] = process.argv.slice(2);
const BODY = Buffer.from("Hello, World!\n");

class Files extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
}

class Hello extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain");
    this.sendHeader("Content-Length", BODY.length);
    await this.endHeaders();
    await this.wfile.write(BODY);
  }
}

class Server extends ThreadingHTTPServer {
  override requestQueueSize = 1024;
}
const handler = mode === "dynamic" ? Hello : Files.withOptions({ directory });
const server = new Server(["127.0.0.1", 0], handler as RequestHandlerClass);
await server.ready;
console.log(`PORT ${server.serverPort}`);
process.on("SIGTERM", () => process.exit(0));
await server.serveForever();
