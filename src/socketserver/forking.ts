/**
 * Python's `ForkingMixIn`: spread requests over processes, so a server uses
 * every core. Python forks a child per request (at most `max_children`, 40,
 * at once); Node cannot fork, so netkit keeps a pool of `maxChildren` worker
 * processes (node:cluster) and hands each request to one of them:
 *
 * ```text
 *  primary (binds, accepts)                     workers (cluster.fork(): the same script again)
 *  serveForever ─► getRequest ─► processRequest ──► least busy ready worker
 *                                  │ TCP/Unix: the connection itself (handle passing)
 *                                  │ UDP: the datagram, as an IPC message
 *                                  └ no worker can take it: handled here   serveForever ─► finishRequest
 *                                                                                    ─► shutdownRequest
 *  "netkit-taken" ◄───────────────────────────────────────────────────────── (a connection arrived: the primary closes its copy)
 *  "netkit-done" ◄────────────────────────────────────────────────────────── (counts requests per worker)
 *  UDP replies: worker's replySocket.sendto ─► IPC ─► primary's socket.sendto
 * ```
 *
 * What your script sees: it runs once as the primary and once in each worker
 * (`cluster.fork()` re-runs the main script with the same arguments, as
 * Python's `fork()` copies the parent; `cluster.setupPrimary({ exec })` picks
 * another script). So code before `serveForever()` runs in every process;
 * handlers run only in workers; `server.isWorker` tells where you are. A
 * worker's server does not bind: it learns `serverAddress` from the primary.
 * State is not shared: a worker starts from its own run of the script, and
 * what the primary changes later, workers never see (Python's children at
 * least get a copy of the parent as it was at each fork; here there is no
 * copy at all). `serviceActions()` runs in the primary only. Use one forking
 * server per script.
 *
 * Failures: a handler that throws is reported by `handleError` in its worker,
 * which goes on serving. A worker that dies is replaced (at most
 * `maxChildren * 5` times a minute; past that the primary reports it through
 * `handleError` and forks no more). The requests a dying worker held die with
 * it (their clients see the connection close), as with a Python child. A
 * connection is never lost on its way: the primary keeps its own copy until
 * the worker says it has it (before reading a byte), and a connection whose
 * worker dies or disconnects first goes to another worker (after three
 * such workers it is closed and reported through `handleError`; while the
 * server closes, it is closed). A request that cannot be handed to any
 * worker (none left, none ready within 30 s, or a datagram's hand-over
 * failed) is handled in the primary itself, so none is dropped unseen. A
 * datagram sent to a worker that then dies is lost, with its reply, as UDP
 * may lose any datagram.
 *
 * `shutdown()` in the primary stops accepting; `serverClose()` then tells the
 * workers to finish what they hold and exit, and waits (`blockOnClose`,
 * `closeTimeout`). `shutdown()` called in a worker (say, by a "quit"
 * handler) asks the primary to shut down, which is what it would mean in a
 * one-process server. If the primary dies, its workers finish their requests
 * and exit: none is left behind.
 *
 * @module
 */

import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { hasCode, withCode } from "../errors/index.js";
import { type Address, formatAddress } from "../socket/address.js";
import { SOCK_DGRAM } from "../socket/constants.js";
import { Socket } from "../socket/socket.js";
import { type AnyServer, serveRequest } from "./base.js";
import type { DatagramReplySocket } from "./handlers.js";
import { TCPServer, UDPServer, UnixDatagramServer, UnixStreamServer } from "./servers.js";

/**
 * A connection in transit between processes: what `Socket.detach()` gives
 * up and `Socket.fromNodeSocket()` adopts. Named through the socket layer,
 * which alone deals in Node's sockets (scripts/check-layers.mjs).
 */
type Handle = ReturnType<Socket["detach"]>;

/** The environment variable that carries `WorkerConfig` to a worker. */
const ENV = "NETKIT_FORKING_SERVER";

/** What a worker needs from the primary to stand in for the server. */
type WorkerConfig = {
  serverAddress: Address;
  family: number;
};

