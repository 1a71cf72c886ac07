/**
 * `npm start`: a tour of netkit in the tutorial's order. Each stop starts an
 * example server on loopback, runs its client against it, and prints what
 * both sides say. Later modules add their own stops here.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TCPServer } from "../src/socketserver/servers.js";
import { simpleClient } from "./simple_client.js";
import { simpleServer } from "./simple_server.js";
import { output, serve } from "./socketserver_server.js";
import { Server as ThreadingServer } from "./threading_server.js";

const say = (line = "") => console.log(line);
const heading = (text: string) => say(`\n== ${text}`);

async function socketStop(): Promise<void> {
  heading("1. socket: the tutorial's simple_server and simple_client");
  say("A server socket binds, listens and accepts; a client socket connects and reads.");
  let listening!: (address: [string, number]) => void;
  const ready = new Promise<[string, number]>((resolve) => (listening = resolve));
  const server = simpleServer({
    host: "127.0.0.1",
    port: 0,
    count: 2,
    onListening: listening,
    print: (l) => say(`  server: ${l}`),
  });
  const [host, port] = await ready;
  say(`  (server listening on ${host} port ${port})`);
  for (let i = 0; i < 2; i++) say(`  client: ${await simpleClient(host, port)}`);
  await server;
}

async function socketserverStop(name: string, Server: typeof TCPServer, clients: number): Promise<void> {
  let listening!: (address: [string, number]) => void;
  const ready = new Promise<[string, number]>((resolve) => (listening = resolve));
  output.print = (l) => say(`  server: ${l}`);
  const server = serve(Server, "127.0.0.1", 0, { count: clients, onListening: listening });
  const [host, port] = await ready;
  say(`  (${name} listening on ${host} port ${port})`);
  const replies = await Promise.all(Array.from({ length: clients }, () => simpleClient(host, port)));
  for (const reply of replies) say(`  client: ${reply}`);
  await server;
}

async function forkingStop(): Promise<void> {
  heading("4. socketserver with ForkingMixIn: a pool of worker processes");
  const script = fileURLToPath(new URL("./forking_server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let err = "";
      const timer = setTimeout(() => reject(new Error(`forking_server did not start: ${err}`)), 20_000);
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString();
        const match = /listening on \S+ port (\d+)/.exec(err);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once("exit", (code) => reject(new Error(`forking_server exited with ${code}: ${err}`)));
    });
    say(`  (forking_server listening on 127.0.0.1 port ${port})`);
    const lines: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => lines.push(...chunk.toString().trim().split("\n")));
    const replies = await Promise.all(Array.from({ length: 3 }, () => simpleClient("127.0.0.1", port)));
    await new Promise((r) => setTimeout(r, 100));
    for (const line of lines) say(`  worker: ${line}`);
    for (const reply of replies) say(`  client: ${reply}`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined);
      else child.once("exit", resolve);
    });
  }
}

export async function tour(): Promise<void> {
  say("netkit: Python's network-programming toolbox, in TypeScript. A tour in the tutorial's order.");
  await socketStop();
  heading("2. socketserver: the same server as a TCPServer with a StreamRequestHandler");
  await socketserverStop("TCPServer", TCPServer, 2);
  heading("3. socketserver with ThreadingMixIn: clients served concurrently");
  await socketserverStop("ThreadingTCPServer", ThreadingServer, 3);
  await forkingStop();
  say("\nThe tour is over.");
}

await tour();
