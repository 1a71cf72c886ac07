/**
 * An HTTP server with an application handler beside static files: `/api/time`
 * and `/api/echo` answered by code, everything else served from a directory
 * (listings, ranges, conditional requests), on loopback.
 *
 * Python: `class App(SimpleHTTPRequestHandler): def do_GET(self): ...` with
 * `ThreadingHTTPServer(("127.0.0.1", 8000), partial(App, directory=...))`.
 *
 * Run: `npx tsx examples/http_server.ts [--host H] [--port P] [--directory D]`,
 * then `curl http://127.0.0.1:8000/api/time`.
 */
import { SimpleHTTPRequestHandler, ThreadingHTTPServer } from "../src/http/server.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Answers `/api/*` itself and leaves the rest to SimpleHTTPRequestHandler. */
export class App extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";

  /** Sends `value` as a JSON response. */
  async sendJson(code: number, value: unknown): Promise<void> {
    const body = Buffer.from(`${JSON.stringify(value)}\n`);
    this.sendResponse(code);
    this.sendHeader("Content-Type", "application/json");
    this.sendHeader("Content-Length", body.length);
    await this.endHeaders();
    if (this.command !== "HEAD") await this.wfile.write(body);
  }

  override async doGET(): Promise<void> {
    if (this.path === "/api/time") return this.sendJson(200, { now: new Date().toISOString() });
    return super.doGET();
  }

  /** POST /api/echo: sends the body back (at most 1 MiB). */
  async doPOST(): Promise<void> {
    if (this.path !== "/api/echo") return this.sendError(404);
    if (this.framing.kind !== "length") return this.sendError(411);
    if (this.framing.length > 1024 * 1024) return this.sendError(413);
    const body = await this.rfile.readexactly(this.framing.length);
    return this.sendJson(200, { received: body.toString("utf8") });
  }
}

/** Starts the server; resolves with it once it listens (call `shutdown()` and `serverClose()` to stop it). */
export async function startApp(host: string, port: number, directory: string): Promise<ThreadingHTTPServer> {
  const httpd = new ThreadingHTTPServer([host, port], App.withOptions({ directory }));
  await httpd.ready;
  return httpd;
}

/** Command-line entry: `http_server [--host H] [--port P] [--directory D]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 8000 },
    {
      directory: { type: "string", short: "d" },
    },
  );
  const httpd = await startApp(host, port, String(values.directory ?? process.cwd()));
  const [h, p] = httpd.serverAddress;
  console.log(`Serving HTTP on ${h} port ${p} (http://${h}:${p}/) ...`);
  process.once("SIGINT", () => void httpd.shutdown());
  await httpd.serveForever();
  await httpd.serverClose();
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
