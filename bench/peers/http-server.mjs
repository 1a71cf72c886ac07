// A raw node:http server for the HTTP client benchmarks: GET /1k answers a
// 1 KiB body (keep-alive); GET /big?n=BYTES streams BYTES from a 1 MiB buffer
// with a Content-Length. Prints "PORT <n>".
//   node http-server.mjs
import http from "node:http";

const ONE_K = Buffer.alloc(1024, 0x61);
const MIB = Buffer.alloc(1024 * 1024, 0x62);

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  if (url.pathname === "/big") {
    const total = Number(url.searchParams.get("n") ?? 0);
    res.writeHead(200, { "Content-Length": total, "Content-Type": "application/octet-stream" });
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const piece = MIB.subarray(0, Math.min(MIB.length, total - sent));
        sent += piece.length;
        if (!res.write(piece)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
    return;
  }
  res.writeHead(200, { "Content-Length": ONE_K.length, "Content-Type": "text/plain" });
  res.end(ONE_K);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
