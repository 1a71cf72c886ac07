/**
 * An echo server on socketserver, over TCP, UDP or a Unix socket: every line
 * (TCP, Unix stream) or datagram (UDP, Unix datagram) comes back unchanged.
 * The benchmarks use it; so can you, to try a client.
 *
 * Run: `npx tsx examples/echo_server.ts [--udp] [--unix PATH] [--host H] [--port P]`
 * or `netkit echo-server`.
 */
import { argTypeError, ConnectionResetError } from "../../errors/index.js";
import type { AnyServer } from "../../socketserver/base.js";
import { DatagramRequestHandler, StreamRequestHandler } from "../../socketserver/handlers.js";
import { serveUntilInterrupted } from "../../socketserver/interrupt.js";
import {
  ThreadingTCPServer,
  ThreadingUDPServer,
  ThreadingUnixDatagramServer,
  ThreadingUnixStreamServer,
} from "../../socketserver/threading.js";
import { parseCommandLine } from "../args.js";
import { spec } from "../specs.js";
import { endpointOf } from "./args.js";

/** Sends each line back as it comes. */
export class EchoHandler extends StreamRequestHandler {
  override async handle(): Promise<void> {
    try {
      for (;;) {
        const line = await this.rfile.readline();
        if (line.length === 0) return;
        await this.wfile.write(line);
      }
    } catch (err) {
      // A client that resets instead of closing has simply gone: not a server error.
      if (!(err instanceof ConnectionResetError)) throw err;
    }
  }
}

/** Sends each datagram back. */
export class EchoDatagramHandler extends DatagramRequestHandler {
  override async handle(): Promise<void> {
    await this.wfile.write(this.packet);
  }
}

/** Builds the echo server for a transport: `"tcp"`, `"udp"`, `"unix"` or `"unix-dgram"`. */
export function echoServer(
  transport: "tcp" | "udp" | "unix" | "unix-dgram",
  address: [string, number] | string,
): AnyServer {
  const unix = transport === "unix" || transport === "unix-dgram";
  if (unix !== (typeof address === "string")) {
    throw argTypeError("echoServer", "address", unix ? "a path" : "a (host, port) tuple", address);
  }
  if (typeof address === "string") {
    return transport === "unix"
      ? new ThreadingUnixStreamServer(address, EchoHandler)
      : new ThreadingUnixDatagramServer(address, EchoDatagramHandler);
  }
  return transport === "tcp"
    ? new ThreadingTCPServer(address, EchoHandler)
    : new ThreadingUDPServer(address, EchoDatagramHandler);
}

/** Command-line entry: `echo-server [--udp] [--unix PATH] [--host H] [--port P]`; Ctrl-C stops it. */
export async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(spec("echo-server"), argv);
  const { host, port } = endpointOf(args);
  const unixPath = args.string("unix");
  const udp = args.flag("udp");
  const transport = unixPath ? (udp ? "unix-dgram" : "unix") : udp ? "udp" : "tcp";
  const server = echoServer(transport, unixPath ?? [host, port]);
  await server.ready;
  const where =
    typeof server.serverAddress === "string" ? server.serverAddress : server.serverAddress.join(" port ");
  try {
    await serveUntilInterrupted(server, {
      onServing: () => console.error(`echo server (${transport}) listening on ${where}`),
    });
  } finally {
    await server.serverClose();
  }
}
