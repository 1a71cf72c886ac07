// The floor of a Node FTP download, for bench/ftp-retr.bench.ts: node:net
// alone (no library), logging in, PASV, RETR, counting the data connection's
// bytes from Node's own 'data' events, QUIT. Prints {"seconds", "bytes"}.
//   node ftp-raw-client.mjs PORT FILE USER PASSWORD
import net from "node:net";

const [port, file, user, password] = [
  Number(process.argv[2]),
  process.argv[3],
  process.argv[4],
  process.argv[5],
];
const start = performance.now();
const ctl = net.connect(port, "127.0.0.1");
ctl.setEncoding("latin1");
let pending = "";
let waiter = null;
ctl.on("data", (text) => {
  pending += text;
  waiter?.();
});
ctl.on("error", (err) => {
  console.error(err);
  process.exit(1);
});

/** The next final reply line ("NNN text"), multi-line replies skipped to their end. */
function reply() {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = /^(\d{3}) .*\r?\n/m.exec(pending);
      if (!m) return;
      pending = pending.slice(m.index + m[0].length);
      waiter = null;
      if (m[1][0] === "4" || m[1][0] === "5") reject(new Error(`FTP server said: ${m[0].trim()}`));
      else resolve(m[0]);
    };
    waiter = check;
    check();
  });
}

async function command(line) {
  ctl.write(`${line}\r\n`);
  return reply();
}

await reply();
await command(`USER ${user}`);
await command(`PASS ${password}`);
await command("TYPE I");
const pasv = await command("PASV");
const m = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(pasv);
const data = net.connect(Number(m[5]) * 256 + Number(m[6]), "127.0.0.1");
let bytes = 0;
const done = new Promise((resolve, reject) => {
  data.on("data", (chunk) => {
    bytes += chunk.length;
  });
  data.on("end", resolve);
  data.on("error", reject);
});
ctl.write(`RETR ${file}\r\n`);
await reply(); // 150
await done;
await reply(); // 226
await command("QUIT");
ctl.destroy();
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, bytes }));
