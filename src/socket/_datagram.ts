/**
 * SOCK_DGRAM endpoints: UDP over node:dgram, and AF_UNIX datagrams over the
 * optional `node-unix-socket` package (Node has no Unix datagram sockets of
 * its own; that package is an N-API addon with prebuilt binaries, so it loads
 * on every Node version without a compiler).
 *
 * Datagrams wait in a bounded queue until `take()`; when it is full, new ones
 * are dropped and counted, as a kernel drops them when SO_RCVBUF is full.
 *
 * @module
 */
import * as dgram from "node:dgram";
import { createRequire } from "node:module";
import { asBuffer } from "../_buffer.js";
import {
  EBADF,
  EDESTADDRREQ,
  ENOPROTOOPT,
  ENOTCONN,
  nameErrors,
  OSError,
  withCode,
} from "../errors/index.js";
import { WaitList } from "./_wait.js";
import type { Address, NodeAddress } from "./address.js";
import { AF_INET6 } from "./constants.js";
import { socketCallError } from "./errors.js";

/** Default bound on bytes of datagrams received but not yet taken (Linux's default SO_RCVBUF). */
export const DEFAULT_DATAGRAM_BUFFER = 212_992;

export interface Datagram {
  data: Buffer;
  from: Address | null;
}

/** What `Socket` needs from a datagram endpoint, whichever family it is. */
export interface DatagramEndpoint {
  readonly changed: WaitList;
  bind(address: NodeAddress): Promise<void>;
  connect(address: NodeAddress): Promise<void>;
  send(data: Uint8Array, to: NodeAddress | null): Promise<void>;
  take(peek?: boolean): Datagram | undefined;
  localAddress(): Address;
  remoteAddress(): Address;
  setOption(name: "broadcast" | "recvBuffer" | "sendBuffer", value: number): void;
  getOption(name: "recvBuffer" | "sendBuffer"): number;
  readonly dropped: number;
  readonly bound: boolean;
  close(): void;
}

class DatagramQueue {
  readonly changed = new WaitList();
  #queue: Datagram[] = [];
  #bytes = 0;
  limit = DEFAULT_DATAGRAM_BUFFER;
  dropped = 0;
  error: Error | undefined;
  closed = false;

  push(datagram: Datagram): void {
    if (this.#bytes + datagram.data.length > this.limit && this.#queue.length > 0) {
      this.dropped++;
      return;
    }
    this.#queue.push(datagram);
    this.#bytes += datagram.data.length;
    this.changed.wake();
  }

  take(peek: boolean): Datagram | undefined {
    const first = this.#queue[0];
    if (first) {
      if (!peek) {
        this.#queue.shift();
        this.#bytes -= first.data.length;
      }
      return first;
    }
    if (this.error) throw this.error;
    if (this.closed) throw new OSError(EBADF);
    return undefined;
  }
}

export class UdpEndpoint implements DatagramEndpoint {
  readonly #family: number;
  readonly #queue = new DatagramQueue();
  #socket: dgram.Socket | undefined;
  #bound = false;
  #connected = false;
  #options: { reuseAddr: boolean; ipv6Only: boolean };
  #pendingOptions: Array<() => void> = [];

  constructor(family: number, options: { reuseAddr: boolean; ipv6Only: boolean }) {
    this.#family = family;
    this.#options = options;
  }

  get changed(): WaitList {
    return this.#queue.changed;
  }

  get dropped(): number {
    return this.#queue.dropped;
  }

  get bound(): boolean {
    return this.#bound;
  }

