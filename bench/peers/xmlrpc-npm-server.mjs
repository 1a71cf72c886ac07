// The npm `xmlrpc` package's server (node:http underneath) serving add(a, b).
// Prints "PORT <n>"; on SIGTERM prints "CONNECTIONS <n>" and exits.
//   node xmlrpc-npm-server.mjs
import xmlrpc from "xmlrpc";

let connections = 0;
const server = xmlrpc.createServer({ host: "127.0.0.1", port: 0 }, () => {
  console.log(`PORT ${server.httpServer.address().port}`);
});
server.httpServer.on("connection", () => {
  connections++;
});
server.on("add", (_err, [a, b], callback) => callback(null, a + b));
process.on("SIGTERM", () => {
  console.log(`CONNECTIONS ${connections}`);
  process.exit(0);
});
