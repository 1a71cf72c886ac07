/**
 * Python's `socket.socket`, awaitable: the same constructor, methods and
 * errors, where every call that blocks in Python returns a Promise.
 *
 * ```text
 *            bind ──► listen ──► accept ──► [Socket, address]
 * Socket ──┤
 *            connect ──► send / sendall / recv ... shutdown ──► close
 * ```
 *
 * Under it: node:net for SOCK_STREAM (AF_INET, AF_INET6, AF_UNIX), node:dgram
 * for UDP, and the optional `node-unix-socket` addon for AF_UNIX SOCK_DGRAM.
 *
 * Where Node forces a difference, it is small and documented:
 * - `bind()` on a stream socket already listens in the kernel (Node binds and
 *   listens in one step); connections wait, paused, until `accept()`. A socket
 *   that is bound and then connects (a client choosing its local address)
 *   gives the listening endpoint back and connects from that address.
 * - `bind()`, `listen()` and `connect()` are async; `close()` and
 *   `shutdown()` are synchronous, as in Python.
 * - SO_REUSEADDR is always on for listening TCP sockets (libuv sets it).
 *
 * Safe defaults: unread data is bounded (the socket stops reading past
 * SO_RCVBUF, 1 MiB by default), and every wait honours `settimeout`.
 *
 * @module
 */
import * as net from "node:net";
import {
  BlockingIOError,
  EAFNOSUPPORT,
  EAGAIN,
  EBADF,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  ENOPROTOOPT,
  ENOTCONN,
  EOPNOTSUPP,
  EPIPE,
  ESOCKTNOSUPPORT,
  OSError,
  TimeoutError,
  ValueError,
  withCode,
} from "../errors/index.js";
import { BufferedReader } from "../io/reader.js";
import type { ByteSink, ByteSource } from "../io/source.js";
import { BufferedWriter } from "../io/writer.js";
import { type DatagramEndpoint, UdpEndpoint, UnixDatagramEndpoint } from "./_datagram.js";
import { socketFd } from "./_node_internals.js";
import { SharedBufferReads, StreamConnection, StreamListener } from "./_stream.js";
import { type WaitList, waitFor } from "./_wait.js";
import { type Address, checkAddress, formatAddress, type NodeAddress, toPythonAddress } from "./address.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  MSG_PEEK,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_BROADCAST,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_TYPE,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./constants.js";
import { gaierror, socketCallError } from "./errors.js";

let defaultTimeout: number | null = null;

/**
 * Bytes Node may queue for sending before `send`/`sendall` wait for the
 * queue to drain: the part the kernel's send buffer plays for Python.
 */
const SEND_BUFFER = 1024 * 1024;

/** Makes the error a read that waited too long ends with (one function, not a closure per read). */
const timedOut = (): Error => new TimeoutError();

/**
 * Python's `socket.getdefaulttimeout()`: the timeout, in seconds, that new
 * sockets start with (`null`: they block without limit).
 */
export function getdefaulttimeout(): number | null {
  return defaultTimeout;
}

/**
 * Python's `socket.setdefaulttimeout(t)`: sets the timeout new sockets start with.
 * @throws ValueError for a negative timeout
 */
export function setdefaulttimeout(timeout: number | null): void {
  defaultTimeout = checkTimeout(timeout);
}

function checkTimeout(timeout: number | null): number | null {
  if (timeout === null) return null;
  if (typeof timeout !== "number" || Number.isNaN(timeout))
    throw withCode(new TypeError("Timeout value must be a number or None"), "ERR_INVALID_ARG_TYPE");
  if (timeout < 0) throw new ValueError("Timeout value out of range");
  return timeout;
}

/** Options for `Socket.makefile`, Python's keyword arguments. */
export interface MakefileOptions {
  /**
   * Buffer size: `0` for a write-through writer, a positive size, or `-1`.
   * @default -1 (8192 bytes, io.DEFAULT_BUFFER_SIZE)
   */
  buffering?: number;
  /**
   * Longest line `readline()` returns before it throws `LineTooLongError`.
   * @default 65536
   */
  maxLineLength?: number;
}

/** What `makefile` returns for each mode. */
export type MakefileResult<M extends string> = M extends `${string}w${string}`
  ? M extends `${string}r${string}`
    ? [BufferedReader, BufferedWriter]
    : BufferedWriter
  : BufferedReader;

interface SocketOptions {
  reuseAddr: boolean;
  reusePort: boolean;
  keepAlive: boolean;
  noDelay: boolean;
  ipv6Only: boolean;
  receiveBuffer: number | undefined;
  broadcast: boolean;
}

const DEFAULT_OPTIONS: Readonly<SocketOptions> = Object.freeze({
  reuseAddr: false,
  reusePort: false,
  keepAlive: false,
  noDelay: false,
  ipv6Only: false,
  receiveBuffer: undefined,
  broadcast: false,
});

