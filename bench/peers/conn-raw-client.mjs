// Raw Node clients for bench/conn-rate.bench.ts: one connection per request,
// one request at a time. Each iteration connects, sends the request, reads
// the whole reply, checks it and closes. After 1 s of warm-up it prints "GO",
// counts connections for SECONDS, prints "STOP", then
// {connections, seconds, rate, cpuUs, medianUs} (cpuUs: this process's CPU time per
// connection; medianUs: the median time one connection took, which a burst of load elsewhere
// moves less than the rate).
//   node conn-raw-client.mjs line|http|xmlrpc PORT [seconds=4]        node:net, reading until the server closes
//   node conn-raw-client.mjs node-http|node-http-xmlrpc PORT [seconds=4]   node:http, no keep-alive Agent
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
// Built by `npm run bench` before it runs anything (see conn-measure.ts).
import { measureConnections } from "../../.bench-out/build/bench/peers/conn-measure.js";

const wire = JSON.parse(readFileSync(new URL("conn-wire.json", import.meta.url), "utf8"));
const [mode = "line", portText, seconds = "4"] = process.argv.slice(2);
const port = Number(portText);

const call = Buffer.from(wire.xmlrpcCall);
const xmlrpcHead = `POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${call.length}\r\nConnection: close\r\n\r\n`;
const REQUEST = {
  line: Buffer.from(wire.lineRequest),
  http: Buffer.from(wire.httpRequest),
  xmlrpc: Buffer.concat([Buffer.from(xmlrpcHead), call]),
}[mode];

/** Throws unless `body` is the body the servers of this mode answer. */
function checkBody(body) {
  const text = body.toString("latin1");
  const ok = mode === "http" || mode === "node-http" ? text === wire.httpBody : text.includes("<int>3</int>");
  if (!ok) throw new Error(`Unexpected reply body: ${JSON.stringify(text.slice(0, 200))}`);
}

/** Throws unless `reply` (what came over node:net) is this mode's whole answer. */
function checkReply(reply) {
  if (mode === "line") {
    if (reply.toString("latin1") !== wire.lineReply) throw new Error(`Unexpected reply: ${reply}`);
    return;
  }
  const end = reply.indexOf("\r\n\r\n");
  if (end < 0 || !/^HTTP\/1\.[01] 200 /.test(reply.toString("latin1", 0, 16)))
    throw new Error(`Unexpected response: ${JSON.stringify(reply.toString("latin1", 0, 200))}`);
  checkBody(reply.subarray(end + 4));
}

/** node:net: connect, write, read until the server closes, close. */
function overNet() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = net.connect({ port, host: "127.0.0.1" }, () => socket.write(REQUEST));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => {
      socket.destroy();
      try {
        checkReply(Buffer.concat(chunks));
        resolve();
      } catch (err) {
        reject(err);
      }
    });
    socket.on("error", reject);
  });
}

/** node:http without an Agent: a connection per request. */
function overHttp() {
  const post = mode === "node-http-xmlrpc";
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: post ? "POST" : "GET",
        path: post ? "/RPC2" : "/",
        agent: false,
        headers: post ? { "Content-Type": "text/xml", "Content-Length": call.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          try {
            if (res.statusCode !== 200) throw new Error(`Unexpected status ${res.statusCode}`);
            checkBody(Buffer.concat(chunks));
            resolve();
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(post ? call : undefined);
  });
}

const once = REQUEST ? overNet : overHttp;
console.log(JSON.stringify(await measureConnections(once, Number(seconds))));
