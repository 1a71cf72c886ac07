/**
 * `npm start`: a tour of netkit in the tutorial's order. Each stop starts an
 * example server on loopback, runs its client against it, and prints what
 * both sides say. Later modules add their own stops here.
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HTTPConnection } from "../src/http/client.js";
import { CookieJar } from "../src/http/cookiejar.js";
import { CGIHTTPRequestHandler, ThreadingHTTPServer } from "../src/http/server.js";
import { DebuggingServer } from "../src/smtpd/index.js";
import { SMTP } from "../src/smtplib/index.js";
import { TCPServer } from "../src/socketserver/servers.js";
import {
  buildOpener,
  HTTPBasicAuthHandler,
  HTTPCookieProcessor,
  HTTPError,
  urlopen,
  urlretrieve,
} from "../src/urllib/request.js";
import { RobotFileParser } from "../src/urllib/robotparser.js";
import { Fault, ServerProxy } from "../src/xmlrpc/client.js";
import { gopherClient } from "./gopher_client.js";
import { buildServer as buildGopherServer, makeSite as makeGopherSite } from "./gopher_server.js";
import { SAMPLE_PAGE, scrape } from "./scrape.js";
import { simpleClient } from "./simple_client.js";
import { simpleServer } from "./simple_server.js";
import { output, type ServerClass, serve } from "./socketserver_server.js";
import { Server as ThreadingServer } from "./threading_server.js";
import { xmlrpcClient, demoServer as xmlrpcDemoServer } from "./xmlrpc_client.js";
import { buildServer as buildXmlrpcServer } from "./xmlrpc_server.js";

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

async function socketserverStop(name: string, Server: ServerClass, clients: number): Promise<void> {
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
      const timer = setTimeout(() => reject(new Error(`forking_server did not start: ${err}`)), 60_000);
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
    // The first replies wait for workers to boot (seconds on a busy machine): a generous timeout.
    const replies = await Promise.all(Array.from({ length: 3 }, () => simpleClient("127.0.0.1", port, 60)));
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

/**
 * A CGI script (any executable will do; a shell script needs nothing that
 * `nobody`, whom the server runs scripts as when it runs as root, cannot
 * reach): greets the `name=` of its query string.
 */
const HELLO_CGI = `#!/bin/sh
name=$(printf '%s' "$QUERY_STRING" | sed -n 's/^\\(.*&\\)\\{0,1\\}name=\\([^&]*\\).*$/\\2/p')
printf 'Content-Type: text/plain\\r\\n\\r\\n'
printf 'Hello, %s: %s via %s\\n' "\${name:-stranger}" "$GATEWAY_INTERFACE" "$SERVER_SOFTWARE"
`;

/** The folder stops 5 and 6 serve: a page to scrape, a file to download, robots.txt, a CGI script. */
async function makeSite(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "netkit-tour-"));
  // Run as root, the CGI handler drops to nobody (as Python does), who must reach the script.
  await chmod(root, 0o755);
  await writeFile(join(root, "releases.html"), SAMPLE_PAGE);
  await writeFile(join(root, "hello.txt"), "Hello from a static file.\n");
  await writeFile(join(root, "robots.txt"), "User-agent: *\nDisallow: /private\n");
  await writeFile(join(root, "data.bin"), Buffer.alloc(3 * 1024 * 1024, 0x2a));
  await mkdir(join(root, "cgi-bin"));
  await writeFile(join(root, "cgi-bin", "hello.cgi"), HELLO_CGI);
  await chmod(join(root, "cgi-bin", "hello.cgi"), 0o755);
  return root;
}

