// Keep-alive GETs of /1k over one netkit HTTPConnection, one at a time, for
// SECONDS (after 1 s of warm-up). Prints {requests, seconds, rps}.
//   node netkit-http-get.js PORT [seconds=4]
import { HTTPConnection } from "../../src/http/client.js";

const [port, seconds = "4"] = process.argv.slice(2);
const conn = new HTTPConnection("127.0.0.1", Number(port), { timeout: 10 });

async function get(): Promise<number> {
  await conn.request("GET", "/1k");
  const res = await conn.getresponse();
  return (await res.read()).length;
}

const warmEnd = performance.now() + 1000;
while (performance.now() < warmEnd) await get();
const start = performance.now();
const end = start + Number(seconds) * 1000;
let requests = 0;
while (performance.now() < end) {
  if ((await get()) !== 1024) throw new Error("short body");
  requests++;
}
const elapsed = (performance.now() - start) / 1000;
conn.close();
console.log(JSON.stringify({ requests, seconds: elapsed, rps: requests / elapsed }));
