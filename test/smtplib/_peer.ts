/**
 * A scripted SMTP peer for transcript tests: a loopback server (node:net,
 * independent of the code under test) that plays one connection from a
 * script of steps and records every byte the client sent.
 *
 * ```ts
 * const peer = await scriptedPeer([
 *   { send: "220 ready\r\n" },
 *   { expect: "ehlo me\r\n" },
 *   { send: "250 ok\r\n" },
 * ]);
 * // ... a client connects to peer.port ...
 * const { received, errors } = await peer.done; // every byte, and any mismatch
 * ```
 *
 * `expect` waits (event-driven) for exactly those bytes and records a
 * mismatch in `errors` (then stops the script and closes). After the last
 * step the peer keeps reading until the client closes, so `received` holds
 * anything extra the client sent; `close` ends the connection there,
 * `stall` keeps it open and silent until the client gives up.
 */
import { createServer, type Server, type Socket } from "node:net";

/** One step of a script. */
export type Step =
  | { send: string | Buffer }
  | { expect: string | Buffer }
  | { close: true }
  | { stall: true }
  | { tls: (sock: Socket) => Promise<Socket> };

/** What a finished script reports. */
export interface PeerResult {
  /** Every byte the client sent, in order. */
  received: Buffer;
  /** Mismatches between `expect` steps and what came. */
  errors: string[];
}

/** A running scripted peer. */
export interface Peer {
  port: number;
  /** Resolves when the connection is over (the client closed, or the script closed). */
  done: Promise<PeerResult>;
  server: Server;
}

const show = (b: Buffer): string => JSON.stringify(b.toString("latin1"));

/**
 * Starts a peer on 127.0.0.1 (or the UNIX socket `path`) that plays `steps`
 * for the first connection it accepts.
 */
export async function scriptedPeer(steps: Step[], path?: string): Promise<Peer> {
  const server = createServer();
  await new Promise<void>((resolve) =>
    path ? server.listen(path, resolve) : server.listen(0, "127.0.0.1", resolve),
  );
  const port = path ? 0 : (server.address() as { port: number }).port;
  const done = new Promise<PeerResult>((resolve) => {
    server.once("connection", (first: Socket) => {
      server.close();
      void play(first, steps).then(resolve);
    });
  });
  return { port, done, server };
}

/** Plays the script on one connection. */
async function play(first: Socket, steps: Step[]): Promise<PeerResult> {
  let sock = first;
  const errors: string[] = [];
  const chunks: Buffer[] = [];
  let pending = Buffer.alloc(0); // received and not yet matched by an `expect`
  let ended = false;
  let wake: (() => void) | undefined;
  const attach = (s: Socket): void => {
    s.on("data", (b: Buffer) => {
      chunks.push(b);
      pending = Buffer.concat([pending, b]);
      wake?.();
    });
    s.on("end", () => {
      ended = true;
      wake?.();
    });
    s.on("close", () => {
      ended = true;
      wake?.();
    });
    s.on("error", () => {
      ended = true;
      wake?.();
    });
  };
  attach(sock);
  const waitFor = (n: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (pending.length >= n || ended) {
          wake = undefined;
          resolve();
        }
      };
      wake = check;
      check();
    });
  let closed = false;
  for (const step of steps) {
    if ("send" in step) {
      if (!sock.destroyed) sock.write(step.send);
    } else if ("expect" in step) {
      const want = Buffer.from(step.expect);
      await waitFor(want.length);
      const got = pending.subarray(0, want.length);
      if (!got.equals(want)) {
        errors.push(`expected ${show(want)}, got ${show(got)}`);
        break;
      }
      pending = pending.subarray(want.length);
    } else if ("close" in step) {
      sock.end();
      closed = true;
      break;
    } else if ("stall" in step) {
      break;
    } else {
      // TLS: hand the raw socket over; what the client sends after is TLS.
      sock.pause();
      sock.removeAllListeners("data");
      sock.removeAllListeners("end");
      sock.removeAllListeners("close");
      sock = await step.tls(sock);
      attach(sock);
    }
  }
  if (!closed)
    await new Promise<void>((resolve) => {
      if (ended) resolve();
      else {
        wake = () => {
          if (ended) resolve();
        };
      }
    });
  sock.destroy();
  return { received: Buffer.concat(chunks), errors };
}
