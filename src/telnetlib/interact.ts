/**
 * Python's `Telnet.interact()` and `mt_interact()`: the "very dumb telnet
 * client" loop. Python selects on the socket and stdin (or reads the socket
 * in a second thread); here both are event sources on one loop:
 *
 * ```text
 *   connection readable ─▶ readEager() ─▶ stdout        (EOFError: "*** Connection closed by remote host ***", stop)
 *   a line on stdin ─────▶ write(line)                   (stdin ends: send what is left, stop)
 * ```
 *
 * Lines are sent as they were typed, `\n` included, as Python's
 * `sys.stdin.readline()` gives them; bytes are not decoded or encoded
 * (Python's ASCII codec fails on anything else).
 *
 * @module
 */
import { EOFError } from "../errors/index.js";
import type { Telnet } from "./telnet.js";

/** Where `interact` reads and writes, and how it is stopped from outside. */
export interface InteractOptions {
  /** What is typed: each line is sent as it ends. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
  /** Where what the server sends goes. @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** Stops the loop (the connection stays open). */
  signal?: AbortSignal;
}

/** Python's closing words when the server hangs up. */
export const CONNECTION_CLOSED = "*** Connection closed by remote host ***\n";

const LF = 0x0a;

/** Writes `data`, waiting while the stream asks for a pause. */
async function writeOut(out: NodeJS.WritableStream, data: Uint8Array | string): Promise<void> {
  if (!out.write(data)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
}

/**
 * The loop of `Telnet.interact()`: until the server closes, stdin ends, or
 * `options.signal` aborts.
 * @throws what sending a line or reading the connection throws (other than the EOFError that ends it)
 */
export async function interactLoop(tn: Telnet, options: InteractOptions = {}): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let failure: unknown;
  // Lines go out one after the other, in the order typed.
  let sending = Promise.resolve();
  const send = (line: Buffer) => {
    sending = sending
      .then(() => (stop.signal.aborted ? undefined : tn.write(line)))
      .catch((err: unknown) => {
        failure ??= err;
        stop.abort();
      });
  };
  let partial = Buffer.alloc(0);
  const onData = (chunk: Buffer | string) => {
    let data = Buffer.concat([partial, typeof chunk === "string" ? Buffer.from(chunk) : chunk]);
    for (let nl = data.indexOf(LF); nl >= 0; nl = data.indexOf(LF)) {
      send(data.subarray(0, nl + 1));
      data = data.subarray(nl + 1);
    }
    partial = data;
  };
  const onEnd = () => {
    if (partial.length > 0) send(partial);
    partial = Buffer.alloc(0);
    void sending.then(() => stop.abort());
  };
  stdin.on("data", onData);
  stdin.once("end", onEnd);
  stdin.resume();
  try {
    while (!stop.signal.aborted) {
      if (!(await tn.waitReadable(null, stop.signal))) break;
      let text: Buffer;
      try {
        text = await tn.readEager();
      } catch (err) {
        if (!(err instanceof EOFError)) throw err;
        await writeOut(stdout, CONNECTION_CLOSED);
        return;
      }
      if (text.length > 0) await writeOut(stdout, text);
    }
  } finally {
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    stdin.pause();
    options.signal?.removeEventListener("abort", onAbort);
    stop.abort();
  }
  if (failure !== undefined) throw failure;
}
