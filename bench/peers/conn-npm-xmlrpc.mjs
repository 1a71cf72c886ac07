// The npm `xmlrpc` package for bench/conn-rate.bench.ts.
//   node conn-npm-xmlrpc.mjs server              its server (node:http) serving add(a, b); prints "PORT <n>"
//   node conn-npm-xmlrpc.mjs client PORT [seconds=4]
// The client calls add(1, 2) one call at a time (node:http without a keep-alive
// Agent: a connection per call), checks each result, and after 1 s of warm-up
// prints "GO", counts calls for SECONDS, prints "STOP", then
// {connections, seconds, rate, cpuUs, medianUs} (cpuUs: this process's CPU time per
// connection; medianUs: the median time one connection took, which a burst of load elsewhere
// moves less than the rate).
import http from "node:http";
import xmlrpc from "xmlrpc";
// Built by `npm run bench` before it runs anything (see conn-measure.ts).
import { measureConnections } from "../../.bench-out/build/bench/peers/conn-measure.js";

const [role = "server", port, seconds = "4"] = process.argv.slice(2);
if (role === "server") {
  const server = xmlrpc.createServer({ host: "127.0.0.1", port: 0 }, () => {
    console.log(`PORT ${server.httpServer.address().port}`);
  });
  server.on("add", (_err, [a, b], callback) => callback(null, a + b));
  process.on("SIGTERM", () => process.exit(0));
} else {
  const agent = new http.Agent({ keepAlive: false });
  const client = xmlrpc.createClient({ host: "127.0.0.1", port: Number(port), path: "/RPC2", agent });
  const add = (a, b) =>
    new Promise((resolve, reject) =>
      client.methodCall("add", [a, b], (err, value) => (err ? reject(err) : resolve(value))),
    );
  const once = async () => {
    if ((await add(1, 2)) !== 3) throw new Error("Unexpected result");
  };
  console.log(JSON.stringify(await measureConnections(once, Number(seconds))));
}