type ToWorker =
  | { type: "netkit-request"; id: number; clientAddress: Address | null }
  | { type: "netkit-datagram"; data: string; clientAddress: Address | null }
  | { type: "netkit-stop" };

type ToPrimary =
  | { type: "netkit-ready" }
  | { type: "netkit-taken"; id: number }
  | { type: "netkit-done" }
  | { type: "netkit-reply"; data: string; address: Address }
  | { type: "netkit-shutdown" };

/** Seconds the primary waits for some worker to be ready before handling a request itself. */
const WORKER_START_TIMEOUT = 30;
/** Replacements allowed per minute, per pool slot, before the primary gives up on workers. */
const RESTARTS_PER_CHILD_PER_MINUTE = 5;
/**
 * Workers one connection is handed to before the primary closes it: each of
 * them died before taking it, so a next one would likely fare no better.
 */
const MAX_HAND_OVERS = 3;

/**
 * Read once, then removed from the environment (as Node removes its own
 * NODE_UNIQUE_ID), so processes a handler spawns do not take themselves for
 * workers.
 */
const workerConfig: WorkerConfig | undefined = (() => {
  const raw = process.env[ENV];
  if (!cluster.isWorker || raw === undefined) return undefined;
  delete process.env[ENV];
  return JSON.parse(raw) as WorkerConfig;
})();

/** A request as it arrives in a worker, ready for `finishRequest`. */
type Incoming = [request: unknown, clientAddress: Address | null];

/**
 * The worker's end of the IPC channel: queues requests from the primary,
 * reports completions, and knows when the primary has stopped this worker
 * (its "stop" message, or the channel closing).
 */
class WorkerChannel {
  readonly #queue: Incoming[] = [];
  #wake: (() => void) | undefined;
  #stopped = false;
  readonly #reply: DatagramReplySocket;

  constructor(family: number) {
    this.#reply = {
      // Resolves before the primary has sent it: the datagram's fate is the primary's.
      sendto: async (data, address) => {
        this.#send({ type: "netkit-reply", data: Buffer.from(data).toString("base64"), address });
        return data.length;
      },
    };
    process.on("message", (message: ToWorker, handle?: Handle) => {
      if (message?.type === "netkit-stop") this.#stop();
      else if (message?.type === "netkit-request" && handle) {
        // Said at once, before a byte is read from it: until the primary hears
        // this, it keeps its own copy and hands the connection to another
        // worker if this one dies. If it cannot hear it, it will do just that,
        // so this worker must not serve the connection too.
        if (!this.#send({ type: "netkit-taken", id: message.id })) {
          handle.destroy();
          return;
        }
        // Node rebuilds a passed socket with allowHalfOpen off: a client's
        // SHUT_WR would then close our side before the reply. The primary's
        // sockets allow half-open (Python's do), so the worker's must too.
        handle.allowHalfOpen = true;
        this.#push([Socket.fromNodeSocket(handle, family), message.clientAddress]);
      } else if (message?.type === "netkit-datagram")
        this.#push([[Buffer.from(message.data, "base64"), this.#reply], message.clientAddress]);
    });
    process.once("disconnect", () => this.#stop());
    // Disconnected before this script got here (serverClose while it booted): nothing will come.
    if (!process.connected) this.#stopped = true;
    else this.#send({ type: "netkit-ready" });
  }

