// The floor of a Node Gopher client, for bench/gopher.bench.ts: node:net
// alone (no library), the same loops as the netkit and python3 clients
// there (warm-up, then menus for SECONDS, or FILES fetches of /big.bin).
// Menus are split into lines and fields as the python3 client does.
//   node gopher-raw-client.mjs menu|file PORT SECONDS WARMUP MIN_ITEMS FILES MAX_MENUS
// Prints {"count", "seconds", "bytes"}.
import net from "node:net";

const [what, port, seconds, warmup, minItems, files, maxMenus] = [
  process.argv[2],
  ...process.argv.slice(3, 9).map(Number),
];

function fetch(selector) {
  return new Promise((resolve, reject) => {
    const parts = [];
    const sock = net.connect(port, "127.0.0.1", () => sock.end(`${selector}\r\n`));
    sock.on("data", (b) => parts.push(b));
    sock.on("end", () => resolve(Buffer.concat(parts)));
    sock.on("error", reject);
  });
}

async function menu() {
  const items = [];
  for (const line of (await fetch("")).toString().split("\r\n")) {
    if (line === ".") break;
    if (line) items.push([line[0], ...line.slice(1).split("\t")]);
  }
  if (items.length < minItems) throw new Error(`short menu: ${items.length} items`);
}

const warm = performance.now() + warmup * 1000;
while (performance.now() < warm) await menu();
if (what === "file") await fetch("/big.bin");
const start = performance.now();
let count = 0;
let bytes = 0;
if (what === "menu") {
  for (; count < maxMenus && (count === 0 || performance.now() < start + seconds * 1000); count++)
    await menu();
} else {
  for (; count < files; count++) bytes += (await fetch("/big.bin")).length;
}
console.log(JSON.stringify({ count, seconds: (performance.now() - start) / 1000, bytes }));
