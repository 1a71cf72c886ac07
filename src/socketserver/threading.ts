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
     * (`null`: wait without limit, as Python does). Handlers still running
     * then are left to finish on their own; `serverClose()` logs how many.
     * @default 30
     */
    closeTimeout: number | null = 30;
    /** Kept for Python compatibility; it has no effect (there are no threads). @default false */
    daemonThreads = false;
    readonly #running = new Set<Promise<void>>();

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
      this.#running.add(task);
    }

    override async serverClose(): Promise<void> {
      await super.serverClose();
      if (!this.blockOnClose || this.#running.size === 0) return;
      const all = Promise.all(this.#running);
      if (this.closeTimeout === null) {
        await all;
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), (this.closeTimeout ?? 0) * 1000);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        process.stderr.write(
          `serverClose(): ${this.#running.size} request(s) still running after ${this.closeTimeout} s; not waiting for them\n`,
        );
      }
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
