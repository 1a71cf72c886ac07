// netkit servers for bench/conn-rate.bench.ts, as users write them (compiled
// JavaScript): each connection carries one request and one reply, then the
// server closes it. Request logging off everywhere. Prints "PORT <n>".
//   node conn-netkit-server.js socket      Socket: bind, listen, accept; recv the line, sendall, close (one at a time)
//   node conn-netkit-server.js tcpserver   TCPServer + StreamRequestHandler (readline, write)
//   node conn-netkit-server.js threading   ThreadingTCPServer + the same handler
//   node conn-netkit-server.js http        HTTPServer + BaseHTTPRequestHandler (HTTP/1.0, its default) answering a small body
//   node conn-netkit-server.js xmlrpc      SimpleXMLRPCServer serving add(a, b), its default handler
import { BaseHTTPRequestHandler, HTTPServer } from "../../src/http/server.js";
import { Socket } from "../../src/socket/socket.js";
import { StreamRequestHandler } from "../../src/socketserver/handlers.js";
import { TCPServer } from "../../src/socketserver/servers.js";
import { ThreadingTCPServer } from "../../src/socketserver/threading.js";
import { SimpleXMLRPCServer } from "../../src/xmlrpc/server.js";
import { wire } from "./conn-wire.js";

const mode = process.argv[2] ?? "socket";
const LINE_REPLY = Buffer.from(wire.lineReply);
const BODY = Buffer.from(wire.httpBody);
process.on("SIGTERM", () => process.exit(0));

class LineHandler extends StreamRequestHandler {
  override async handle(): Promise<void> {
    await this.rfile.readline();
    await this.wfile.write(LINE_REPLY);
  }
}

class Hello extends BaseHTTPRequestHandler {
  override logMessage(): void {}
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain");
    this.sendHeader("Content-Length", BODY.length);
    await this.endHeaders();
    await this.wfile.write(BODY);
  }
}

if (mode === "socket") {
  const server = new Socket();
  await server.bind(["127.0.0.1", 0]);
  await server.listen(5);
  console.log(`PORT ${(server.getsockname() as [string, number])[1]}`);
  for (;;) {
    const [conn] = await server.accept();
    try {
      let got = 0;
      for (;;) {
        const data = await conn.recv(4096);
        if (data.length === 0) break;
        got += data.length;
        if (data[data.length - 1] === 0x0a) break;
      }
      if (got > 0) await conn.sendall(LINE_REPLY);
    } finally {
      conn.close();
    }
  }
} else {
  const server =
    mode === "tcpserver"
      ? new TCPServer(["127.0.0.1", 0], LineHandler)
      : mode === "threading"
        ? new ThreadingTCPServer(["127.0.0.1", 0], LineHandler)
        : mode === "http"
          ? new HTTPServer(["127.0.0.1", 0], Hello)
          : mode === "xmlrpc"
            ? new SimpleXMLRPCServer(["127.0.0.1", 0], { logRequests: false })
            : undefined;
  if (!server)
    throw new Error(
      `Cannot start server mode "${mode}": expected socket, tcpserver, threading, http or xmlrpc`,
    );
  if (server instanceof SimpleXMLRPCServer) server.registerFunction((a: number, b: number) => a + b, "add");
  await server.ready;
  console.log(`PORT ${(server.serverAddress as [string, number])[1]}`);
  await server.serveForever();
}
