/**
 * Python's `asyncore.dispatcher` and `dispatcher_with_send`: a socket wrapped
 * in an object whose methods the loop calls when the socket is ready.
 *
 * ```text
 * loop() ─► poll() ─► for each channel: readable()? writable()?
 *                     ├─ ready to read  ─► handleReadEvent
 *                     │                     ├─ accepting  ─► handleAccept ─► accept() ─► handleAccepted
 *                     │                     ├─ connecting ─► handleConnectEvent ─► handleConnect, then handleRead
 *                     │                     └─ connected  ─► handleRead ─► recv() ('' ─► handleClose)
 *                     └─ ready to write ─► handleWriteEvent
 *                                           ├─ connecting ─► handleConnectEvent ─► handleConnect
 *                                           └─ handleWrite ─► send()
 * a handler throws ─► handleError ─► (log one line) ─► handleClose ─► close
 * ```
 *
 * Readiness in Node terms (there is no select() here): a channel is ready to
 * read when it holds bytes read ahead, the end of the stream or an error (a
 * listening one: a connection waiting; a connecting one: the connect's
 * outcome); ready to write when its send queue has room (see `Channel`). A
 * `poll()` that finds nothing ready waits until one of them changes.
 *
 * `recv()` and `send()` are synchronous, as in Python, over what the channel
 * holds. `bind()`, `listen()` and `connect()` return promises (netkit's socket
 * calls are asynchronous) but need not be awaited: a constructor in Python's
 * shape calls them in order, they run in that order, and the loop leaves the
 * channel alone until they are done. A `bind` or `listen` that fails reaches
 * `handleError` (closing the channel), and rejects the promise for a caller
 * who awaits it.
 *
 * @module
 */
import {
  BlockingIOError,
  EAGAIN,
  EBADF,
  ECONNABORTED,
  ECONNRESET,
  EINVAL,
  ENOTCONN,
  EPIPE,
  ESHUTDOWN,
  nameClasses,
  OSError,
  pyTypeName,
  toError,
} from "../errors/index.js";
import { formatAddress } from "../socket/address.js";
import { type Address, AF_INET, SO_REUSEADDR, SOCK_STREAM, SOL_SOCKET, Socket } from "../socket/index.js";
import { Acceptor, Channel } from "./_channel.js";
import { wake } from "./_wake.js";
import { type SocketMap, socketMap } from "./map.js";
import { compactTraceback } from "./traceback.js";

const EMPTY = Buffer.alloc(0);

/** Python's `_DISCONNECTED`: errors that mean the peer is gone (`recv`/`send` then call `handleClose`). */
const DISCONNECTED: ReadonlySet<number> = new Set([
  ECONNRESET,
  ENOTCONN,
  ESHUTDOWN,
  ECONNABORTED,
  EPIPE,
  EBADF,
]);

function isDisconnect(err: unknown): boolean {
  return err instanceof OSError && err.errno !== undefined && DISCONNECTED.has(err.errno);
}

function wouldBlock(err: unknown): boolean {
  return err instanceof OSError && err.errno === EAGAIN;
}

/** Numbers for `_fileno`: netkit sockets have no file descriptor before they bind or connect. */
let nextFileno = 1;

/** What the loop asks a dispatcher (internal: see `readyToRead`, `readyToWrite`, `takeSetupError`). */
export let readyToRead: (d: dispatcher) => boolean;
export let readyToWrite: (d: dispatcher) => boolean;
export let takeSetupError: (d: dispatcher) => Error | undefined;
/** Gives a dispatcher a channel that is not a socket (`file_dispatcher`). */
export let attachChannel: (d: dispatcher, channel: Channel) => void;

