/** Helpers the http.server tests share: run a handler on raw bytes, start servers, send raw requests. */

import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "../../src/http/server.js";
import type { Address } from "../../src/socket/address.js";
import { SHUT_WR } from "../../src/socket/constants.js";
import { socketpair } from "../../src/socket/create.js";
import { Socket } from "../../src/socket/socket.js";
import type { RequestHandlerClass } from "../../src/socketserver/base.js";

/** Python's `json.dumps` (default separators, ensure_ascii) for strings, numbers, null and arrays. */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(pyJson).join(", ")}]`;
  if (typeof value === "number") return String(value);
  return JSON.stringify(String(value)).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Echoes what it parsed as JSON (the same handler the Python side of the differential tests runs). */
export class EchoHandler extends BaseHTTPRequestHandler {
  override logMessage(): void {}
  async doGET(): Promise<void> {
    const body = Buffer.from(pyJson([this.command, this.path, this.requestVersion, this.headers.items()]));
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    if (this.command !== "HEAD") await this.wfile.write(body);
  }
  async doPOST(): Promise<void> {
    await this.doGET();
  }
  async doHEAD(): Promise<void> {
    await this.doGET();
  }
}

/** The same handler in Python, for `python()` scripts: `class H` with `_echo`. */
export const PY_ECHO_HANDLER = `
import json, http.server
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def _echo(self):
        body = json.dumps([self.command, self.path, self.request_version, [[k, v] for k, v in self.headers.items()]]).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        if self.command != "HEAD": self.wfile.write(body)
    do_GET = do_POST = do_HEAD = _echo
`;

/**
 * Runs one handler over a socket pair: writes `raw`, ends the client side,
 * and resolves with everything the handler wrote before it finished.
 */
export async function runHandler(
  Handler: RequestHandlerClass,
  raw: Buffer,
  server: object = {},
  timeout = 60, // a guard against hangs, generous for a busy machine
): Promise<Buffer> {
  const [client, conn] = await socketpair();
  client.settimeout(timeout);
  const handler = new Handler(conn, ["127.0.0.1", 1], server as never);
  // A handler that throws has done what the test looks at (the bytes it wrote); the error is not the point.
  const running = handler
    .run()
    .catch(() => {})
    .finally(() => conn.close());
  await client.sendall(raw);
  client.shutdown(SHUT_WR);
  const chunks: Buffer[] = [];
  for (;;) {
    const chunk = await client.recv(65536);
    if (chunk.length === 0) break;
    chunks.push(chunk);
  }
  client.close();
  await running;
  return Buffer.concat(chunks);
}

/** Drops the Date and Server header lines (they differ between any two servers). */
export function stripVolatile(response: Buffer | string, extra: string[] = []): string {
  const names = ["date", "server", ...extra.map((n) => n.toLowerCase())];
  const text = typeof response === "string" ? response : response.toString("latin1");
  return text
    .split(/(?<=\r\n)/)
    .filter((line) => {
      const colon = line.indexOf(":");
      return colon < 0 || !names.includes(line.slice(0, colon).toLowerCase()) || /^\S+ \d{3}/.test(line);
    })
    .join("");
}

/** A netkit server on 127.0.0.1 port 0, serving until `close()`. */
export async function startServer(
  Handler: RequestHandlerClass,
): Promise<{ server: ThreadingHTTPServer; port: number; address: Address; close: () => Promise<void> }> {
  const server = new ThreadingHTTPServer(["127.0.0.1", 0], Handler);
  await server.ready;
  const serving = server.serveForever(0.05);
  const address = server.serverAddress;
  return {
    server,
    port: address[1],
    address,
    close: async () => {
      await server.shutdown();
      await serving;
      await server.serverClose();
    },
  };
}

/** Sends `data` on a new connection (then SHUT_WR unless `keepOpen`), and resolves with all the server sent. */
export async function rawRequest(
  port: number,
  data: Buffer | string,
  options: { timeout?: number; keepOpen?: boolean } = {},
): Promise<Buffer> {
  const sock = new Socket();
  sock.settimeout(options.timeout ?? 60); // a guard against hangs, generous for a busy machine
  try {
    await sock.connect(["127.0.0.1", port]);
    await sock.sendall(typeof data === "string" ? Buffer.from(data, "latin1") : data);
    if (!options.keepOpen) sock.shutdown(SHUT_WR);
    const chunks: Buffer[] = [];
    for (;;) {
      let chunk: Buffer;
      try {
        chunk = await sock.recv(65536);
      } catch (err) {
        if ((err as { code?: string }).code === "ECONNRESET") break;
        throw err;
      }
      if (chunk.length === 0) break;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  } finally {
    sock.close();
  }
}

/** The status code of the first response in `response`, or 0 when there is none. */
export function statusOf(response: Buffer | string): number {
  const text = typeof response === "string" ? response : response.toString("latin1");
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}
