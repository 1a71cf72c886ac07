// Downloads /big?n=BYTES with node:http piped into fs.createWriteStream (what
// a Node program does without netkit) to OUT and prints {seconds, maxRssMB}.
//   node raw-http-download.mjs PORT BYTES OUT
import { createWriteStream } from "node:fs";
import http from "node:http";
import { pipeline } from "node:stream/promises";

const [port, bytes, out] = process.argv.slice(2);
const start = performance.now();
await new Promise((resolve, reject) => {
  http
    .get(`http://127.0.0.1:${port}/big?n=${bytes}`, (res) =>
      pipeline(res, createWriteStream(out)).then(resolve, reject),
    )
    .on("error", reject);
});
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ seconds, maxRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6 }));