/**
 * Python's `asyncore.dispatcher`: one socket (listening, connecting or
 * connected) in the loop's map, with a method for each event.
 *
 * Methods for the caller: `createSocket`, `setSocket`, `setReuseAddr`,
 * `bind`, `listen`, `connect`, `accept`, `send`, `recv`, `close`.
 * Methods to override: `readable`, `writable`, `handleRead`, `handleWrite`,
 * `handleAccept`, `handleAccepted`, `handleConnect`, `handleClose`,
 * `handleExpt`, `handleError`, `log`, `logInfo`.
 * Attributes: `socket`, `addr`, `connected`, `accepting`, `connecting`,
 * `closing`, `debug`, `ignoreLogTypes`.
 *
 * Where netkit differs: the dispatcher keeps its netkit socket blocking
 * (Python makes it non-blocking) because netkit socket calls are promises
 * that the dispatcher awaits only once the socket is ready; `recv` and `send`
 * are the non-blocking calls. `handleError` takes the error as an argument
 * (JavaScript has no `sys.exc_info()`). `handleExpt` is never called: Node
 * reports no out-of-band data.
 *
 * @example An echo server and a client, in Python's shape
 * ```ts
 * import { dispatcher, dispatcher_with_send, loop } from "netkit/asyncore";
 * import type { Socket } from "netkit/socket";
 * class EchoHandler extends dispatcher_with_send {
 *   override handleRead(): void {
 *     const data = this.recv(8192);
 *     if (data.length) this.send(data);
 *   }
 * }
 * class EchoServer extends dispatcher {
 *   constructor() {
 *     super();
 *     this.createSocket();
 *     this.setReuseAddr();
 *     void this.bind(["127.0.0.1", 0]);
 *     void this.listen(5);
 *   }
 *   override handleAccepted(sock: Socket): void {
 *     new EchoHandler(sock);
 *   }
 * }
 * class Client extends dispatcher_with_send {
 *   constructor(port: number, readonly server: EchoServer) {
 *     super();
 *     this.createSocket();
 *     void this.connect(["127.0.0.1", port]);
 *     this.send(Buffer.from("hello"));
 *   }
 *   override handleConnect(): void {}
 *   override handleRead(): void {
 *     console.log(this.recv(8192).toString()); // hello
 *     this.close();
 *     this.server.close();
 *   }
 * }
 * const server = new EchoServer();
 * await server.ready;
 * new Client((server.socket!.getsockname() as [string, number])[1], server);
 * await loop(5, false, undefined, 100);
 * ```
 */
export class dispatcher {
  /** Python's `debug`: `dispatcher_with_send` logs what it sends when true. */
  debug = false;
  /** True once connected (a client after `handleConnect`, an accepted socket at once). */
  connected = false;
  /** True once `listen()` was called. */
  accepting = false;
  /** True between `connect()` and the connect event. */
  connecting = false;
  /** Python's `closing` flag: never set by asyncore itself, for subclasses to use. */
  closing = false;
  /** The address bound to, connected to, or of the peer (`null`: Python's `None`). */
  addr: Address | null = null;
  /** Log types `logInfo` does not print (Python's `ignore_log_types`). */
  ignoreLogTypes: ReadonlySet<string> = new Set(["warning"]);
  /** The socket (`null` until `createSocket` or `setSocket`). */
  socket: Socket | null = null;
  /**
   * The channel's key in its map (Python's `_fileno`, the file descriptor).
   * netkit numbers channels itself: a netkit socket has no file descriptor
   * until it binds or connects. `null` once the channel left its map.
   */
  _fileno: number | null = null;
  /** Python's `family_and_type`, set by `createSocket`. */
  familyAndType: [family: number, type: number] | undefined;

  readonly #map: SocketMap;
  #channel: Channel | undefined;
  #acceptor: Acceptor | undefined;
  /** `bind`/`listen`/`connect`, run in the order called. */
  #setup: Promise<void> = Promise.resolve();
  #busy = 0;
  #setupError: Error | undefined;
  /** `true` once connected, the error once the connect failed, `undefined` before. */
  #connectOutcome: true | Error | undefined;

  static {
    readyToRead = (d) => d.#readyToRead();
    readyToWrite = (d) => d.#readyToWrite();
    takeSetupError = (d) => {
      const err = d.#setupError;
      d.#setupError = undefined;
      return err;
    };
    attachChannel = (d, channel) => {
      d.#channel = channel;
    };
  }

  /**
   * Python's `dispatcher(sock=None, map=None)`.
   * @param sock a socket to wrap, usually a connected one from `accept()`
   *   (an unconnected one is wrapped too, as in Python)
   * @param map the map to join @default socketMap
   * @throws OSError when `sock` is broken in another way than "not connected"
   */
  constructor(sock?: Socket | null, map?: SocketMap) {
    this.#map = map ?? socketMap;
    if (!sock) return;
    // Python sets the socket non-blocking here; netkit keeps it blocking (see the class notes).
    sock.settimeout(null);
    this.setSocket(sock, map);
    this.connected = true;
    try {
      this.addr = sock.getpeername();
    } catch (err) {
      if (err instanceof OSError && (err.errno === ENOTCONN || err.errno === EINVAL)) {
        this.connected = false;
      } else {
        this.delChannel(map);
        throw err;
      }
    }
    if (this.connected) this.#openChannel(sock);
  }

