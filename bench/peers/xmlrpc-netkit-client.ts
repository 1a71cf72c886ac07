// Sequential add(i, i + 1) calls from netkit's ServerProxy over its one
// kept-alive connection, for SECONDS after 1 s of warm-up; every result is
// checked. Prints {calls, seconds, rps}.
//   node xmlrpc-netkit-client.js PORT [seconds=4]
import { ServerProxy } from "../../src/xmlrpc/client.js";

const [port, seconds = "4"] = process.argv.slice(2);
const proxy = new ServerProxy<{ add(a: number, b: number): number }>(`http://127.0.0.1:${port}/RPC2`, {
  timeout: 10,
});

let i = 0;
const warmEnd = performance.now() + 1000;
while (performance.now() < warmEnd) {
  if ((await proxy.add(i, i + 1)) !== 2 * i + 1) throw new Error("wrong result");
  i++;
}
let calls = 0;
const start = performance.now();
const end = start + Number(seconds) * 1000;
while (performance.now() < end) {
  if ((await proxy.add(i, i + 1)) !== 2 * i + 1) throw new Error("wrong result");
  i++;
  calls++;
}
const elapsed = (performance.now() - start) / 1000;
proxy.close();
console.log(JSON.stringify({ calls, seconds: elapsed, rps: calls / elapsed }));
