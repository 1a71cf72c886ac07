/**
 * The tutorial's simple_client: connect, print what the server sends.
 *
 * Python (the tutorial):
 * ```python
 * s = socket.socket()
 * s.connect((host, port))
 * print(s.recv(1024))
 * ```
 *
 * Run: `npx tsx examples/simple_client.ts [--host H] [--port P] [--use-hostname]`
 * or `netkit simple-client`.
 */
import { Socket } from "../../socket/socket.js";
import { parseCommandLine } from "../args.js";
import { spec } from "../specs.js";
import { endpointOf } from "./args.js";

/** Connects to `host:port` and resolves with the first message received. */
export async function simpleClient(host: string, port: number, timeout = 10): Promise<string> {
  await using s = new Socket();
  s.settimeout(timeout);
  await s.connect([host, port]);
  return (await s.recv(1024)).toString();
}

/** Command-line entry: `simple-client [--host H] [--port P] [--use-hostname]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port } = endpointOf(parseCommandLine(spec("simple-client"), argv));
  console.log(await simpleClient(host, port));
}
