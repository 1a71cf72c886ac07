/**
 * An XML-RPC client, as the test program at the end of Python's
 * `xmlrpc/client.py`: the current time, then a MultiCall of three calls.
 *
 * Python:
 * ```python
 * server = ServerProxy("http://localhost:8000")
 * print(server.currentTime.getCurrentTime())
 * multi = MultiCall(server)
 * multi.getData(); multi.pow(2, 9); multi.add(1, 2)
 * for response in multi(): print(response)
 * ```
 *
 * Run against Python's demo server (`python3 -m xmlrpc.server`, port 8000):
 * `npx tsx examples/xmlrpc_client.ts --url http://localhost:8000`.
 * Without `--url` it starts the same demo server in this process (netkit's
 * `SimpleXMLRPCServer`, as `netkit xmlrpc.server` runs it) and calls that.
 */
import { DateTime, MultiCall, ServerProxy } from "../src/xmlrpc/client.js";
import { SimpleXMLRPCServer } from "../src/xmlrpc/server.js";
import { isMain } from "./_args.js";

/** The methods of Python's `python3 -m xmlrpc.server` demo. */
interface DemoApi {
  currentTime: { getCurrentTime(): DateTime };
  getData(): string;
  pow(x: number, y: number): number;
  add(x: number, y: number): number;
}

/** Calls the demo methods on `url`; resolves with the lines the Python program prints. */
export async function xmlrpcClient(url: string): Promise<string[]> {
  const lines: string[] = [];
  await using server = new ServerProxy<DemoApi>(url, { timeout: 10 });
  lines.push(String(await server.currentTime.getCurrentTime()));
  const multi = new MultiCall<DemoApi>(server);
  multi.getData();
  multi.pow(2, 9);
  multi.add(1, 2);
  for (const response of await multi()) lines.push(String(response));
  return lines;
}

/**
 * Python's demo server (`python3 -m xmlrpc.server`) in this process, on a
 * free port: netkit's `SimpleXMLRPCServer` with the same methods. Resolves
 * with its URL and a `close`.
 */
export async function demoServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new SimpleXMLRPCServer(["127.0.0.1", 0], { logRequests: false });
  server.registerFunction((x: number, y: number) => x ** y, "pow");
  server.registerFunction((x: number, y: number) => x + y, "add");
  server.registerInstance(
    {
      getData: () => "42",
      currentTime: { getCurrentTime: () => new DateTime(new Date()) },
    },
    { allowDottedNames: true },
  );
  server.registerMulticallFunctions();
  await server.ready;
  const [host, port] = server.serverAddress;
  const serving = server.serveForever(0.05);
  return {
    url: `http://${host}:${port}/RPC2`,
    close: async () => {
      void server.shutdown();
      await serving;
      await server.serverClose();
    },
  };
}

/** Command-line entry: `xmlrpc_client [--url URL]`. */
export async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf("--url");
  const given = at >= 0 ? argv[at + 1] : undefined;
  const local = given ? null : await demoServer();
  try {
    for (const line of await xmlrpcClient(given ?? local!.url)) console.log(line);
  } finally {
    await local?.close();
  }
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