  /** Python's `repr()`: `<EchoHandler connected 127.0.0.1:54321>`. */
  toString(): string {
    const status = [pyTypeName(this)];
    if (this.accepting && this.addr) status.push("listening");
    else if (this.connected) status.push("connected");
    if (this.addr !== null) {
      const a = this.addr;
      status.push(Array.isArray(a) && a.length === 2 ? `${a[0]}:${a[1]}` : formatAddress(a));
    }
    return `<${status.join(" ")}>`;
  }

  // ---- the map --------------------------------------------------------------

  /** Python's `add_channel(map)`: joins `map` (default: the dispatcher's own). */
  addChannel(map?: SocketMap): void {
    if (this._fileno === null) this._fileno = nextFileno++;
    (map ?? this.#map).set(this._fileno, this);
    wake();
  }

  /** Python's `del_channel(map)`: leaves `map` (default: the dispatcher's own). */
  delChannel(map?: SocketMap): void {
    const fd = this._fileno;
    if (fd !== null) (map ?? this.#map).delete(fd);
    this._fileno = null;
  }

  // ---- the socket -----------------------------------------------------------

  /**
   * Python's `create_socket(family, type)`: makes a socket and joins the map.
   * @param family @default AF_INET
   * @param type @default SOCK_STREAM
   */
  createSocket(family: number = AF_INET, type: number = SOCK_STREAM): void {
    this.familyAndType = [family, type];
    const sock = new Socket(family, type);
    sock.settimeout(null);
    this.setSocket(sock);
  }

  /** Python's `set_socket(sock, map)`: takes `sock` as this channel's socket and joins the map. */
  setSocket(sock: Socket, map?: SocketMap): void {
    this.socket = sock;
    this._fileno = nextFileno++;
    this.addChannel(map);
  }

  /** Python's `set_reuse_addr()`: sets SO_REUSEADDR, ignoring an `OSError`. */
  setReuseAddr(): void {
    const sock = this.#needSocket();
    try {
      sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, sock.getsockopt(SOL_SOCKET, SO_REUSEADDR) | 1);
    } catch (err) {
      if (!(err instanceof OSError)) throw err;
    }
  }

  /**
   * Settles when the `bind`, `listen` and `connect` calls made so far are
   * done (netkit's addition, as `ready` on socketserver's servers): await it
   * to read the bound port (`socket.getsockname()`) after a constructor in
   * Python's shape. Rejects with a `bind` or `listen` error; a failed
   * `connect` resolves it (the failure comes as an event).
   */
  get ready(): Promise<void> {
    return this.#setup;
  }

  /** Python's `readable()`: whether the loop should watch for reading. Override it. @returns true */
  readable(): boolean {
    return true;
  }

  /** Python's `writable()`: whether the loop should watch for writing. Override it. @returns true */
  writable(): boolean {
    return true;
  }

  /**
   * Python's `listen(num)`: sets `accepting` at once and starts listening.
   * @param num the backlog
   * @returns a promise that settles when listening (no need to await it)
   */
  listen(num: number): Promise<void> {
    this.accepting = true;
    const sock = this.#needSocket();
    return this.#step(async () => {
      await sock.listen(num);
      sock.settimeout(null); // the acceptor waits for connections as long as it takes
      this.#acceptor ??= new Acceptor(sock);
    });
  }

  /**
   * Python's `bind(addr)`: sets `addr` at once and binds.
   * @returns a promise that settles when bound (no need to await it)
   */
  bind(addr: Address): Promise<void> {
    this.addr = addr;
    const sock = this.#needSocket();
    return this.#step(() => sock.bind(addr));
  }

  /**
   * Python's `connect(address)`: sets `connecting` and `addr` at once and
   * starts connecting. The outcome comes as an event, as in Python: success
   * calls `handleConnect` (then `connected` is true), failure throws from
   * the connect event into `handleError`.
   * @returns a promise that settles when the attempt is over, either way
   */
  connect(address: Address): Promise<void> {
    this.connected = false;
    this.connecting = true;
    this.addr = address;
    const sock = this.#needSocket();
    return this.#step(async () => {
      try {
        await sock.connect(address);
        this.#connectOutcome = true;
        this.#openChannel(sock);
      } catch (err) {
        this.#connectOutcome = toError(err);
      }
    });
  }

  /**
   * Python's `accept()`: the waiting connection as `[sock, address]`, or
   * `null` when there is none.
   * @throws OSError EINVAL when not listening; the listener's error
   */
  accept(): [Socket, Address] | null {
    this.#needSocket();
    if (!this.accepting) throw new OSError(EINVAL);
    return this.#acceptor?.take() ?? null;
  }

  /**
   * Python's `send(data)`: queues what the send queue has room for and
   * returns how many bytes that was; 0 when it is full (EWOULDBLOCK) or the
   * peer is gone (then after calling `handleClose`).
   * @throws the channel's error when it is not a disconnection
   */
  send(data: Uint8Array): number {
    try {
      return this.#needChannel().send(data);
    } catch (err) {
      if (wouldBlock(err)) return 0;
      if (isDisconnect(err)) {
        this.handleClose();
        return 0;
      }
      throw err;
    }
  }

  /**
   * Python's `recv(bufferSize)`: up to `bufferSize` bytes that have come.
   * At the end of the stream, or when the peer is gone, it calls
   * `handleClose` and returns an empty Buffer.
   * @throws BlockingIOError when nothing has come yet (as Python's on a non-blocking socket); the channel's other errors
   */
  recv(bufferSize: number): Buffer {
    try {
      const data = this.#needChannel().recv(bufferSize);
      if (data.length === 0) {
        this.handleClose();
        return EMPTY;
      }
      return data;
    } catch (err) {
      if (isDisconnect(err)) {
        this.handleClose();
        return EMPTY;
      }
      throw err;
    }
  }

  /**
   * Python's `close()`: leaves the map and closes the socket (bytes already
   * sent are still delivered).
   */
  close(): void {
    this.connected = false;
    this.accepting = false;
    this.connecting = false;
    this.delChannel();
    this.#channel?.close();
    this.#acceptor?.close();
    this.socket?.close();
  }

  // ---- logging ----------------------------------------------------------------

  /** Python's `log(message)`: writes `log: message` to stderr. */
  log(message: unknown): void {
    process.stderr.write(`log: ${String(message)}\n`);
  }

  /**
   * Python's `log_info(message, type)`: prints `type: message` to stdout
   * unless `type` is in `ignoreLogTypes` (by default, warnings are not printed).
   * @param type @default "info"
   */
  logInfo(message: string, type = "info"): void {
    if (!this.ignoreLogTypes.has(type)) process.stdout.write(`${type}: ${message}\n`);
  }

  // ---- events -----------------------------------------------------------------

  /** Python's `handle_read_event()`: dispatches a read event (see the module's diagram). */
  handleReadEvent(): void {
    if (this.accepting) {
      this.handleAccept();
    } else if (!this.connected) {
      if (this.connecting) this.handleConnectEvent();
      this.handleRead();
    } else {
      this.handleRead();
    }
  }

  /**
   * Python's `handle_connect_event()`: calls `handleConnect`, then sets
   * `connected`.
   * @throws the error the connect failed with
   */
  handleConnectEvent(): void {
    const outcome = this.#connectOutcome;
    if (outcome instanceof Error) throw outcome;
    this.handleConnect();
    this.connected = true;
    this.connecting = false;
  }

  /** Python's `handle_write_event()`: dispatches a write event (none for a listening channel). */
  handleWriteEvent(): void {
    if (this.accepting) return;
    if (!this.connected && this.connecting) this.handleConnectEvent();
    this.handleWrite();
  }

  /** Python's `handle_expt_event()`: closes on a socket error, else calls `handleExpt`. */
  handleExptEvent(): void {
    if (this.#channel?.error) this.handleClose();
    else this.handleExpt();
  }

  /**
   * Python's `handle_error()`: logs one line (this channel, the error and a
   * compact traceback) with type `error`, then calls `handleClose`.
   * @param error what was thrown (Python reads it from `sys.exc_info()`)
   */
  handleError(error?: unknown): void {
    const [, type, value, info] = compactTraceback(error);
    let self: string;
    try {
      self = String(this);
    } catch {
      self = "<toString() failed for a dispatcher>";
    }
    this.logInfo(`uncaptured exception, closing channel ${self} (${type}:${value.message} ${info})`, "error");
    this.handleClose();
  }

  /** Python's `handle_expt()`: out-of-band data came (never, on Node). */
  handleExpt(): void {
    this.logInfo("unhandled incoming priority event", "warning");
  }

  /** Python's `handle_read()`: bytes, the end of the stream or an error are there to `recv()`. Override it. */
  handleRead(): void {
    this.logInfo("unhandled read event", "warning");
  }

  /** Python's `handle_write()`: the socket can take bytes. Override it. */
  handleWrite(): void {
    this.logInfo("unhandled write event", "warning");
  }

  /** Python's `handle_connect()`: the connect succeeded. Override it. */
  handleConnect(): void {
    this.logInfo("unhandled connect event", "warning");
  }

  /** Python's `handle_accept()`: a connection is waiting; takes it and calls `handleAccepted`. */
  handleAccept(): void {
    const pair = this.accept();
    if (pair !== null) this.handleAccepted(pair[0], pair[1]);
  }

  /** Python's `handle_accepted(sock, addr)`: a new connection. Override it (the default closes it). */
  handleAccepted(sock: Socket, _addr: Address): void {
    sock.close();
    this.logInfo("unhandled accepted event", "warning");
  }

  /** Python's `handle_close()`: the peer closed, or an error ended the channel. The default closes. */
  handleClose(): void {
    this.logInfo("unhandled close event", "warning");
    this.close();
  }

  // ---- internals --------------------------------------------------------------

  #needSocket(): Socket {
    if (this.socket === null) throw new OSError(EBADF, "Bad file descriptor: the dispatcher has no socket");
    return this.socket;
  }

  #needChannel(): Channel {
    if (this.#channel) return this.#channel;
    if (this.connecting) throw new BlockingIOError(EAGAIN);
    throw new OSError(this.socket === null || this.socket.closed ? EBADF : ENOTCONN);
  }

  #openChannel(sock: Socket): void {
    // The channel's read waits for bytes as long as it takes: a socket timeout
    // (set before the socket came here) would end an idle connection.
    sock.settimeout(null);
    this.#channel = new Channel(
      (size) => sock.recv(size),
      (data) => sock.send(data),
    );
  }

  /** Runs `op` after the earlier steps; the loop leaves the channel alone meanwhile. */
  #step(op: () => Promise<void>): Promise<void> {
    const step = this.#setup.then(op);
    this.#setup = step;
    this.#busy++;
    step.then(
      () => {
        this.#busy--;
        wake();
      },
      (err: unknown) => {
        this.#busy--;
        if (this.#setup === step) this.#setupError = toError(err);
        wake();
      },
    );
    return step;
  }

  #readyToRead(): boolean {
    if (this.#setupError) return true;
    if (this.#busy > 0) return false;
    if (this.accepting) return this.#acceptor?.ready ?? false;
    // A failed connect is readable and writable, as select() reports it; a
    // successful one is only writable until bytes come.
    if (this.connecting && !this.connected && this.#connectOutcome instanceof Error) return true;
    return this.#channel?.readReady ?? false;
  }

  #readyToWrite(): boolean {
    if (this.#setupError) return true;
    if (this.#busy > 0 || this.accepting) return false;
    if (this.connecting && !this.connected && this.#connectOutcome !== undefined) return true;
    return this.#channel?.writeReady ?? false;
  }
}

/**
 * Python's `asyncore.dispatcher_with_send`: a dispatcher whose `send`
 * buffers: what the socket does not take now goes out on later write events.
 * `writable()` is true while connecting or while bytes wait.
 *
 * @example
 * ```ts
 * import { dispatcher_with_send } from "netkit/asyncore";
 * class Greeter extends dispatcher_with_send {
 *   override handleConnect(): void {
 *     this.send(Buffer.from("hello\r\n")); // buffered, sent on the next write events
 *   }
 * }
 * new Greeter().outBuffer.length; // 0
 * ```
 */
export class dispatcher_with_send extends dispatcher {
  /** Python's `out_buffer`: bytes `send` has not got out yet. */
  outBuffer: Buffer = EMPTY;

  /** Python's `initiate_send()`: sends up to 64 KiB of `outBuffer`. */
  initiateSend(): void {
    const sent = super.send(this.outBuffer.subarray(0, 65536));
    this.outBuffer = this.outBuffer.subarray(sent);
  }

  /** Sends what waits in `outBuffer`. */
  override handleWrite(): void {
    this.initiateSend();
  }

  /** True while not connected or while bytes wait in `outBuffer`. */
  override writable(): boolean {
    return !this.connected || this.outBuffer.length > 0;
  }

  /**
   * Python's buffered `send(data)`: appends `data` to `outBuffer` and sends
   * what it can now.
   * @returns nothing (Python's returns `None`); TypeScript sees Python's base signature's number, always 0 here
   */
  override send(data: Uint8Array): number {
    if (this.debug) this.logInfo(`sending ${formatBytes(data)}`);
    this.outBuffer = Buffer.concat([this.outBuffer, data]);
    this.initiateSend();
    return 0;
  }
}

/** `repr(bytes)`-like, for the debug log. */
function formatBytes(data: Uint8Array): string {
  return `b${JSON.stringify(Buffer.from(data).toString("latin1"))}`;
}

nameClasses({ dispatcher, dispatcher_with_send });
