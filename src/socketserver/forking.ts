/**
 * Python's `ForkingMixIn`: spread requests over processes, so a server uses
 * every core. Python forks a child per request; Node cannot fork, so netkit
 * keeps a pool of `maxChildren` worker processes (node:cluster) and hands
 * each accepted connection to one of them by handle passing: the primary
 * accepts, a worker reads, handles and closes. For datagram servers the
 * primary receives each datagram, a worker handles it, and the worker's reply
 * comes back over IPC for the primary to send.
 *
 * What your script sees: it runs once as the primary and once in each worker
 * (`cluster.fork()` re-runs it, as Python's fork copies the parent). Code
 * before `serveForever()` runs in every process; handlers run only in
 * workers; `server.isWorker` tells where you are. A worker's server does not
 * bind: it learns `serverAddress` from the primary. State is not shared:
 * what the primary changes after starting workers, they do not see. Use one
 * forking server per script.
 *
 * A worker that dies is replaced (at most `maxChildren * 5` times a minute,
 * then the primary stops replacing and logs it); a connection that cannot be
 * handed to any worker is handled in the primary itself, so none is lost.
 *
 * @module
 */
import cluster, { type Worker } from "node:cluster";
import type * as net from "node:net";
import { availableParallelism } from "node:os";
import type { Address } from "../socket/address.js";
import { Socket } from "../socket/socket.js";
import { type AnyServer, serveRequest } from "./base.js";
import type { DatagramReplySocket } from "./handlers.js";
import { TCPServer, UDPServer, UnixDatagramServer, UnixStreamServer } from "./servers.js";

const ENV = "NETKIT_FORKING_SERVER";

interface WorkerConfig {
  serverAddress: Address;
  family: number;
}

type ToWorker =
  | { type: "netkit-request"; clientAddress: Address | null }
  | { type: "netkit-datagram"; data: string; clientAddress: Address | null }
  | { type: "netkit-stop" };

type ToPrimary =
  | { type: "netkit-ready" }
  | { type: "netkit-done" }
  | { type: "netkit-reply"; data: string; address: Address };

/** Seconds the primary waits for a worker to start before handling a request itself. */
const WORKER_START_TIMEOUT = 30;

// biome-ignore lint/suspicious/noExplicitAny: mixin constructors take any arguments
type ServerClass = abstract new (...args: any[]) => AnyServer & { addressFamily: number; socket: Socket };

/**
 * Python's `ForkingMixIn`, as a class factory:
 * `const ForkingTCPServer = ForkingMixIn(TCPServer)`.
 */
