/** Small client-side helpers the socket and server tests share. */
import type { Address } from "../../src/socket/address.js";
import { AF_INET, SHUT_WR, SOCK_STREAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";

/**
 * Connects a stream socket to `address`, sends `text`, ends its side
 * (SHUT_WR) and resolves with everything the server sent until it closed.
 * `timeout` (seconds, per operation) guards against hangs; generous for a busy machine.
 */
export async function exchange(
  address: Address,
  text: string,
  family = AF_INET,
  timeout = 60,
): Promise<string> {
  const sock = new Socket(family, SOCK_STREAM);
  sock.settimeout(timeout);
  try {
    await sock.connect(address);
    await sock.sendall(Buffer.from(text));
    sock.shutdown(SHUT_WR);
    let reply = "";
    for (;;) {
      const chunk = await sock.recv(4096);
      if (chunk.length === 0) return reply;
      reply += chunk.toString();
    }
  } finally {
    sock.close();
  }
}

/** Runs `fn` with process.stderr captured; resolves with what was written. */
export async function captureStderr(fn: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return written.join("");
}
