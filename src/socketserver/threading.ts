/**
 * Python's `ThreadingMixIn`: handle each request concurrently. Node has one
 * thread per process, so "a thread per request" becomes "a task per request"
 * on the event loop: while one handler waits on its socket, the others run.
 * The name is kept so Python code reads the same. (For more than one core,
 * see `ForkingMixIn`.)
 *
 * It overrides exactly one step, `processRequest`, and `serverClose`, which
 * waits for running handlers when `blockOnClose` is set.
 *
 * @module
 */
import type { Address } from "../socket/address.js";
import { type AnyServer, serveRequest } from "./base.js";
import { TCPServer, UDPServer, UnixDatagramServer, UnixStreamServer } from "./servers.js";

/** Seconds `serverClose()` still waits for handlers after closing their connections. */
const CLOSED_REQUEST_WAIT = 1;

/** True if `promise` settles within `seconds`; false (and it is left running) otherwise. */
async function within(promise: Promise<unknown>, seconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), seconds * 1000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: mixin constructors take any arguments
type ServerClass = abstract new (...args: any[]) => AnyServer;

/**
 * Python's `ThreadingMixIn`, as a class factory:
 * `const ThreadingTCPServer = ThreadingMixIn(TCPServer)`.
 */
export function ThreadingMixIn<T extends ServerClass>(Base: T) {
  abstract class Threading extends Base {
    /**
     * `serverClose()` waits for handlers still running.
     * @default true
     */
    blockOnClose = true;
    /**
     * Longest wait, in seconds, for running handlers in `serverClose()`
     * (`null`: wait without limit, as Python does). The connections of
     * handlers still running then are closed (`closeRequest()`), so they end
     * and the process can exit; `serverClose()` logs how many.
     * @default 30
     */
    closeTimeout: number | null = 30;
    /** Kept for Python compatibility; it has no effect (there are no threads). @default false */
    daemonThreads = false;
    /** Each running request's task, and the request (to close it when `closeTimeout` runs out). */
    readonly #running = new Map<Promise<void>, unknown>();
    /** Requests whose connections `serverClose()` cut off: their handlers' errors are expected. */
    readonly #cutOff = new WeakSet<object>();

    /** How many requests are being handled right now. */
    get activeRequests(): number {
      return this.#running.size;
    }

    /** Python's `process_request_thread`: run, report errors, always close. */
    processRequestThread(request: unknown, clientAddress: Address | null): Promise<void> {
      return serveRequest(this, request, clientAddress);
    }

    /** Starts the request and returns at once; the loop goes on accepting. */
    override async processRequest(request: unknown, clientAddress: Address | null): Promise<void> {
      const task: Promise<void> = this.processRequestThread(request, clientAddress).then(
        () => {
          this.#running.delete(task);
        },
        (err: unknown) => {
          this.#running.delete(task);
          return this.handleError(request, clientAddress, err);
        },
      );
      this.#running.set(task, request);
    }

    /** Python's `handle_error`, silent for a request whose connection `serverClose()` cut off. */
    override async handleError(
      request: unknown,
      clientAddress: Address | null,
      error: unknown,
    ): Promise<void> {
      if (typeof request === "object" && request !== null && this.#cutOff.has(request)) return;
      await super.handleError(request, clientAddress, error);
    }

    override async serverClose(): Promise<void> {
      await super.serverClose();
      if (!this.blockOnClose || this.#running.size === 0) return;
      const all = Promise.all(this.#running.keys());
      if (this.closeTimeout === null) {
        await all;
        return;
      }
      if (await within(all, this.closeTimeout)) return;
      const left = [...this.#running.values()];
      process.stderr.write(
        `serverClose(): ${left.length} request(s) still running after ${this.closeTimeout} s; closing their connections\n`,
      );
      for (const request of left)
        if (typeof request === "object" && request !== null) this.#cutOff.add(request);
      await Promise.allSettled(left.map((request) => this.closeRequest(request)));
      // A handler whose connection is gone ends at its next read or write; one that
      // does neither (a stuck computation) is not waited for.
      await within(Promise.all(this.#running.keys()), CLOSED_REQUEST_WAIT);
    }
  }
  return Threading;
}

/** Python's `ThreadingTCPServer`: `TCPServer` handling connections concurrently. */
export class ThreadingTCPServer extends ThreadingMixIn(TCPServer) {}
/** Python's `ThreadingUDPServer`. */
export class ThreadingUDPServer extends ThreadingMixIn(UDPServer) {}
/** Python's `ThreadingUnixStreamServer`. */
export class ThreadingUnixStreamServer extends ThreadingMixIn(UnixStreamServer) {}
/** Python's `ThreadingUnixDatagramServer`. */
export class ThreadingUnixDatagramServer extends ThreadingMixIn(UnixDatagramServer) {}
