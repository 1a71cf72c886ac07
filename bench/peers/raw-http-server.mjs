// Raw node:http for the HTTP server benchmarks, the floor a Node server can
// reach: static files with fs.stat + fs.createReadStream (Content-Length,
// Content-Type, Last-Modified; 404 for anything else), or a small body.
// Prints "PORT <n>".
//   node raw-http-server.mjs static DIR
//   node raw-http-server.mjs dynamic
import { createReadStream, stat } from "node:fs";
import http from "node:http";
import { join, normalize } from "node:path";

const [mode = "static", directory = process.cwd()] = process.argv.slice(2);
const BODY = Buffer.from("Hello, World!\n");

function files(req, res) {
  const path = join(directory, normalize(decodeURIComponent(req.url.split("?")[0])));
  stat(path, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { "Content-Length": 0 });
      return res.end();
    }
    res.writeHead(200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": st.size,
      "Last-Modified": st.mtime.toUTCString(),
    });
    createReadStream(path).pipe(res);
  });
}

function hello(_req, res) {
  res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": BODY.length });
  res.end(BODY);
}

const server = http.createServer(mode === "dynamic" ? hello : files);
server.keepAliveTimeout = 60_000;
server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, () =>
  console.log(`PORT ${server.address().port}`),
);
process.on("SIGTERM", () => process.exit(0));
