// Raw Node servers for bench/conn-rate.bench.ts: each connection carries one
// request and one reply, then the server closes it. Prints "PORT <n>".
//   node conn-raw-server.mjs line        node:net: reads the 64-byte line, answers a 64-byte line, end()
//   node conn-raw-server.mjs http        node:net: reads a request head (and Content-Length body),
//                                        answers a canned HTTP response (Connection: close), end()
//   node conn-raw-server.mjs xmlrpc      as http, answering the canned XML-RPC response to add(1, 2)
//   node conn-raw-server.mjs node-http          node:http answering the HTTP body, Connection: close
//   node conn-raw-server.mjs node-http-xmlrpc   node:http answering the XML-RPC response, Connection: close
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";

const wire = JSON.parse(readFileSync(new URL("conn-wire.json", import.meta.url), "utf8"));
const mode = process.argv[2] ?? "line";
const HEAD_END = Buffer.from("\r\n\r\n");

/** A canned HTTP response with `body`, closing the connection. */
function cannedResponse(body, type) {
  return Buffer.from(
    `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** True once `data` holds a whole request: a line, or a head plus its Content-Length body. */
function complete(data) {
  if (mode === "line") return data.includes(10);
  const end = data.indexOf(HEAD_END);
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, end).toString("latin1"));
  return data.length >= end + 4 + (length ? Number(length[1]) : 0);
}

let server;
if (mode === "line" || mode === "http" || mode === "xmlrpc") {
  const reply =
    mode === "line"
      ? Buffer.from(wire.lineReply)
      : mode === "http"
        ? cannedResponse(wire.httpBody, "text/plain")
        : cannedResponse(wire.xmlrpcResponse, "text/xml");
  server = net.createServer((socket) => {
    let data = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
      if (complete(data)) socket.end(reply);
    });
    socket.on("error", () => {});
  });
} else if (mode === "node-http" || mode === "node-http-xmlrpc") {
  const body = Buffer.from(mode === "node-http" ? wire.httpBody : wire.xmlrpcResponse);
  const type = mode === "node-http" ? "text/plain" : "text/xml";
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": type, "Content-Length": body.length, Connection: "close" });
      res.end(body);
    });
  });
} else {
  throw new Error(
    `Cannot start server mode "${mode}": expected line, http, xmlrpc, node-http or node-http-xmlrpc`,
  );
}
server.listen({ port: 0, host: "127.0.0.1" }, () => console.log(`PORT ${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
