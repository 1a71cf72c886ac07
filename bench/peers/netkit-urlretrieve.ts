// Downloads /big?n=BYTES with netkit's urlretrieve to OUT and prints
// {seconds, bytes, maxRssMB} (peak RSS in MB of 10^6 bytes).
//   node netkit-urlretrieve.js PORT BYTES OUT
import { urlretrieve } from "../../src/urllib/request.js";

const [port, bytes, out] = process.argv.slice(2);
const start = performance.now();
await urlretrieve(`http://127.0.0.1:${port}/big?n=${bytes}`, out, { timeout: 60 });
const seconds = (performance.now() - start) / 1000;
console.log(
  JSON.stringify({ seconds, bytes: Number(bytes), maxRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6 }),
);
