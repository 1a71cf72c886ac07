// Sequential add(i, i + 1) calls from the npm `xmlrpc` package's client over
// one kept-alive connection (a keep-alive Agent with one socket), for SECONDS
// after 1 s of warm-up; every result is checked. Prints {calls, seconds, rps}.
//   node xmlrpc-npm-client.mjs PORT [seconds=4]
import http from "node:http";
import xmlrpc from "xmlrpc";

const [port, seconds = "4"] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const client = xmlrpc.createClient({ host: "127.0.0.1", port: Number(port), path: "/RPC2", agent });

function add(a, b) {
  return new Promise((resolve, reject) =>
    client.methodCall("add", [a, b], (err, value) => (err ? reject(err) : resolve(value))),
  );
}

let i = 0;
const warmEnd = performance.now() + 1000;
while (performance.now() < warmEnd) {
  if ((await add(i, i + 1)) !== 2 * i + 1) throw new Error("wrong result");
  i++;
}
let calls = 0;
const start = performance.now();
const end = start + Number(seconds) * 1000;
while (performance.now() < end) {
  if ((await add(i, i + 1)) !== 2 * i + 1) throw new Error("wrong result");
  i++;
  calls++;
}
const elapsed = (performance.now() - start) / 1000;
agent.destroy();
console.log(JSON.stringify({ calls, seconds: elapsed, rps: calls / elapsed }));
