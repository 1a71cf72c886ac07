// curl's POP3 retrieving COUNT messages from the mailbox of USER at
// 127.0.0.1:PORT: one curl run over the URLs pop3://.../[1-COUNT] (one
// connection, reused for every URL; the messages go to a pipe that counts
// their bytes). A run over one message is timed too and taken off, so the
// figure leaves out curl's start and login, as the other clients' do.
// Prints {messages, seconds, rps, bytes}.
//   node pop3-curl-client.mjs PORT USER PASSWORD COUNT
import { spawn } from "node:child_process";

const [port, user, password, countText] = process.argv.slice(2);
const count = Number(countText);

/** Runs curl over messages 1..n; resolves with the seconds it took and the bytes it wrote. */
function run(n) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn("curl", ["-sS", "-u", `${user}:${password}`, `pop3://127.0.0.1:${port}/[1-${n}]`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let bytes = 0;
    child.stdout.on("data", (b) => {
      bytes += b.length;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`curl exited with ${code}`));
      else resolve({ seconds: (performance.now() - start) / 1000, bytes });
    });
  });
}

await run(50); // warm-up
const one = await run(1);
const all = await run(count);
const seconds = Math.max(all.seconds - one.seconds, 1e-6);
console.log(JSON.stringify({ messages: count, seconds, rps: (count - 1) / seconds, bytes: all.bytes }));