  /** True once no more requests will come. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * The next request; `undefined` when the worker is stopped and the queue
   * empty, or after `timeout` seconds (`null`: no limit).
   */
  async next(timeout: number | null): Promise<Incoming | undefined> {
    const deadline = timeout === null ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
    for (;;) {
      const item = this.#queue.shift();
      if (item) return item;
      const left = deadline - Date.now();
      if (this.#stopped || left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(left) ? setTimeout(resolve, left) : undefined;
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Tells the primary one request is finished (it balances on these). */
  done(): void {
    this.#send({ type: "netkit-done" });
  }

  /** Asks the primary to shut the server down. */
  requestShutdown(): void {
    this.#send({ type: "netkit-shutdown" });
  }

  /** Closes the channel: the primary sees this worker go. */
  close(): void {
    if (process.connected) process.disconnect();
  }

  #push(item: Incoming): void {
    this.#queue.push(item);
    this.#wake?.();
  }

  #stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  /** Sends `message` to the primary; false when the channel is closed. */
  #send(message: ToPrimary): boolean {
    if (!process.connected || !process.send) return false;
    // The callback keeps a channel closing meanwhile from becoming an 'error' event.
    process.send(message, undefined, undefined, () => {});
    return true;
  }
}

/** What the primary knows of one worker. */
type WorkerState = {
  /** Requests handed over and not yet reported done. */
  active: number;
  /** It has said it listens (a request sent earlier could be lost). */
  ready: boolean;
  /** `serverClose()` has told it to stop: send it nothing more. */
  stopping: boolean;
};

/**
 * A connection handed to a worker that has not yet said it took it. The
 * primary keeps its own copy of the connection until then (`keepOpen`), so
 * if the worker dies first, the connection is not lost with it.
 */
type HandOver = {
  id: number;
  socket: Handle;
  clientAddress: Address | null;
  /** The worker it was last handed to. */
  worker: Worker;
  /** Workers it has been handed to so far. */
  tries: number;
};

// biome-ignore lint/suspicious/noExplicitAny: mixin constructors take any arguments
type ServerClass = abstract new (...args: any[]) => AnyServer & { addressFamily: number; socketType: number };

/**
 * Python's `ForkingMixIn`, as a class factory: the server's requests are
 * handled in a pool of worker processes (see the module comment for what
 * runs where).
 *
 * Attributes to set before `serveForever()`: `maxChildren`, `blockOnClose`,
 * `closeTimeout`. Read: `isWorker`, `activeChildren`.
 *
 * @param Base a server class: `TCPServer`, `UDPServer`, a Unix server, or a subclass
 * @returns `Base` with its requests handled in worker processes
 *
 * @example
 * ```ts serves=echo:9999
 * import { ForkingMixIn, TCPServer, StreamRequestHandler } from "netkit/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * const ForkingEchoServer = ForkingMixIn(TCPServer);
 * const server = new ForkingEchoServer(["127.0.0.1", 9999], Echo);
 * await server.ready;
 * if (!server.isWorker) process.once("SIGINT", () => void server.shutdown());
 * await server.serveForever(); // primary: accepts; workers: handle
 * await server.serverClose();
 * ```
 */
export function ForkingMixIn<T extends ServerClass>(Base: T) {
  abstract class Forking extends Base {
    /**
     * Worker processes in the pool, forked by the first `serveForever()` or
     * request. Python's `max_children` (40) bounds processes forked one per
     * request; here the processes are long-lived and each serves many
     * requests at once, so one per core is the useful default. With 0,
     * every request is handled in the primary.
     * @default os.availableParallelism()
     */
    maxChildren = availableParallelism();
    /**
     * `serverClose()` waits for workers to finish their requests and exit.
     * When false, it tells them to and returns at once (they still finish).
     * @default true
     */
    blockOnClose = true;
    /**
     * Longest wait, in seconds, for workers in `serverClose()` (`null`: no
     * limit, as Python waits). Workers still running then are killed
     * (SIGKILL) and their number logged to stderr.
     * @default 30
     */
    closeTimeout: number | null = 30;

    readonly #workers = new Map<Worker, WorkerState>();
    #readyWaiters: Array<() => void> = [];
    #turn = 0;
    #restarts: number[] = [];
    #gaveUp = false;
    #closing = false;
    #channel: WorkerChannel | undefined;
    /** Connections handed to a worker and not yet taken, by id. */
    readonly #handing = new Map<number, HandOver>();
    #lastId = 0;

    /**
     * True in a worker process (where handlers run), false in the primary.
     *
     * @example
     * ```ts world
     * declare const server: ForkingTCPServer;
     * if (!server.isWorker) console.log("listening on", server.serverAddress);
     * ```
     */
    get isWorker(): boolean {
      return workerConfig !== undefined;
    }

    /**
     * Python's `active_children`, as a count: worker processes alive in the
     * pool (0 in a worker, and before the pool starts).
     */
    get activeChildren(): number {
      this.collectChildren();
      return this.#workers.size;
    }

    /**
     * Python's `collect_children()`: forgets workers that have exited. The
     * primary does this itself when a worker exits, so calling it is never
     * needed, and harmless.
     */
    collectChildren(): void {
      for (const worker of this.#workers.keys()) if (worker.isDead()) this.#workers.delete(worker);
    }

    /** In a worker: binds nothing, takes `serverAddress` from the primary. */
    override async serverBind(): Promise<void> {
      if (workerConfig) {
        this.serverAddress = workerConfig.serverAddress;
        return;
      }
      await super.serverBind();
    }

    /** In a worker: nothing to activate (the primary listens). */
    override async serverActivate(): Promise<void> {
      if (!workerConfig) await super.serverActivate();
    }

    /**
     * In the primary: starts the worker pool, then accepts and hands out
     * requests until `shutdown()`. In a worker: handles the requests the
     * primary sends, concurrently, until the primary stops this worker
     * (`serverClose()`) or goes away; then waits for those still running.
     */
    override async serveForever(pollInterval = 0.5): Promise<void> {
      await this.ready;
      if (!workerConfig) {
        this.#startWorkers();
        return super.serveForever(pollInterval);
      }
      const channel = this.#workerChannel(workerConfig);
      const running = new Set<Promise<void>>();
      for (;;) {
        const next = await channel.next(null);
        if (!next) break;
        const task: Promise<void> = serveRequest(this, ...next).finally(() => {
          running.delete(task);
          channel.done();
        });
        running.add(task);
      }
      await Promise.allSettled(running);
      channel.close();
    }

    /**
     * In the primary, Python's `handle_request()` (the request goes to a
     * worker). In a worker: waits up to `timeout` seconds for one request
     * from the primary and handles it (`handleTimeout()` if none comes).
     * Once the primary has stopped this worker, the worker process exits
     * here, as Python's child exits after its request, so a script looping
     * on `handleRequest()` ends in every worker.
     */
    override async handleRequest(): Promise<void> {
      if (!workerConfig) return super.handleRequest();
      await this.ready;
      const channel = this.#workerChannel(workerConfig);
      const next = await channel.next(this.timeout);
      if (next) {
        try {
          await serveRequest(this, ...next);
        } finally {
          channel.done();
        }
      } else if (!channel.stopped) {
        await this.handleTimeout();
      } else {
        channel.close();
        await this.serverClose();
        process.exit(0);
      }
    }

    /**
     * In the primary, Python's `shutdown()`. In a worker, asks the primary to
     * shut down (and returns at once: the worker stops when the primary's
     * `serverClose()` tells it to).
     */
    override async shutdown(): Promise<void> {
      if (!workerConfig) return super.shutdown();
      this.#workerChannel(workerConfig).requestShutdown();
    }

    #workerChannel(config: WorkerConfig): WorkerChannel {
      this.#channel ??= new WorkerChannel(config.family);
      return this.#channel;
    }

    /** Fills the pool up to `maxChildren` (unless closing, or given up on restarts). */
    #startWorkers(): void {
      this.collectChildren();
      const config: WorkerConfig = { serverAddress: this.serverAddress, family: this.addressFamily };
      while (this.#workers.size < this.maxChildren && !this.#closing && !this.#gaveUp) {
        const worker = cluster.fork({ [ENV]: JSON.stringify(config) });
        const state: WorkerState = { active: 0, ready: false, stopping: false };
        this.#workers.set(worker, state);
        worker.on("message", (message: ToPrimary) => this.#fromWorker(worker, state, message));
        worker.on("error", () => {}); // a failed send is handled where it was made
        // Its channel closed: it will take nothing more. Node emits no
        // 'disconnect' while it waits for the worker to acknowledge a handle,
        // so 'exit' counts too, one turn of the event loop later: a worker's
        // last messages (and its channel's end) are read in the same turn
        // as its exit, but may be read after it.
        worker.on("disconnect", () => this.#takeBack(worker));
        worker.on("exit", () => {
          this.#onExit(worker);
          setImmediate(() => this.#takeBack(worker));
        });
      }
    }

    /** Kept for the messages of a worker already gone from `#workers`. */
    #fromWorker(worker: Worker, state: WorkerState, message: ToPrimary): void {
      switch (message?.type) {
        case "netkit-ready":
          state.ready = true;
          this.#wakeWaiters();
          break;
        case "netkit-taken": {
          // The worker holds its own copy now: the primary's goes.
          const handOver = this.#handing.get(message.id);
          if (handOver?.worker !== worker) break;
          this.#handing.delete(message.id);
          handOver.socket.destroy();
          break;
        }
        case "netkit-done":
          state.active = Math.max(0, state.active - 1);
          break;
        case "netkit-reply":
          void this.socket.sendto(Buffer.from(message.data, "base64"), message.address).catch(() => {});
          break;
        case "netkit-shutdown":
          void this.shutdown();
          break;
      }
    }

    #onExit(worker: Worker): void {
      this.#workers.delete(worker);
      if (this.#closing || this.#gaveUp) return;
      const now = Date.now();
      this.#restarts = this.#restarts.filter((t) => now - t < 60_000);
      if (this.#restarts.length >= this.maxChildren * RESTARTS_PER_CHILD_PER_MINUTE) {
        this.#gaveUp = true;
        const error = withCode(
          new Error(
            `Cannot keep worker processes running: ${this.#restarts.length} replaced within a minute; ` +
              "requests are handled in the primary from now on",
          ),
          "ERR_WORKERS_KEEP_DYING",
        );
        void Promise.resolve(this.handleError(null, null, error)).catch(() => {});
        this.#wakeWaiters();
        return;
      }
      this.#restarts.push(now);
      this.#startWorkers();
      // With no worker left, a request waiting for one must not wait for nothing.
      if (this.#workers.size === 0) this.#wakeWaiters();
    }

    #wakeWaiters(): void {
      const waiters = this.#readyWaiters;
      this.#readyWaiters = [];
      for (const wake of waiters) wake();
    }

    /**
     * The ready worker with the fewest requests in hand, waiting for one to
     * finish starting if none is ready yet (a message sent to a worker before
     * it listens would be lost, and with it the connection). `undefined`
     * when there is no worker to wait for, the server is closing, or after
     * `WORKER_START_TIMEOUT`.
     */
    async #pickWorker(): Promise<[Worker, WorkerState] | undefined> {
      const deadline = Date.now() + WORKER_START_TIMEOUT * 1000;
      for (;;) {
        const picked = this.#leastBusy();
        if (picked || this.#closing || this.#workers.size === 0 || Date.now() >= deadline) return picked;
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
    #leastBusy(): [Worker, WorkerState] | undefined {
      let best: [Worker, WorkerState] | undefined;
      const entries = [...this.#workers];
      const start = this.#turn++ % Math.max(1, entries.length);
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[(start + i) % entries.length]!;
        const [worker, state] = entry;
        if (!state.ready || state.stopping || !worker.isConnected()) continue;
        if (!best || state.active < best[1].active) best = entry;
      }
      return best;
    }

    /**
     * Python's `process_request`, in the primary: hands the request to the
     * least busy worker and returns (TCP and Unix stream servers pass the
     * connection itself, untouched, and take it back if that worker ends
     * before taking it; datagram servers pass the datagram). When no worker
     * can take it, the primary handles it itself, waiting for it to finish.
     * In a worker (only if called directly): handles it.
     */
    override async processRequest(request: unknown, clientAddress: Address | null): Promise<void> {
      if (workerConfig) return super.processRequest(request, clientAddress);
      if (request instanceof Socket) {
        let socket: Handle;
        try {
          socket = request.detach();
        } catch (err) {
          if (!hasCode(err, "ERR_SOCKET_DETACH_AFTER_READ")) throw err;
          // verifyRequest read from it: its bytes are here now, so it is served here.
          return serveRequest(this, request, clientAddress);
        }
        return this.#handOver({ id: ++this.#lastId, socket, clientAddress, tries: 0 });
      }
      this.#startWorkers();
      const picked = await this.#pickWorker();
      if (!picked) return serveRequest(this, request, clientAddress);
      const [worker, state] = picked;
      // Counted before sending: the worker's "done" may beat the send callback.
      state.active++;
      // A datagram sent to a worker that dies is lost with its reply, as UDP
      // may lose any datagram; the callback comes whatever happens (Node
      // sends no handle here, so nothing waits for one to be acknowledged).
      const [data] = request as [Buffer, DatagramReplySocket];
      const sent = await sendTo(worker, {
        type: "netkit-datagram",
        data: data.toString("base64"),
        clientAddress,
      });
      if (!sent) {
        state.active--;
        return serveRequest(this, request, clientAddress);
      }
    }

    /**
     * Hands a connection to the least busy worker, keeping the primary's copy
     * until the worker says it took it (`netkit-taken`); the worker's end,
     * or a failed send, brings it back to `#takeBack`. With no worker to
     * hand it to, the primary serves it, unless the server is closing: then
     * it is closed.
     */
    async #handOver(next: Omit<HandOver, "worker">): Promise<void> {
      this.#startWorkers();
      const picked = await this.#pickWorker();
      if (!picked && this.#closing) {
        next.socket.destroy();
        return;
      }
      if (!picked)
        return serveRequest(this, Socket.fromNodeSocket(next.socket, this.addressFamily), next.clientAddress);
      const [worker, state] = picked;
      const handOver: HandOver = { ...next, worker, tries: next.tries + 1 };
      this.#handing.set(handOver.id, handOver);
      // Counted before sending: the worker's "done" may beat the send callback.
      state.active++;
      const message: ToWorker = {
        type: "netkit-request",
        id: handOver.id,
        clientAddress: handOver.clientAddress,
      };
      const failed = () => {
        state.active = Math.max(0, state.active - 1);
        this.#takeBack(worker, handOver.id);
      };
      try {
        // Not awaited: the callback of a send queued behind a handle the
        // worker has not acknowledged never comes if the worker dies.
        worker.send(message, next.socket, { keepOpen: true }, (err: Error | null) => {
          if (err) failed();
        });
      } catch {
        failed();
      }
    }

    /**
     * Takes back the connections handed to `worker` (only `id`, if given)
     * that it has not taken: it died, its channel closed, or the send failed.
     * Each goes to another worker, or is closed when the server is closing
     * or `MAX_HAND_OVERS` workers have died with it (the client sees the
     * connection close, as it would if a Python child died with it).
     */
    #takeBack(worker: Worker, id?: number): void {
      const back = id === undefined ? [...this.#handing.values()] : [this.#handing.get(id)];
      for (const handOver of back) {
        if (handOver?.worker !== worker) continue;
        this.#handing.delete(handOver.id);
        if (this.#closing || handOver.tries >= MAX_HAND_OVERS) {
          handOver.socket.destroy();
          if (!this.#closing) this.#report(handOver, `${handOver.tries} workers in turn did not take it`);
          continue;
        }
        this.#handOver(handOver).catch((err: unknown) => this.#report(handOver, String(err)));
      }
    }

    #report(handOver: HandOver, why: string): void {
      const error = withCode(
        new Error(
          `Cannot hand the connection from ${formatAddress(handOver.clientAddress)} to a worker: ${why}; closed it`,
        ),
        "ERR_FORKING_HAND_OVER",
      );
      void Promise.resolve(this.handleError(null, handOver.clientAddress, error)).catch(() => {});
    }

    /**
     * Python's `server_close`. In the primary: closes the socket, tells every
     * worker to finish the requests it holds and exit, and (with
     * `blockOnClose`) waits for them, at most `closeTimeout` seconds, then
     * kills those left. A datagram server's socket closes last, so replies
     * from requests still running go out. In a worker: nothing to close.
     */
    override async serverClose(): Promise<void> {
      if (workerConfig) return super.serverClose();
      this.#closing = true;
      this.#wakeWaiters();
      const datagram = this.socketType === SOCK_DGRAM;
      if (!datagram) await super.serverClose();
      try {
        await this.#stopWorkers();
      } finally {
        if (datagram) await super.serverClose();
      }
    }

    async #stopWorkers(): Promise<void> {
      const workers = [...this.#workers.keys()].filter((w) => !w.isDead());
      const exited = Promise.all(
        workers.map(
          (w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once("exit", () => resolve()))),
        ),
      );
      for (const w of workers) {
        const state = this.#workers.get(w);
        if (!w.isConnected() || !state) continue;
        state.stopping = true;
        // A worker still starting holds no requests and might miss our message;
        // cluster's own disconnect reaches it whatever its script is doing.
        if (state.ready) w.send({ type: "netkit-stop" } satisfies ToWorker, undefined, undefined, () => {});
        else w.disconnect();
      }
      if (!this.blockOnClose || workers.length === 0) return;
      const limit = this.closeTimeout;
      let timer: NodeJS.Timeout | undefined;
      const timedOut =
        limit === null
          ? await exited.then(() => false)
          : await Promise.race([
              exited.then(() => false),
              new Promise<boolean>((resolve) => {
                timer = setTimeout(() => resolve(true), limit * 1000);
              }),
            ]);
      clearTimeout(timer);
      if (timedOut) {
        const left = workers.filter((w) => !w.isDead());
        process.stderr.write(
          `serverClose(): ${left.length} worker process(es) still running after ${limit} s; killing them\n`,
        );
        for (const w of left) w.process.kill("SIGKILL");
        await exited;
      }
      // The workers are gone; what they never took is closed now, not a turn later.
      for (const w of workers) this.#takeBack(w);
      this.collectChildren();
    }
  }
  return Forking;
}

/** Sends `message` (no handle) to `worker`; false if it failed. */
function sendTo(worker: Worker, message: ToWorker): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      worker.send(message, undefined, undefined, (err: Error | null) => resolve(!err));
    } catch {
      resolve(false);
    }
  });
}

