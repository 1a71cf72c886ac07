// Keep-alive GETs of /1k over ONE connection, one at a time, for SECONDS
// (after 1 s of warm-up), with node:http (keep-alive Agent, maxSockets 1) or
// undici's Client. Prints {requests, seconds, rps}.
//   node http-get-clients.mjs node-http|undici PORT [seconds=4]
import http from "node:http";
import { Client } from "undici";

const [kind, port, seconds = "4"] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });

function nodeGet() {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: Number(port), path: "/1k", agent }, (res) => {
        let n = 0;
        res.on("data", (d) => {
          n += d.length;
        });
        res.on("end", () => resolve(n));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function undiciGet() {
  const { body } = await client.request({ path: "/1k", method: "GET" });
  let n = 0;
  for await (const chunk of body) n += chunk.length;
  return n;
}

const get = kind === "undici" ? undiciGet : nodeGet;
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
agent.destroy();
await client.close();
console.log(JSON.stringify({ requests, seconds: elapsed, rps: requests / elapsed }));
