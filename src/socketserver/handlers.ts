/**
 * Python's request handler classes. The server makes one handler object per
 * request and calls `run()`, which is what Python's `__init__` does:
 * `setup()`, then `handle()`, then `finish()` even when `handle()` throws.
 *
 * - `BaseRequestHandler`: `request`, `clientAddress`, `server`; override `handle()`.
 * - `StreamRequestHandler`: adds `rfile` (a `BufferedReader`) and `wfile`
 *   (a write-through `BufferedWriter`) over the connection.
 * - `DatagramRequestHandler`: `rfile` reads the datagram, what is written to
 *   `wfile` is sent back to the client as one datagram in `finish()`.
 *
 * Attributes to override (class fields): `rbufsize`, `wbufsize`, `timeout`,
 * `disableNagleAlgorithm`, `maxLineLength`.
 *
 * @module
 */

import { OSError } from "../errors/index.js";
import { BytesSink, BytesSource } from "../io/memory.js";
import { BufferedReader } from "../io/reader.js";
import { BufferedWriter } from "../io/writer.js";
import type { Address } from "../socket/address.js";
import { IPPROTO_TCP, TCP_NODELAY } from "../socket/constants.js";
import type { Socket } from "../socket/socket.js";
import type { AnyServer } from "./base.js";

/**
 * Python's `BaseRequestHandler`. Subclass it and override `handle()`.
 *
 * @example
 * ```ts
 * import type { Socket } from "netkit/socket";
 * class Hello extends BaseRequestHandler<Socket> {
 *   override async handle() {
 *     await this.request.sendall(Buffer.from("hello\n"));
 *   }
 * }
 * ```
 */
export class BaseRequestHandler<Request = unknown, Server extends AnyServer = AnyServer> {
  /** The request: a connected `Socket` for stream servers, `[data, socket]` for datagram servers. */
  readonly request: Request;
  /** The client's address (`null` for an unnamed Unix datagram client). */
  readonly clientAddress: Address | null;
  /** The server handling this request. */
  readonly server: Server;

  constructor(request: Request, clientAddress: Address | null, server: Server) {
    this.request = request;
    this.clientAddress = clientAddress;
    this.server = server;
  }

  /** Python's `__init__` body: `setup()`, `handle()`, then `finish()` whatever happens. */
  async run(): Promise<void> {
    await this.setup();
    try {
      await this.handle();
    } finally {
      await this.finish();
    }
  }

  /** Called before `handle()`. */
  async setup(): Promise<void> {}
  /** Serves the request. */
  async handle(): Promise<void> {}
  /** Called after `handle()`, even when it threw. */
  async finish(): Promise<void> {}
}

/**
 * Python's `StreamRequestHandler`: `rfile` and `wfile` over the connection.
 * `wfile` writes through (`wbufsize = 0`, Python's default), so each
 * `write` reaches the socket at once; `finish()` flushes and closes both files.
 */
export class StreamRequestHandler<Server extends AnyServer = AnyServer> extends BaseRequestHandler<
  Socket,
  Server
> {
  /** `rfile` buffer size; -1 for the default. @default -1 */
  rbufsize = -1;
  /** `wfile` buffer size; 0 writes through. @default 0 */
  wbufsize = 0;
  /** Seconds any single read or write on the connection may wait (`null`: no limit). @default null */
  timeout: number | null = null;
  /** Set TCP_NODELAY on the connection. @default false */
  disableNagleAlgorithm = false;
  /** Longest line `rfile.readline()` returns before throwing `LineTooLongError`. @default 65536 */
  maxLineLength = 65536;
  /** The connection (Python's `self.connection`, the same as `request`). */
  connection!: Socket;
  /** Reads from the client. */
  rfile!: BufferedReader;
  /** Writes to the client. */
  wfile!: BufferedWriter;

  override async setup(): Promise<void> {
    this.connection = this.request;
    if (this.timeout !== null) this.connection.settimeout(this.timeout);
    if (this.disableNagleAlgorithm) this.connection.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
    this.rfile = this.connection.makefile("rb", {
      buffering: this.rbufsize,
      maxLineLength: this.maxLineLength,
    });
    this.wfile = this.connection.makefile("wb", { buffering: this.wbufsize });
  }

  override async finish(): Promise<void> {
    // Python ignores an OSError from the final flush (the client went away);
    // anything else is a bug and reaches handleError().
    if (!this.wfile.closed) {
      try {
        await this.wfile.flush();
      } catch (err) {
        if (!(err instanceof OSError)) throw err;
      }
    }
    try {
      await this.wfile.close();
    } catch (err) {
      if (!(err instanceof OSError)) throw err;
    }
    this.rfile.close();
  }
}

/** What a datagram handler needs of the server's socket: a way to answer. */
export interface DatagramReplySocket {
  /** Sends `data` to `address`; resolves to the number of bytes sent. */
  sendto(data: Uint8Array, address: Address): Promise<number>;
}

/**
 * Python's `DatagramRequestHandler`: `rfile` reads the datagram that came in,
 * and `finish()` sends what `handle()` wrote to `wfile` back to the client.
 */
export class DatagramRequestHandler<Server extends AnyServer = AnyServer> extends BaseRequestHandler<
  [Buffer, DatagramReplySocket],
  Server
> {
  /** The datagram. */
  packet!: Buffer;
  /** The server's socket, to answer on. */
  socket!: DatagramReplySocket;
  /** Reads the datagram. */
  rfile!: BufferedReader;
  /** Collects the reply. */
  wfile!: BufferedWriter;
  #reply = new BytesSink();

  override async setup(): Promise<void> {
    [this.packet, this.socket] = this.request;
    this.rfile = new BufferedReader(new BytesSource(this.packet));
    this.wfile = new BufferedWriter(this.#reply, { bufferSize: 0 });
  }

  override async finish(): Promise<void> {
    await this.wfile.flush();
    const reply = this.#reply.getvalue();
    if (this.clientAddress !== null) await this.socket.sendto(reply, this.clientAddress);
  }
}