/**
 * Python's `ForkingTCPServer`: a `TCPServer` whose connections are handled
 * in a pool of worker processes.
 *
 * @example
 * ```ts serves=echo:9999
 * class Echo extends StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * const server = new ForkingTCPServer(["127.0.0.1", 9999], Echo);
 * server.maxChildren = 4;
 * await server.serveForever();
 * ```
 */
export class ForkingTCPServer extends ForkingMixIn(TCPServer) {}

/**
 * Python's `ForkingUDPServer`: the primary receives each datagram, a worker
 * handles it, and the reply goes back through the primary's socket.
 *
 * @example
 * ```ts serves=udp-echo:9999
 * class EchoDatagram extends DatagramRequestHandler {
 *   override async handle() {
 *     await this.wfile.write(this.packet);
 *   }
 * }
 * const server = new ForkingUDPServer(["127.0.0.1", 9999], EchoDatagram);
 * await server.serveForever();
 * ```
 */
export class ForkingUDPServer extends ForkingMixIn(UDPServer) {}

/**
 * Python 3.12's `ForkingUnixStreamServer`: a `UnixStreamServer` with worker
 * processes.
 *
 * @example
 * ```ts serves=unix-echo:echo.sock
 * class Echo extends StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * const server = new ForkingUnixStreamServer("echo.sock", Echo);
 * await server.serveForever();
 * ```
 */
export class ForkingUnixStreamServer extends ForkingMixIn(UnixStreamServer) {}

/**
 * Python 3.12's `ForkingUnixDatagramServer`: a `UnixDatagramServer` with
 * worker processes (needs the optional node-unix-socket, as its base does).
 *
 * @example
 * ```ts serves=unix-udp-echo:echo.dgram
 * class EchoDatagram extends DatagramRequestHandler {
 *   override async handle() {
 *     await this.wfile.write(this.packet);
 *   }
 * }
 * const server = new ForkingUnixDatagramServer("echo.dgram", EchoDatagram);
 * await server.serveForever();
 * ```
 */
export class ForkingUnixDatagramServer extends ForkingMixIn(UnixDatagramServer) {}