/**
 * Python's `socket.socket`. Create one with a family and a type, then use it
 * as a client (`connect`, `sendall`, `recv`) or a server (`bind`, `listen`,
 * `accept`).
 *
 * @example Echo one message (Python's tutorial client and server)
 * ```ts
 * import { Socket } from "netkit/socket";
 * const server = new Socket();
 * await server.bind(["127.0.0.1", 0]);
 * await server.listen(5);
 * const client = new Socket();
 * await client.connect(server.getsockname() as [string, number]);
 * const [conn] = await server.accept();
 * await client.sendall(Buffer.from("hello"));
 * console.log((await conn.recv(1024)).toString()); // hello
 * client.close(); conn.close(); server.close();
 * ```
 */
export class Socket implements AsyncDisposable {
  /** Address family: `AF_INET`, `AF_INET6` or `AF_UNIX`. */
  readonly family: number;
  /** Socket type: `SOCK_STREAM` or `SOCK_DGRAM`. */
  readonly type: number;
  /** Protocol number (0 picks the family's default). */
  readonly proto: number;

  #timeout: number | null = defaultTimeout;
  #closed = false;
  #stream: StreamConnection | undefined;
  #listener: StreamListener | undefined;
  #listening = false;
  #boundAddress: NodeAddress | undefined;
  #datagram: DatagramEndpoint | undefined;
  #connecting = false;
  /** AF_UNIX stream names: Node does not report paths, so the socket remembers them. */
  #unixLocal = "";
  #unixPeer = "";
  /** Shared defaults until a `setsockopt` changes one (sockets are many; options rarely set). */
  #options: Readonly<SocketOptions> = DEFAULT_OPTIONS;
  /**
   * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`
   * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`
   * @param proto protocol number, 0 for the default
   * @throws OSError EAFNOSUPPORT/EINVAL for families or types Node cannot provide
   */
  constructor(family: number = AF_INET, type: number = SOCK_STREAM, proto = 0) {
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) throw new OSError(EAFNOSUPPORT);
    if (type !== SOCK_STREAM && type !== SOCK_DGRAM) throw new OSError(ESOCKTNOSUPPORT);
    this.family = family;
    this.type = type;
    this.proto = proto;
    if (type === SOCK_DGRAM && family === AF_UNIX) this.#datagram = new UnixDatagramEndpoint();
  }

  /**
   * Wraps a connected `net.Socket` (what `accept()` does). For code that
   * already holds a Node socket and wants Python's interface over it.
   * @param family the address family (default: from the socket's remote address)
   * @param options.toError turns the Node socket's errors into the errors
   *   the netkit socket throws (default `OSError.fromNodeError`; netkit/ssl
   *   passes one that gives Python's SSLError classes)
   */
  static fromNodeSocket(
    socket: net.Socket,
    family?: number,
    options: { toError?: (err: unknown) => Error } = {},
  ): Socket {
    const fam =
      family ??
      (socket.remoteFamily === "IPv6" ? AF_INET6 : socket.remoteFamily === "IPv4" ? AF_INET : AF_UNIX);
    // `new this`: a subclass (netkit/ssl's SSLSocket) gets an instance of itself.
    const sock = new this(fam, SOCK_STREAM);
    sock.#stream = new StreamConnection(socket, undefined, false, options.toError);
    return sock;
  }

  // ---- state checks -------------------------------------------------------

  #checkOpen(): void {
    if (this.#closed) throw new OSError(EBADF);
  }

  #udp(): DatagramEndpoint {
    this.#datagram ??= new UdpEndpoint(this.family, {
      reuseAddr: this.#options.reuseAddr,
      ipv6Only: this.#options.ipv6Only,
    });
    return this.#datagram;
  }

  /** Waits on `list` for `attempt` to give a value, honouring the timeout and non-blocking mode. */
  #wait<T>(list: WaitList, attempt: () => T | undefined): Promise<T> {
    const now = attempt();
    if (now !== undefined) return Promise.resolve(now);
    if (this.#timeout === 0) return Promise.reject(new BlockingIOError(EAGAIN));
    return waitFor(list, this.#timeout, attempt);
  }

  // ---- timeouts -----------------------------------------------------------

  /**
   * Python's `settimeout`: `null` blocks without limit, `0` makes every call
   * non-blocking (a call that would wait throws `BlockingIOError`), a positive
   * number of seconds makes a call that waits longer throw `TimeoutError`.
   */
  settimeout(timeout: number | null): void {
    this.#timeout = checkTimeout(timeout);
  }

  /** Python's `gettimeout`: seconds, or `null` when blocking without limit. */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /** Python's `setblocking(flag)`: `false` is `settimeout(0)`, `true` is `settimeout(null)`. */
  setblocking(flag: boolean): void {
    this.#timeout = flag ? null : 0;
  }

  /** Python's `getblocking()`: false only in non-blocking mode (timeout 0). */
  getblocking(): boolean {
    return this.#timeout !== 0;
  }

  // ---- server side --------------------------------------------------------

  /**
   * Python's `bind(address)`. For SOCK_STREAM the kernel also starts listening
   * here (see the module notes). Port 0 picks a free port; `getsockname()`
   * tells which.
   * @throws OSError `EADDRINUSE` naming the address, `OverflowError` for a bad port
   */
  async bind(address: Address): Promise<void> {
    this.#checkOpen();
    const addr = checkAddress(this.family, address, "bind()");
    if (this.type === SOCK_DGRAM) {
      await this.#udp().bind(addr);
      return;
    }
    if (this.#boundAddress || this.#stream) throw new OSError(EINVAL);
    this.#listener = await this.#startListening(addr, 511);
    const real = this.#listener.server.address();
    // Keep the port the kernel chose, for a later bind-then-connect.
    this.#boundAddress =
      addr.kind === "inet" && real && typeof real === "object" ? { ...addr, port: real.port } : addr;
  }

  async #startListening(addr: NodeAddress, backlog: number): Promise<StreamListener> {
    const server = net.createServer({
      pauseOnConnect: true,
      allowHalfOpen: true,
      highWaterMark: SEND_BUFFER,
    });
    const listener = new StreamListener(server);
    const options: net.ListenOptions & { reusePort?: boolean } = { backlog, exclusive: true };
    if (addr.kind === "unix") options.path = addr.path;
    else {
      options.host = addr.host;
      options.port = addr.port;
      if (this.family === AF_INET6) options.ipv6Only = this.#options.ipv6Only;
      if (this.#options.reusePort) options.reusePort = true;
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        const where = addr.kind === "unix" ? addr.path : formatAddress([addr.host, addr.port]);
        const error = socketCallError(err);
        reject(
          error instanceof OSError && error.errno !== undefined && !(error instanceof gaierror)
            ? OSError.fromErrno(error.errno, `${error.strerror}: ${where}`, undefined, { cause: err })
            : error,
        );
      };
      server.once("error", onError);
      server.listen(options, () => {
        server.off("error", onError);
        resolve();
      });
    });
    return listener;
  }

  /**
   * Python's `listen(backlog)`: makes a bound stream socket accept connections
   * (binding it to a free port first if it is not bound, as Linux does).
   * The kernel backlog is fixed when `bind()` listens; connections beyond it
   * wait in netkit's queue instead, so none is lost.
   */
  async listen(backlog?: number): Promise<void> {
    this.#checkOpen();
    if (this.type !== SOCK_STREAM) throw new OSError(EOPNOTSUPP);
    if (backlog !== undefined && (!Number.isInteger(backlog) || backlog < 0)) {
      throw new ValueError(`listen() backlog must be a non-negative integer, not ${backlog}`);
    }
    if (this.#stream) throw new OSError(EINVAL);
    if (!this.#listener) {
      await this.bind(
        this.family === AF_UNIX
          ? `\0netkit-${process.pid}-${Math.random().toString(36).slice(2)}`
          : this.family === AF_INET6
            ? ["::", 0]
            : ["0.0.0.0", 0],
      );
    }
    this.#listening = true;
  }

  /**
   * Python's `accept()`: waits for a connection and resolves with
   * `[conn, address]`, where `conn` is a new connected `Socket`.
   * @throws OSError EINVAL when not listening, `TimeoutError`, `BlockingIOError`
   */
  async accept(): Promise<[Socket, Address]> {
    this.#checkOpen();
    const listener = this.#listener;
    if (!listener || !this.#listening) throw new OSError(EINVAL);
    const nodeSocket = await this.#wait(listener.changed, () => listener.take());
    const conn = new Socket(this.family, SOCK_STREAM, this.proto);
    conn.#stream = new StreamConnection(nodeSocket, this.#options.receiveBuffer, true);
    if (this.#boundAddress?.kind === "unix") conn.#unixLocal = this.#boundAddress.path;
    conn.#options = this.#options;
    conn.#applyStreamOptions();
    const address =
      this.family === AF_UNIX
        ? ""
        : toPythonAddress(this.family, nodeSocket.remoteAddress, nodeSocket.remotePort);
    return [conn, address];
  }

  // ---- client side --------------------------------------------------------

  /**
   * Python's `connect(address)`. Host names resolve in the socket's family.
   * @throws ConnectionRefusedError, TimeoutError, OSError EISCONN when already connected, gaierror-like OSError for unknown hosts
   */
  async connect(address: Address): Promise<void> {
    this.#checkOpen();
    const addr = checkAddress(this.family, address, "connect()");
    if (this.type === SOCK_DGRAM) {
      await this.#udp().connect(addr);
      return;
    }
    if (this.#stream || this.#connecting) throw new OSError(EISCONN);
    if (this.#listening) throw new OSError(EINVAL);
    let local: NodeAddress | undefined;
    if (this.#listener) {
      // Bound but not listening: a client that chose its local address.
      local = this.#boundAddress;
      await this.#listener.close();
      this.#listener = undefined;
    }
    this.#connecting = true;
    try {
      this.#stream = await this.#openConnection(addr, local);
      if (addr.kind === "unix") this.#unixPeer = addr.path;
    } finally {
      this.#connecting = false;
    }
    this.#applyStreamOptions();
  }

  #openConnection(addr: NodeAddress, local: NodeAddress | undefined): Promise<StreamConnection> {
    const options: net.NetConnectOpts & { writableHighWaterMark: number } =
      addr.kind === "unix"
        ? { path: addr.path, allowHalfOpen: true, writableHighWaterMark: SEND_BUFFER }
        : {
            host: addr.host,
            port: addr.port,
            family: this.family === AF_INET6 ? 6 : 4,
            allowHalfOpen: true,
            writableHighWaterMark: SEND_BUFFER,
          };
    if (local?.kind === "inet" && addr.kind !== "unix") {
      (options as net.TcpNetConnectOpts).localAddress = local.host;
      (options as net.TcpNetConnectOpts).localPort = local.port;
    }
    if (this.#timeout === 0) {
      // Python's non-blocking connect raises EINPROGRESS; Node cannot report
      // the outcome later through this API, so it is refused up front.
      return Promise.reject(new BlockingIOError(EINPROGRESS));
    }
    const reads = new SharedBufferReads();
    options.onread = reads.onread;
    return new Promise((resolve, reject) => {
      const socket = net.connect(options);
      socket.pause(); // nothing is read before the StreamConnection is there to take it
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        const where = addr.kind === "unix" ? addr.path : undefined;
        reject(socketCallError(err, where));
      };
      socket.once("error", fail);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.off("error", fail);
        reads.connection = new StreamConnection(socket, this.#options.receiveBuffer);
        resolve(reads.connection);
      });
      if (this.#timeout !== null) {
        timer = setTimeout(() => {
          socket.off("error", fail);
          socket.on("error", () => {});
          socket.destroy();
          reject(new TimeoutError());
        }, this.#timeout * 1000);
      }
    });
  }

  /**
   * Python's `connect_ex(address)`: like `connect`, but resolves with the
   * errno (0 on success) instead of throwing an `OSError`.
   */
  async connectEx(address: Address): Promise<number> {
    try {
      await this.connect(address);
      return 0;
    } catch (err) {
      if (err instanceof OSError && err.errno !== undefined) return err.errno;
      if (err instanceof OSError && err.code === "ETIMEDOUT") return EAGAIN;
      throw err;
    }
  }

  #applyStreamOptions(): void {
    const socket = this.#stream?.socket;
    if (!socket) return;
    if (this.#options.keepAlive) socket.setKeepAlive(true);
    if (this.#options.noDelay) socket.setNoDelay(true);
  }

  #connected(): StreamConnection {
    this.#checkOpen();
    if (!this.#stream) throw new OSError(ENOTCONN);
    return this.#stream;
  }

  // ---- data ---------------------------------------------------------------

  /**
   * Python's `send(data)`: sends and resolves with the number of bytes sent
   * (always all of them: Node queues what the kernel does not take at once).
   * While that queue is over its 1 MiB bound, `send` first waits for room,
   * as send(2) waits for the kernel's buffer; so a `send` that times out, or
   * throws `BlockingIOError` in non-blocking mode, has queued nothing, and
   * sending the same bytes again cannot send them twice.
   * @throws BlockingIOError (non-blocking, queue full), TimeoutError,
   *   BrokenPipeError, ConnectionResetError
   */
  async send(data: Uint8Array, flags = 0): Promise<number> {
    checkFlags(flags, "send");
    if (this.type === SOCK_DGRAM) {
      this.#checkOpen();
      await this.#withTimeout(this.#udp().send(data, null));
      return data.length;
    }
    const stream = this.#connected();
    if (stream.needsDrain) {
      await this.#wait(stream.changed, () => {
        if (stream.error) throw stream.error;
        if (stream.closed) throw new OSError(EBADF);
        return stream.needsDrain ? undefined : true;
      });
    }
    stream.writeNow(data);
    return data.length;
  }

  /**
   * Python's `sendall(data)`: resolves once every byte is queued for sending
   * within the socket's bounded send buffer (1 MiB of Node's write queue,
   * standing in for the kernel's), waiting for it to drain when it is full.
   * @throws BrokenPipeError, ConnectionResetError, TimeoutError
   */
  async sendall(data: Uint8Array, flags = 0): Promise<void> {
    await this.send(data, flags);
  }

  /**
   * Python's `sendto(data, address)` (or `sendto(data, flags, address)`):
   * sends one datagram; resolves with its length.
   */
  async sendto(data: Uint8Array, flagsOrAddress: number | Address, address?: Address): Promise<number> {
    this.#checkOpen();
    const target = address ?? (flagsOrAddress as Address);
    if (address !== undefined) checkFlags(flagsOrAddress as number, "sendto");
    if (this.type !== SOCK_DGRAM) {
      // Python: sendto on a connected stream socket ignores the address (Linux EISCONN otherwise).
      if (this.#stream) throw new OSError(EISCONN);
      throw new OSError(EPIPE);
    }
    const addr = checkAddress(this.family, target, "sendto()");
    await this.#withTimeout(this.#udp().send(data, addr));
    return data.length;
  }

  /**
   * Python's `recv(bufsize)`: resolves with at most `bufsize` bytes, waiting
   * until at least one arrives; an empty Buffer means the peer closed.
   * `MSG_PEEK` in `flags` leaves the bytes to be read again.
   * @throws ValueError for a negative size, TimeoutError, ConnectionResetError
   */
  async recv(bufsize: number, flags = 0): Promise<Buffer> {
    if (bufsize < 0) throw new ValueError("negative buffersize in recv");
    const peek = (flags & MSG_PEEK) !== 0;
    checkFlags(flags & ~MSG_PEEK, "recv");
    if (this.type === SOCK_DGRAM) {
      const [data] = await this.recvfrom(bufsize, flags);
      return data;
    }
    const stream = this.#connected();
    if (bufsize === 0) return Buffer.alloc(0);
    if (peek || this.#timeout === 0) return this.#wait(stream.changed, () => stream.take(bufsize, peek));
    const now = stream.take(bufsize);
    if (now !== undefined) return now;
    return stream.nextChunk(this.#timeout, timedOut, bufsize);
  }

  /**
   * Python's `recv_into(buffer, nbytes)`: reads into `buffer` and resolves
   * with the number of bytes written there.
   */
  async recvInto(buffer: Uint8Array, nbytes = 0, flags = 0): Promise<number> {
    if (nbytes < 0) throw new ValueError("negative buffersize in recv_into");
    if (nbytes > buffer.length) throw new ValueError("buffer too small for requested bytes");
    const size = nbytes || buffer.length;
    if (this.type === SOCK_STREAM && flags === 0 && this.#timeout !== 0 && size > 0) {
      // Bytes that arrive while this waits are read straight into `buffer`.
      return this.#connected().readInto(buffer.subarray(0, size), this.#timeout, timedOut);
    }
    const data = await this.recv(size, flags);
    buffer.set(data);
    return data.length;
  }

  /**
   * Python's `recvfrom(bufsize)`: resolves with `[data, address]`. For a
   * datagram longer than `bufsize` the rest is discarded, as the kernel does.
   * The address is `null` for an unnamed AF_UNIX sender, as in Python.
   */
  async recvfrom(bufsize: number, flags = 0): Promise<[Buffer, Address | null]> {
    if (bufsize < 0) throw new ValueError("negative buffersize in recvfrom");
    const peek = (flags & MSG_PEEK) !== 0;
    if (this.type === SOCK_STREAM) {
      const data = await this.recv(bufsize, flags);
      return [data, null];
    }
    this.#checkOpen();
    const endpoint = this.#udp();
    const datagram = await this.#wait(endpoint.changed, () => endpoint.take(peek));
    return [
      datagram.data.length > bufsize ? datagram.data.subarray(0, bufsize) : datagram.data,
      datagram.from,
    ];
  }

  /** Python's `recvfrom_into(buffer, nbytes)`: resolves with `[nbytes, address]`. */
  async recvfromInto(buffer: Uint8Array, nbytes = 0, flags = 0): Promise<[number, Address | null]> {
    const [data, address] = await this.recvfrom(nbytes || buffer.length, flags);
    buffer.set(data);
    return [data.length, address];
  }

  #withTimeout<T>(promise: Promise<T>): Promise<T> {
    if (this.#timeout === null) return promise;
    return waitWithTimeout(promise, this.#timeout);
  }

  /**
   * Python's `shutdown(how)`: `SHUT_WR` sends end-of-stream to the peer after
   * what is queued (it can still send back); `SHUT_RD` makes later `recv`s
   * return empty; `SHUT_RDWR` both.
   * @throws OSError ENOTCONN when not connected
   */
  shutdown(how: number): void {
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw new OSError(EINVAL);
    const stream = this.#connected();
    if (how !== SHUT_WR) stream.shutdownRead();
    if (how !== SHUT_RD) stream.shutdownWrite();
  }

  /**
   * Python's `close()`: releases the socket. Data the kernel already took is
   * still delivered. Later calls on the socket throw `OSError` EBADF.
   * Closing twice is harmless.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stream?.close();
    void this.#listener?.close();
    this.#datagram?.close();
  }

  /**
   * Node's `unref()` for a connected stream socket: the connection no longer
   * keeps the process alive on its own. For clients that keep idle
   * connections for reuse (`HTTPConnection` between requests), so that a
   * script that is done exits, as a Python script does. Call `ref()` before
   * using the connection again: a `recv` waiting on an unref'd socket does not
   * keep the process alive. Only a connected stream socket is affected (not
   * one still connecting, a listening or a datagram socket).
   */
  unref(): void {
    this.#stream?.socket.unref();
  }

  /** Node's `ref()`: undoes `unref()`, so the connection keeps the process alive again (the default). */
  ref(): void {
    this.#stream?.socket.ref();
  }

  /** True once `close()` was called (Python's private `_closed`). */
  get closed(): boolean {
    return this.#closed;
  }

  /** `await using sock = new Socket()` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /**
   * Waits until a `recv`/`recvfrom`/`accept` would not block (data, end of
   * stream, an error, or a waiting connection), for at most `timeout` seconds
   * (`null`: no limit) — Python's `select.select([sock], [], [], timeout)` for
   * one socket. Resolves `false` on timeout or when `signal` aborts.
   * Ignores the socket's own timeout.
   */
  waitReadable(timeout: number | null, signal?: AbortSignal): Promise<boolean> {
    if (this.#closed) return Promise.resolve(true);
    let list: WaitList;
    let ready: () => boolean;
    if (this.type === SOCK_DGRAM) {
      const endpoint = this.#udp();
      list = endpoint.changed;
      ready = () => endpoint.take(true) !== undefined;
    } else if (this.#listener) {
      const listener = this.#listener;
      list = listener.changed;
      ready = () => listener.pending > 0 || listener.closed;
    } else if (this.#stream) {
      const stream = this.#stream;
      list = stream.changed;
      ready = () => stream.readable;
    } else {
      return Promise.resolve(true);
    }
    const check = (): boolean => {
      try {
        return ready();
      } catch {
        return true; // an error is "readable": the next call reports it
      }
    };
    if (check()) return Promise.resolve(true);
    if (signal?.aborted || timeout === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        list.wake();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      waitFor(list, timeout, () => (check() || signal?.aborted ? true : undefined)).then(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(check());
        },
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(false);
        },
      );
    });
  }

  /**
   * Python's `detach()`, in Node terms: gives up the connected Node socket
   * (paused, nothing read from it) and leaves this object closed. Used to hand
   * a connection to another process (`ForkingMixIn`).
   * @throws OSError ENOTCONN when not a connected stream socket
   */
  detach(): net.Socket {
    const stream = this.#connected();
    const socket = stream.detach();
    this.#closed = true;
    return socket;
  }

  // ---- names --------------------------------------------------------------

  /** Python's `getsockname()`: the local address (the real port after binding port 0). */
  getsockname(): Address {
    this.#checkOpen();
    if (this.type === SOCK_DGRAM) return this.#udp().localAddress();
    if (this.#stream) {
      const s = this.#stream.socket;
      if (this.family === AF_UNIX) return this.#unixLocal;
      return toPythonAddress(this.family, s.localAddress, s.localPort);
    }
    if (this.#listener) {
      const a = this.#listener.server.address();
      if (typeof a === "string") return a;
      if (a) return toPythonAddress(this.family, a.address, a.port);
    }
    return this.family === AF_UNIX ? "" : toPythonAddress(this.family, undefined, 0);
  }

  /**
   * Python's `getpeername()`: the remote address.
   * @throws OSError ENOTCONN when not connected
   */
  getpeername(): Address {
    this.#checkOpen();
    if (this.type === SOCK_DGRAM) return this.#udp().remoteAddress();
    const s = this.#connected().socket;
    if (this.family === AF_UNIX) return this.#unixPeer;
    if (s.remoteAddress === undefined) throw new OSError(ENOTCONN);
    return toPythonAddress(this.family, s.remoteAddress, s.remotePort);
  }

  /**
   * Python's `fileno()`: the OS file descriptor, or -1 once closed or when
   * Node does not expose one (datagram sockets, and every socket where
   * netkit's use of Node's internals is off: see `socketFd`).
   */
  fileno(): number {
    if (this.#closed) return -1;
    const node = this.#stream?.socket ?? this.#listener?.server;
    return node === undefined ? -1 : socketFd(node);
  }

  // ---- options ------------------------------------------------------------

  /**
   * Python's `setsockopt(level, option, value)` for the options Node can
   * honour: SO_REUSEADDR, SO_REUSEPORT (Node 22.12+), SO_KEEPALIVE,
   * SO_BROADCAST, SO_RCVBUF, SO_SNDBUF (datagram sockets), TCP_NODELAY,
   * IPV6_V6ONLY. On a stream socket SO_RCVBUF bounds netkit's own buffer of
   * unread bytes. Anything else throws `OSError` ENOPROTOOPT with a message
   * saying why.
   */
  setsockopt(level: number, option: number, value: number | boolean): void {
    this.#checkOpen();
    const v = Number(value);
    if (this.#options === DEFAULT_OPTIONS) this.#options = { ...DEFAULT_OPTIONS };
    const opts = this.#options as SocketOptions;
    if (level === SOL_SOCKET && option === SO_REUSEADDR) opts.reuseAddr = v !== 0;
    else if (level === SOL_SOCKET && option === SO_REUSEPORT) {
      if (!supportsReusePort()) throw unsupported("SO_REUSEPORT", "needs Node 22.12 or later");
      opts.reusePort = v !== 0;
    } else if (level === SOL_SOCKET && option === SO_KEEPALIVE) {
      opts.keepAlive = v !== 0;
      this.#stream?.socket.setKeepAlive(opts.keepAlive);
    } else if (level === IPPROTO_TCP && option === TCP_NODELAY) {
      if (this.type !== SOCK_STREAM || this.family === AF_UNIX) throw new OSError(EOPNOTSUPP);
      opts.noDelay = v !== 0;
      this.#stream?.socket.setNoDelay(opts.noDelay);
    } else if (level === IPPROTO_IPV6 && option === IPV6_V6ONLY) {
      if (this.family !== AF_INET6) throw new OSError(ENOPROTOOPT);
      opts.ipv6Only = v !== 0;
    } else if (level === SOL_SOCKET && option === SO_BROADCAST) {
      if (this.type !== SOCK_DGRAM) throw unsupported("SO_BROADCAST", "applies to datagram sockets");
      opts.broadcast = v !== 0;
      this.#udp().setOption("broadcast", v);
    } else if (level === SOL_SOCKET && option === SO_RCVBUF) {
      if (v <= 0) throw new OSError(EINVAL);
      if (this.type === SOCK_DGRAM) this.#udp().setOption("recvBuffer", v);
      else {
        opts.receiveBuffer = v;
        if (this.#stream) this.#stream.highWater = v;
      }
    } else if (level === SOL_SOCKET && option === SO_SNDBUF) {
      if (this.type !== SOCK_DGRAM)
        throw unsupported("SO_SNDBUF", "Node offers no send-buffer size for stream sockets");
      this.#udp().setOption("sendBuffer", v);
    } else {
      throw unsupported(`option ${option} at level ${level}`, "Node offers no way to set it");
    }
  }

  /** Python's `getsockopt(level, option)` for the options `setsockopt` knows, plus SO_TYPE and SO_ERROR. */
  getsockopt(level: number, option: number): number {
    this.#checkOpen();
    const opts = this.#options;
    if (level === SOL_SOCKET) {
      switch (option) {
        case SO_TYPE:
          return this.type;
        case SO_ERROR: {
          const err = this.#stream?.error;
          return err instanceof OSError && err.errno !== undefined ? err.errno : 0;
        }
        case SO_REUSEADDR:
          // libuv sets SO_REUSEADDR on every listening TCP socket.
          return opts.reuseAddr || (this.#listener !== undefined && this.family !== AF_UNIX) ? 1 : 0;
        case SO_REUSEPORT:
          return opts.reusePort ? 1 : 0;
        case SO_KEEPALIVE:
          return opts.keepAlive ? 1 : 0;
        case SO_BROADCAST:
          return opts.broadcast ? 1 : 0;
        case SO_RCVBUF:
          if (this.type === SOCK_DGRAM) return this.#udp().getOption("recvBuffer");
          return this.#stream?.highWater ?? opts.receiveBuffer ?? 1024 * 1024;
        case SO_SNDBUF:
          if (this.type === SOCK_DGRAM) return this.#udp().getOption("sendBuffer");
          throw unsupported("SO_SNDBUF", "Node offers no send-buffer size for stream sockets");
      }
    }
    if (level === IPPROTO_TCP && option === TCP_NODELAY) return opts.noDelay ? 1 : 0;
    if (level === IPPROTO_IPV6 && option === IPV6_V6ONLY) return opts.ipv6Only ? 1 : 0;
    throw unsupported(`option ${option} at level ${level}`, "Node offers no way to read it");
  }

  // ---- files --------------------------------------------------------------

  /**
   * Python's `makefile(mode)`: a buffered reader (`"r"`, `"rb"`), writer
   * (`"w"`, `"wb"`), or both as a pair (`"rw"`, `"rwb"`) over this connected
   * stream socket. Closing the file does not close the socket. Text modes
   * give the same byte streams: wrap them in `TextIOWrapper` for strings.
   */
  makefile<M extends string = "r">(mode: M = "r" as M, options: MakefileOptions = {}): MakefileResult<M> {
    if (!/^(?:r|w|rw|wr)b?$|^b(?:r|w|rw)$/.test(mode))
      throw new ValueError(`invalid mode '${mode}' (only r, w, b allowed)`);
    const stream = this.#connected();
    const reading = mode.includes("r");
    const writing = mode.includes("w");
    const buffering = options.buffering ?? -1;
    const reader = reading
      ? new BufferedReader(
          this.#source(stream),
          options.maxLineLength !== undefined ? { maxLineLength: options.maxLineLength } : {},
        )
      : undefined;
    const writer = writing
      ? new BufferedWriter(this.#sink(stream), { bufferSize: buffering < 0 ? 8192 : buffering })
      : undefined;
    if (reader && writer) return [reader, writer] as MakefileResult<M>;
    return (reader ?? writer) as MakefileResult<M>;
  }

  /** The socket as a `ByteSource` (reads honour the socket's timeout). */
  #source(stream: StreamConnection): ByteSource {
    return new SocketSource(this, stream);
  }

  /**
   * The socket as a `ByteSink`. Node queues writes in order; a write resolves
   * at once under Node's high-water mark, else when the queue drains (within
   * the socket's timeout), so a writer never runs ahead of a slow peer.
   */
  #sink(stream: StreamConnection): ByteSink {
    return new SocketSink(this, stream);
  }

  /** @internal Waits for `attempt` under this socket's timeout rules (for SocketSource/SocketSink). */
  static waitOn<T>(sock: Socket, list: WaitList, attempt: () => T | undefined): Promise<T> {
    return sock.#wait(list, attempt);
  }

  /** Python's `repr()`: `<socket.socket fd=5, family=2, type=1, proto=0, laddr=('127.0.0.1', 80)>`. */
  toString(): string {
    if (this.#closed)
      return `<socket.socket [closed] fd=-1, family=${this.family}, type=${this.type}, proto=${this.proto}>`;
    let text = `<socket.socket fd=${this.fileno()}, family=${this.family}, type=${this.type}, proto=${this.proto}`;
    try {
      const local = this.getsockname();
      if (local !== "" && !(Array.isArray(local) && local[1] === 0 && !this.#listener && !this.#stream)) {
        text += `, laddr=${formatAddress(local)}`;
      }
      if (this.#stream && this.family !== AF_UNIX) text += `, raddr=${formatAddress(this.getpeername())}`;
    } catch (err) {
      if (!(err instanceof OSError)) throw err; // a socket between states has no names to show
    }
    return `${text}>`;
  }
}

function checkFlags(flags: number, caller: string): void {
  if (flags !== 0) throw new ValueError(`${caller}(): flags ${flags} are not supported by netkit`);
}

function unsupported(what: string, why: string): OSError {
  return new OSError(ENOPROTOOPT, `Protocol not available: netkit cannot use ${what}: ${why}`);
}

function supportsReusePort(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

function waitWithTimeout<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError()), seconds * 1000);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** `makefile`'s reading side: one small object per file, methods on the prototype. */
class SocketSource implements ByteSource {
  readonly #sock: Socket;
  readonly #stream: StreamConnection;

  constructor(sock: Socket, stream: StreamConnection) {
    this.#sock = sock;
    this.#stream = stream;
  }

  readChunk(): Promise<Buffer> {
    if (this.#sock.closed) return Promise.reject(new OSError(EBADF));
    const timeout = this.#sock.gettimeout();
    if (timeout === 0) {
      const chunk = this.#stream.takeChunk();
      return chunk ? Promise.resolve(chunk) : Promise.reject(new BlockingIOError(EAGAIN));
    }
    return this.#stream.nextChunk(timeout, timedOut);
  }

  readChunkNow(): Buffer | null {
    return this.#stream.takeChunk() ?? null;
  }

  async readInto(target: Uint8Array, fill = false): Promise<number> {
    if (this.#sock.closed) throw new OSError(EBADF);
    const timeout = this.#sock.gettimeout();
    if (timeout === 0) {
      const chunk = this.#stream.takeChunk(target.length);
      if (chunk === undefined) throw new BlockingIOError(EAGAIN);
      target.set(chunk);
      return chunk.length;
    }
    return this.#stream.readInto(target, timeout, timedOut, fill);
  }

  onNextChunk(onChunk: (chunk: Buffer | Error) => void): void {
    if (this.#sock.closed) {
      onChunk(new OSError(EBADF));
      return;
    }
    const timeout = this.#sock.gettimeout();
    if (timeout === 0) {
      onChunk(this.#stream.takeChunk() ?? new BlockingIOError(EAGAIN));
      return;
    }
    this.#stream.onNextChunk(timeout, timedOut, Number.POSITIVE_INFINITY, onChunk);
  }
}

/** `makefile`'s writing side. */
class SocketSink implements ByteSink {
  readonly #sock: Socket;
  readonly #stream: StreamConnection;

  constructor(sock: Socket, stream: StreamConnection) {
    this.#sock = sock;
    this.#stream = stream;
  }

  writeNow(data: Buffer): boolean {
    if (this.#stream.needsDrain) return false;
    this.#stream.writeNow(data);
    return true;
  }

  write(data: Buffer): Promise<void> {
    try {
      if (this.#stream.writeNow(data)) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waitUntil(() => !this.#stream.needsDrain);
  }

  writeDone(data: Buffer): Promise<void> {
    let released: () => boolean;
    try {
      released = this.#stream.writeTracked(data);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waitUntil(released);
  }

  /** Waits, within the socket's timeout, until `done()` or the connection's error. */
  #waitUntil(done: () => boolean): Promise<void> {
    const stream = this.#stream;
    return Socket.waitOn(this.#sock, stream.changed, () => {
      if (stream.error) throw stream.error;
      return done() ? true : undefined;
    }).then(() => undefined);
  }
}