/** A handler class with a `doGET` of its own (a JSON clock, a login cookie, a password page); static files and CGI scripts for the rest. */
class TourHandler extends CGIHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";

  override async doGET(): Promise<void> {
    if (this.path === "/api/time") return this.answer(200, JSON.stringify({ now: new Date().toISOString() }));
    if (this.path === "/login") return this.answer(200, "welcome", ["Set-Cookie", "session=abc123; Path=/"]);
    if (this.path === "/whoami") return this.answer(200, `cookie: ${this.headers.get("Cookie") ?? "none"}`);
    if (this.path === "/private") {
      if (this.headers.get("Authorization") === `Basic ${Buffer.from("alice:s3cret").toString("base64")}`)
        return this.answer(200, "hello, alice");
      return this.answer(401, "who are you?", ["WWW-Authenticate", 'Basic realm="tour"']);
    }
    return super.doGET();
  }

  /** Sends a small text (or JSON) answer with one optional extra header. */
  private async answer(code: number, text: string, header?: [string, string]): Promise<void> {
    const body = Buffer.from(`${text}\n`);
    this.sendResponse(code);
    this.sendHeader("Content-Type", text.startsWith("{") ? "application/json" : "text/plain");
    this.sendHeader("Content-Length", body.length);
    if (header) this.sendHeader(...header);
    await this.endHeaders();
    await this.wfile.write(body);
  }

  /** Python's log line, printed as the tour's server side (only `%s` and `%d` occur in its formats). */
  override logMessage(format: string, ...args: unknown[]): void {
    say(`  server: ${this.addressString()} ${format.replace(/%[sd]/g, () => String(args.shift()))}`);
  }
}

async function httpServerStop(base: string, root: string): Promise<void> {
  heading("5. http.server: a handler class with doGET, a static folder, a CGI script");
  say(`ThreadingHTTPServer (on socketserver) serves ${root} at ${base}; the client is http.client.`);
  const [host, port] = new URL(base).host.split(":") as [string, string];
  for (const path of ["/api/time", "/hello.txt", "/cgi-bin/hello.cgi?name=tour", "/missing"]) {
    const conn = new HTTPConnection(host, Number(port), { timeout: 10 });
    try {
      await conn.request("GET", path);
      const res = await conn.getresponse();
      const body = (await res.read()).toString().trim();
      const shown = path === "/api/time" ? body.replace(/"now":"[^"]+"/, '"now":"…"') : body.split("\n")[0];
      say(`  client: GET ${path} → ${res.status} ${res.reason}: ${shown}`);
    } finally {
      conn.close();
    }
  }
}

async function urllibStop(base: string, root: string): Promise<void> {
  heading("6. urllib: open a URL as if it were a local file");
  await using page = await urlopen(`${base}/hello.txt`, { timeout: 10 });
  say(
    `  urlopen: ${page.status} ${page.headers.get("Content-Type")}, first line: ${(await page.readline()).toString().trim()}`,
  );
  say("  scrape.ts: the release table of /releases.html, picked out with a regular expression:");
  for (const line of await scrape(`${base}/releases.html`)) say(`    ${line}`);
  let blocks = 0;
  const target = join(root, "download.bin");
  const [file, headers] = await urlretrieve(`${base}/data.bin`, target, { reporthook: () => blocks++ });
  const same = (await readFile(file)).equals(await readFile(join(root, "data.bin")));
  say(
    `  urlretrieve: ${headers.get("Content-Length")} bytes in ${blocks} report calls, identical copy: ${same}`,
  );
  try {
    await urlopen(`${base}/missing`, { timeout: 10 });
  } catch (err) {
    if (!(err instanceof HTTPError)) throw err;
    say(
      `  HTTPError: ${err.status} ${err.reason} (still readable: ${(await err.read()).length} bytes of error page)`,
    );
  }
  const auth = new HTTPBasicAuthHandler();
  auth.addPassword("tour", base, "alice", "s3cret");
  const jar = new CookieJar();
  const opener = buildOpener(auth, new HTTPCookieProcessor(jar));
  for (const path of ["/private", "/login", "/whoami"]) {
    await using res = await opener.open(`${base}${path}`, { timeout: 10 });
    say(`  opener: ${path} → ${res.status}: ${(await res.read()).toString().trim()}`);
  }
  say(`  (the 401 was answered from the password manager; the jar holds ${[...jar].map(String).join(", ")})`);
  const robots = new RobotFileParser(`${base}/robots.txt`, { timeout: 10 });
  await robots.read();
  const verdicts = ["/hello.txt", "/private"].map(
    (p) => `${p} ${robots.canFetch("mybot/1.0", p) ? "allowed" : "disallowed"}`,
  );
  say(`  robots.txt: ${verdicts.join(", ")}`);
}

async function webStops(): Promise<void> {
  const root = await makeSite();
  const httpd = new ThreadingHTTPServer(["127.0.0.1", 0], TourHandler.withOptions({ directory: root }));
  try {
    await httpd.ready;
    const [host, port] = httpd.serverAddress;
    const serving = httpd.serveForever();
    const base = `http://${host}:${port}`;
    await httpServerStop(base, root);
    await urllibStop(base, root);
    await httpd.shutdown();
    await serving;
  } finally {
    await httpd.serverClose();
    await rm(root, { recursive: true, force: true });
  }
}