export function ForkingMixIn<T extends ServerClass>(Base: T) {
  abstract class Forking extends Base {
    /** Worker processes in the pool. (Python: most children at once, 40.) @default os.availableParallelism() */
    maxChildren = availableParallelism();
    /** `serverClose()` waits for workers to finish their requests. @default true */
    blockOnClose = true;
    /** Longest wait, in seconds, for workers in `serverClose()`; then they are killed. @default 30 */
    closeTimeout: number | null = 30;
    readonly #workers = new Map<Worker, { active: number; ready: boolean }>();
    #readyWaiters: Array<() => void> = [];
    #turn = 0;
    #restarts: number[] = [];
    #closing = false;

    /** True in a worker process, where handlers run. */
    get isWorker(): boolean {
      return cluster.isWorker && process.env[ENV] !== undefined;
    }

    /** Python's `active_children`: live worker processes (0 in a worker). */
    get activeChildren(): number {
      return this.#workers.size;
    }

    /** Python's `collect_children()`: drops workers that have exited. */
    collectChildren(): void {
      for (const worker of this.#workers.keys()) if (worker.isDead()) this.#workers.delete(worker);
    }

    override async serverBind(): Promise<void> {
      if (this.isWorker) {
        const config = JSON.parse(process.env[ENV]!) as WorkerConfig;
        this.serverAddress = config.serverAddress;
        return;
      }
      await super.serverBind();
    }

    override async serverActivate(): Promise<void> {
      if (!this.isWorker) await super.serverActivate();
    }

    override async serveForever(pollInterval = 0.5): Promise<void> {
      await this.ready;
      if (this.isWorker) return this.#serveInWorker();
      this.#startWorkers();
      return super.serveForever(pollInterval);
    }

    #startWorkers(): void {
      this.collectChildren();
      while (this.#workers.size < this.maxChildren && !this.#closing) {
        const config: WorkerConfig = { serverAddress: this.serverAddress, family: this.addressFamily };
        const worker = cluster.fork({ [ENV]: JSON.stringify(config) });
        this.#workers.set(worker, { active: 0, ready: false });
        worker.on("message", (message: ToPrimary) => this.#fromWorker(worker, message));
        worker.on("error", () => {});
        worker.on("exit", () => this.#onExit(worker));
      }
    }

    #fromWorker(worker: Worker, message: ToPrimary): void {
      if (message?.type === "netkit-ready") {
        const state = this.#workers.get(worker);
        if (state) state.ready = true;
        const waiters = this.#readyWaiters;
        this.#readyWaiters = [];
        for (const wake of waiters) wake();
      } else if (message?.type === "netkit-done") {
        const state = this.#workers.get(worker);
        if (state) state.active = Math.max(0, state.active - 1);
      } else if (message?.type === "netkit-reply") {
        void this.socket.sendto(Buffer.from(message.data, "base64"), message.address).catch(() => {});
      }
    }

    #onExit(worker: Worker): void {
      this.#workers.delete(worker);
      if (this.#closing) return;
      const now = Date.now();
      this.#restarts = this.#restarts.filter((t) => now - t < 60_000);
      if (this.#restarts.length >= this.maxChildren * 5) {
        process.stderr.write(
          `ForkingMixIn: workers keep dying (${this.#restarts.length} in a minute); not replacing them\n`,
        );
        return;
      }
      this.#restarts.push(now);
      this.#startWorkers();
    }

    /**
     * The ready worker with the fewest requests in hand, waiting for one to
     * finish starting if none is ready yet (a message sent to a worker before
     * it listens would be lost, and with it the connection).
     */
    async #pickWorker(): Promise<Worker | undefined> {
      const deadline = Date.now() + WORKER_START_TIMEOUT * 1000;
      for (;;) {
        const worker = this.#leastBusy();
        if (worker || this.#workers.size === 0 || Date.now() >= deadline) return worker;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 250);
          this.#readyWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }

    /** The ready worker with the fewest requests; ties go round-robin. */
    #leastBusy(): Worker | undefined {
      let best: Worker | undefined;
      let fewest = Number.POSITIVE_INFINITY;
      const entries = [...this.#workers];
      const start = this.#turn++ % Math.max(1, entries.length);
      for (let i = 0; i < entries.length; i++) {
        const [worker, state] = entries[(start + i) % entries.length]!;
        if (state.ready && worker.isConnected() && state.active < fewest) {
          best = worker;
          fewest = state.active;
        }
      }
      return best;
    }

    /** Hands the request to a worker; handles it here when no worker can take it. */
    override async processRequest(request: unknown, clientAddress: Address | null): Promise<void> {
      if (this.isWorker) return super.processRequest(request, clientAddress);
      this.#startWorkers();
      const worker = await this.#pickWorker();
      const state = worker ? this.#workers.get(worker) : undefined;
      if (!worker || !state) return this.#handleHere(request, clientAddress);
      let sent: boolean;
      if (request instanceof Socket) {
        const handle = request.detach();
        sent = await sendTo(worker, { type: "netkit-request", clientAddress }, handle);
        if (!sent) return this.#handleHere(Socket.fromNodeSocket(handle, this.addressFamily), clientAddress);
      } else {
        const [data] = request as [Buffer, DatagramReplySocket];
        sent = await sendTo(worker, {
          type: "netkit-datagram",
          data: data.toString("base64"),
          clientAddress,
        });
        if (!sent) return this.#handleHere(request, clientAddress);
      }
      state.active++;
    }

    #handleHere(request: unknown, clientAddress: Address | null): Promise<void> {
      return serveRequest(this, request, clientAddress);
    }

    /** The worker's loop: requests arrive from the primary until it says stop or goes away. */
    #serveInWorker(): Promise<void> {
      const config = JSON.parse(process.env[ENV]!) as WorkerConfig;
      const running = new Set<Promise<void>>();
      const reply: DatagramReplySocket = {
        sendto: async (data, address) => {
          process.send?.({
            type: "netkit-reply",
            data: Buffer.from(data).toString("base64"),
            address,
          } satisfies ToPrimary);
          return data.length;
        },
      };
      return new Promise<void>((resolve) => {
        const finish = async () => {
          process.off("message", onMessage);
          await Promise.allSettled(running);
          if (process.connected) process.disconnect();
          resolve();
        };
        const onMessage = (message: ToWorker, handle?: net.Socket) => {
          if (message?.type === "netkit-stop") {
            void finish();
            return;
          }
          let request: unknown;
          if (message?.type === "netkit-request" && handle)
            request = Socket.fromNodeSocket(handle, config.family);
          else if (message?.type === "netkit-datagram")
            request = [Buffer.from(message.data, "base64"), reply];
          else return;
          const task = this.#handleHere(request, message.clientAddress).finally(() => {
            running.delete(task);
            if (process.connected) process.send?.({ type: "netkit-done" } satisfies ToPrimary);
          });
          running.add(task);
        };
        process.on("message", onMessage);
        process.once("disconnect", () => void finish());
        process.send?.({ type: "netkit-ready" } satisfies ToPrimary);
      });
    }

    /** In the primary: closes the listening socket, then lets workers finish and exit. */
    override async serverClose(): Promise<void> {
      await super.serverClose();
      if (this.isWorker) return;
      this.#closing = true;
      const workers = [...this.#workers.keys()];
      if (workers.length === 0) return;
      const exited = Promise.all(
        workers.map((w) =>
          w.isDead() ? Promise.resolve() : new Promise<void>((r) => w.once("exit", () => r())),
        ),
      );
      for (const w of workers) {
        if (!this.blockOnClose) w.kill("SIGTERM");
        else if (!w.isConnected()) continue;
        // A worker still starting has no requests and would miss our message;
        // cluster's own disconnect reaches it whatever its script is doing.
        else if (this.#workers.get(w)?.ready) w.send({ type: "netkit-stop" } satisfies ToWorker);
        else w.disconnect();
      }
      let timer: NodeJS.Timeout | undefined;
      const limit = this.closeTimeout;
      const timedOut =
        limit === null
          ? await exited.then(() => false)
          : await Promise.race([
              exited.then(() => false),
              new Promise<boolean>((r) => {
                timer = setTimeout(() => r(true), limit * 1000);
              }),
            ]);
      clearTimeout(timer);
      if (timedOut) {
        const left = workers.filter((w) => !w.isDead());
        process.stderr.write(
          `serverClose(): ${left.length} worker(s) still busy after ${limit} s; killing them\n`,
        );
        for (const w of left) w.kill("SIGKILL");
        await exited;
      }
      this.#workers.clear();
    }
  }
  return Forking;
}

function sendTo(worker: Worker, message: ToWorker, handle?: net.Socket): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const callback = (err: Error | null) => resolve(!err);
      if (handle) worker.send(message, handle, { keepOpen: false }, callback);
      else worker.send(message, undefined, undefined, callback);
    } catch {
      resolve(false);
    }
  });
}

/** Python's `ForkingTCPServer`. */
export class ForkingTCPServer extends ForkingMixIn(TCPServer) {}
/** Python's `ForkingUDPServer`. */
export class ForkingUDPServer extends ForkingMixIn(UDPServer) {}
/** Python 3.12's `ForkingUnixStreamServer`. */
export class ForkingUnixStreamServer extends ForkingMixIn(UnixStreamServer) {}
/** Python 3.12's `ForkingUnixDatagramServer`. */
export class ForkingUnixDatagramServer extends ForkingMixIn(UnixDatagramServer) {}
