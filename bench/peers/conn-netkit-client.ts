// netkit clients for bench/conn-rate.bench.ts: one connection per request,
// one request at a time, each reply checked. After 1 s of warm-up it prints
// "GO", counts connections for SECONDS, prints "STOP", then
// {connections, seconds, rate, cpuUs, medianUs} (cpuUs: this process's CPU time per
// connection; medianUs: the median time one connection took, which a burst of load elsewhere
// moves less than the rate).
//   node conn-netkit-client.js socket PORT [seconds=4]   Socket: connect, sendall, recv until the server closes, close
//   node conn-netkit-client.js http PORT [seconds=4]     a new HTTPConnection per GET
//   node conn-netkit-client.js xmlrpc PORT [seconds=4]   one ServerProxy; the server closes after each add(1, 2)
import { HTTPConnection } from "../../src/http/client.js";
import { Socket } from "../../src/socket/socket.js";
import { ServerProxy } from "../../src/xmlrpc/client.js";
import { measureConnections } from "./conn-measure.js";
import { wire } from "./conn-wire.js";

const [mode = "socket", portText, seconds = "4"] = process.argv.slice(2);
const port = Number(portText);
const LINE = Buffer.from(wire.lineRequest);

async function overSocket(): Promise<void> {
  const sock = new Socket();
  try {
    await sock.connect(["127.0.0.1", port]);
    await sock.sendall(LINE);
    const chunks: Buffer[] = [];
    for (;;) {
      const data = await sock.recv(4096);
      if (data.length === 0) break;
      chunks.push(data);
    }
    if (Buffer.concat(chunks).toString("latin1") !== wire.lineReply) throw new Error("Unexpected reply");
  } finally {
    sock.close();
  }
}

async function overHttp(): Promise<void> {
  const conn = new HTTPConnection("127.0.0.1", port, { timeout: 10 });
  try {
    await conn.request("GET", "/");
    const res = await conn.getresponse();
    const body = (await res.read()).toString("latin1");
    if (res.status !== 200 || body !== wire.httpBody) throw new Error(`Unexpected response ${res.status}`);
  } finally {
    conn.close();
  }
}

const proxy = new ServerProxy<{ add(a: number, b: number): number }>(`http://127.0.0.1:${port}/RPC2`, {
  timeout: 10,
});
async function overXmlrpc(): Promise<void> {
  if ((await proxy.add(1, 2)) !== 3) throw new Error("Unexpected result");
}

const once = mode === "socket" ? overSocket : mode === "http" ? overHttp : overXmlrpc;
const result = await measureConnections(once, Number(seconds));
proxy.close();
console.log(JSON.stringify(result));