  #ensure(): dgram.Socket {
    if (this.#socket) return this.#socket;
    const socket = dgram.createSocket({
      type: this.#family === AF_INET6 ? "udp6" : "udp4",
      reuseAddr: this.#options.reuseAddr,
      ipv6Only: this.#options.ipv6Only,
    });
    socket.on("message", (data, rinfo) => {
      const from: Address =
        this.#family === AF_INET6 ? [rinfo.address, rinfo.port, 0, 0] : [rinfo.address, rinfo.port];
      this.#queue.push({ data, from });
    });
    socket.on("error", (err) => {
      this.#queue.error = OSError.fromNodeError(err);
      this.#queue.changed.wake();
    });
    socket.on("listening", () => {
      this.#bound = true;
      for (const apply of this.#pendingOptions) apply();
      this.#pendingOptions = [];
    });
    this.#socket = socket;
    return socket;
  }

  bind(address: NodeAddress): Promise<void> {
    const socket = this.#ensure();
    if (address.kind !== "inet")
      throw withCode(new TypeError("UDP sockets bind to (host, port)"), "ERR_INVALID_ARG_TYPE");
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(socketCallError(err));
      socket.once("error", onError);
      socket.bind({ address: address.host, port: address.port, exclusive: true }, () => {
        socket.off("error", onError);
        resolve();
      });
    });
  }

  async connect(address: NodeAddress): Promise<void> {
    const socket = this.#ensure();
    if (address.kind !== "inet")
      throw withCode(new TypeError("UDP sockets connect to (host, port)"), "ERR_INVALID_ARG_TYPE");
    await new Promise<void>((resolve, reject) => {
      socket.connect(address.port, address.host, (err?: Error) => {
        if (err) reject(socketCallError(err));
        else resolve();
      });
    });
    this.#connected = true;
  }

  send(data: Uint8Array, to: NodeAddress | null): Promise<void> {
    const socket = this.#ensure();
    if (to === null && !this.#connected) return Promise.reject(new OSError(EDESTADDRREQ));
    if (to !== null && to.kind !== "inet")
      return Promise.reject(
        withCode(new TypeError("UDP sockets send to (host, port)"), "ERR_INVALID_ARG_TYPE"),
      );
    return new Promise((resolve, reject) => {
      const done = (err: Error | null) => (err ? reject(socketCallError(err)) : resolve());
      if (to === null) socket.send(data, done);
      else socket.send(data, to.port, to.host, done);
    });
  }

  take(peek = false): Datagram | undefined {
    return this.#queue.take(peek);
  }

  localAddress(): Address {
    if (!this.#bound || !this.#socket) return this.#family === AF_INET6 ? ["::", 0, 0, 0] : ["0.0.0.0", 0];
    const a = this.#socket.address();
    return this.#family === AF_INET6 ? [a.address, a.port, 0, 0] : [a.address, a.port];
  }

  remoteAddress(): Address {
    if (!this.#connected || !this.#socket) throw new OSError(ENOTCONN);
    const a = this.#socket.remoteAddress();
    return this.#family === AF_INET6 ? [a.address, a.port, 0, 0] : [a.address, a.port];
  }

  setOption(name: "broadcast" | "recvBuffer" | "sendBuffer", value: number): void {
    if (name === "recvBuffer") this.#queue.limit = Math.max(1, value);
    const apply = () => {
      const socket = this.#socket!;
      if (name === "broadcast") socket.setBroadcast(value !== 0);
      else if (name === "recvBuffer") socket.setRecvBufferSize(value);
      else socket.setSendBufferSize(value);
    };
    if (this.#bound) apply();
    else this.#pendingOptions.push(apply);
  }

  getOption(name: "recvBuffer" | "sendBuffer"): number {
    if (!this.#bound || !this.#socket)
      return name === "recvBuffer" ? this.#queue.limit : DEFAULT_DATAGRAM_BUFFER;
    return name === "recvBuffer" ? this.#socket.getRecvBufferSize() : this.#socket.getSendBufferSize();
  }

  close(): void {
    if (this.#queue.closed) return;
    this.#queue.closed = true;
    this.#queue.changed.wake();
    if (this.#socket) {
      try {
        this.#socket.close();
      } catch {
        // already closed by an error
      }
    }
  }
}

/** The shape of `node-unix-socket`'s `DgramSocket` that netkit uses. */
interface UnixDgramSocket {
  bind(path: string): void;
  sendTo(buf: Buffer, offset: number, length: number, path: string, cb?: (err?: Error) => void): void;
  address(): string;
  close(): void;
  setRecvBufferSize(size: number): void;
  getRecvBufferSize(): number;
  setSendBufferSize(size: number): void;
  getSendBufferSize(): number;
  on(event: "data", listener: (data: Buffer, path: string) => void): void;
  on(event: "error", listener: (err: Error) => void): void;
}

let unixDgramClass: (new () => UnixDgramSocket) | null | undefined;

/** The optional native helper, or `null` when it is not installed. */
export function loadUnixDgram(): (new () => UnixDgramSocket) | null {
  if (unixDgramClass !== undefined) return unixDgramClass;
  try {
    const require = createRequire(import.meta.url);
    unixDgramClass = (require("node-unix-socket") as { DgramSocket: new () => UnixDgramSocket }).DgramSocket;
  } catch {
    // Not installed, or its native part does not load here: either way, no AF_UNIX datagrams.
    unixDgramClass = null;
  }
  return unixDgramClass;
}

/** Raised when AF_UNIX + SOCK_DGRAM is asked for and the native helper is absent. */
export class UnixDatagramUnavailableError extends OSError {
  constructor() {
    super(
      undefined,
      "AF_UNIX SOCK_DGRAM sockets need the optional package node-unix-socket, which is not installed: run `npm install node-unix-socket`",
    );
  }
  static override defaultCode = "ERR_NETKIT_NO_UNIX_DGRAM";
}

export class UnixDatagramEndpoint implements DatagramEndpoint {
  readonly #queue = new DatagramQueue();
  readonly #socket: UnixDgramSocket;
  #boundPath: string | undefined;
  #peer: string | undefined;

  constructor() {
    const DgramSocket = loadUnixDgram();
    if (!DgramSocket) throw new UnixDatagramUnavailableError();
    this.#socket = new DgramSocket();
    this.#socket.on("data", (data, path) => this.#queue.push({ data, from: path === "" ? null : path }));
    this.#socket.on("error", (err) => {
      this.#queue.error = OSError.fromNodeError(err);
      this.#queue.changed.wake();
    });
  }

  get changed(): WaitList {
    return this.#queue.changed;
  }

  get dropped(): number {
    return this.#queue.dropped;
  }

  get bound(): boolean {
    return this.#boundPath !== undefined;
  }

  async bind(address: NodeAddress): Promise<void> {
    if (address.kind !== "unix")
      throw withCode(new TypeError("AF_UNIX sockets bind to a path"), "ERR_INVALID_ARG_TYPE");
    try {
      this.#socket.bind(address.path);
    } catch (err) {
      throw OSError.fromNodeError(errnoFromMessage(err), address.path);
    }
    this.#boundPath = address.path;
  }

  async connect(address: NodeAddress): Promise<void> {
    if (address.kind !== "unix")
      throw withCode(new TypeError("AF_UNIX sockets connect to a path"), "ERR_INVALID_ARG_TYPE");
    this.#peer = address.path;
  }

  send(data: Uint8Array, to: NodeAddress | null): Promise<void> {
    const path = to === null ? this.#peer : to.kind === "unix" ? to.path : undefined;
    if (path === undefined)
      return Promise.reject(
        to === null
          ? new OSError(ENOTCONN)
          : withCode(new TypeError("AF_UNIX sockets send to a path"), "ERR_INVALID_ARG_TYPE"),
      );
    const buf = asBuffer(data);
    return new Promise((resolve, reject) => {
      try {
        this.#socket.sendTo(buf, 0, buf.length, path, (err) => {
          if (err) reject(OSError.fromNodeError(errnoFromMessage(err), path));
          else resolve();
        });
      } catch (err) {
        reject(OSError.fromNodeError(errnoFromMessage(err), path));
      }
    });
  }

  take(peek = false): Datagram | undefined {
    return this.#queue.take(peek);
  }

  localAddress(): Address {
    return this.#boundPath ?? "";
  }

  remoteAddress(): Address {
    if (this.#peer === undefined) throw new OSError(ENOTCONN);
    return this.#peer;
  }

  setOption(name: "broadcast" | "recvBuffer" | "sendBuffer", value: number): void {
    if (name === "recvBuffer") {
      this.#queue.limit = Math.max(1, value);
      this.#socket.setRecvBufferSize(value);
    } else if (name === "sendBuffer") this.#socket.setSendBufferSize(value);
    else throw new OSError(ENOPROTOOPT);
  }

  getOption(name: "recvBuffer" | "sendBuffer"): number {
    return name === "recvBuffer" ? this.#socket.getRecvBufferSize() : this.#socket.getSendBufferSize();
  }

  close(): void {
    if (this.#queue.closed) return;
    this.#queue.closed = true;
    this.#queue.changed.wake();
    this.#socket.close();
  }
}

/**
 * node-unix-socket reports system errors as plain messages ("Address already
 * in use (os error 98)"); recover the errno so callers get Python's class.
 */
function errnoFromMessage(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  const match = /os error (\d+)/.exec(message);
  if (!match) return err;
  return { errno: -Number(match[1]), message, cause: err };
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ UnixDatagramUnavailableError });