interface TourApi {
  add(x: number, y: number): number;
  mul(x: number, y: number): number;
  system: { listMethods(): string[]; methodHelp(name: string): string };
}

async function xmlrpcStop(): Promise<void> {
  heading("7. XML-RPC: SimpleXMLRPCServer and ServerProxy");
  const server = buildXmlrpcServer("127.0.0.1", 0, { logRequests: false });
  try {
    await server.ready;
    const [host, port] = server.serverAddress;
    const serving = server.serveForever();
    const url = `http://${host}:${port}/RPC2`;
    say(`  (ThreadingXMLRPCServer on ${url}: pow, add, mul, introspection, multicall)`);
    {
      await using proxy = new ServerProxy<TourApi>(url, { timeout: 10 });
      say(`  client: add(2, 3) = ${await proxy.add(2, 3)}, mul(6, 7) = ${await proxy.mul(6, 7)}`);
      say(`  client: system.listMethods() = ${(await proxy.system.listMethods()).join(", ")}`);
      say(`  client: system.methodHelp("add") = ${JSON.stringify(await proxy.system.methodHelp("add"))}`);
      const fault = await proxy.call("divide", 1, 0).catch((err: unknown) => err);
      if (!(fault instanceof Fault)) throw new Error(`expected a Fault, got ${String(fault)}`);
      say(`  client: divide(1, 0) is a Fault ${fault.faultCode}: ${fault.faultString}`);
    }
    await server.shutdown();
    await serving;
  } finally {
    await server.serverClose();
  }
  const demo = await xmlrpcDemoServer();
  try {
    say("  Python's demo client (getCurrentTime, then a MultiCall of getData, pow, add):");
    const lines = await xmlrpcClient(demo.url);
    for (const line of lines) say(`    ${line}`);
  } finally {
    await demo.close();
  }
}

async function smtpStop(): Promise<void> {
  heading("8. smtplib and smtpd: send a mail with smtplib to smtpd and print it");
  const server = new DebuggingServer(["127.0.0.1", 0], null);
  // DebuggingServer prints each message; here its lines are indented under the stop.
  server.out = { write: (text: string) => process.stdout.write(text.replace(/^(?=.)/gm, "    ")) };
  try {
    await server.ready;
    const [host, port] = server.serverAddress;
    const serving = server.serveForever(0.05);
    say(`  (DebuggingServer on ${host}:${port})`);
    {
      await using smtp = await SMTP.open(host, port, { timeout: 10 });
      const [code] = await smtp.ehlo("tour.example");
      say(`  client: EHLO → ${code}, extensions: ${[...smtp.esmtpFeatures.keys()].join(", ")}`);
      const message =
        "From: tour@example.org\r\nTo: you@example.org\r\nSubject: Hello from smtplib\r\n\r\nA line.\r\n.A line that starts with a dot.\r\n";
      say("  client: sendmail(tour@example.org → you@example.org); DebuggingServer prints:");
      const refused = await smtp.sendmail("tour@example.org", ["you@example.org"], message);
      say(`  client: sendmail returned ${refused.size} refused recipients`);
    }
    await server.shutdown();
    await serving;
  } finally {
    await server.serverClose();
  }
}

async function gopherStop(): Promise<void> {
  heading("9. gopherlib: Gopher's client/server model, a menu-driven information service");
  say(
    "GopherServer serves a folder (its gophermap is the menu); the client reads the menu, a text, a search.",
  );
  const dir = makeGopherSite();
  const server = buildGopherServer(dir, "127.0.0.1", 0);
  try {
    await server.ready;
    const [host, port] = server.serverAddress as [string, number];
    const serving = server.serveForever(0.05);
    say(`  (GopherServer on ${host}:${port}, serving ${dir})`);
    for (const line of await gopherClient(host, port)) say(`  client: ${line}`);
    await server.shutdown();
    await serving;
  } finally {
    await server.serverClose();
    await rm(dir, { recursive: true, force: true });
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
  await webStops();
  await xmlrpcStop();
  await smtpStop();
  await gopherStop();
  say("\nThe tour is over.");
}

await tour();
