/**
 * Python's four concrete servers:
 *
 * ```text
 * BaseServer
 *  └── SocketServer (socket, reuse options, bind)
 *       ├── TCPServer ─── UnixStreamServer
 *       └── UDPServer ─── UnixDatagramServer
 * ```
 *
 * `TCPServer` handles one request at a time, as Python's does; mix in
 * `ThreadingMixIn` or `ForkingMixIn` for concurrency.
 *
 * @module
 */
import { argTypeError, OSError } from "../errors/index.js";
import type { Address, INET6Address, INETAddress, UNIXAddress } from "../socket/address.js";
import {
  AF_INET,
  AF_UNIX,
  SHUT_WR,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
} from "../socket/constants.js";
import { Socket } from "../socket/socket.js";
import { BaseServer, type RequestHandlerClass } from "./base.js";
import type { DatagramReplySocket } from "./handlers.js";

/**
 * The `serverAddress` of a TCP or UDP server: `[host, port]`; after an
 * AF_INET6 server binds, Python's `(host, port, flowinfo, scopeId)`. Either
 * way `serverAddress[0]` is the host and `serverAddress[1]` the port.
 */
export type InetServerAddress = INETAddress | INET6Address;

/**
 * `A`, in a form TypeScript does not infer `A` from, so that a server class's
 * own address type decides (`new TCPServer("/tmp/s", H)` is an error, not a
 * `TCPServer<string>`).
 */
type Given<A> = [A][A extends unknown ? 0 : never];

/**
 * What Python's `TCPServer` and `UDPServer` share: a socket made from
 * `addressFamily` and `socketType`, the reuse options, binding. (In Python,
 * `UDPServer` subclasses `TCPServer`; here both subclass this, because their
 * requests have different types.)
 *
 * @typeParam ServerAddress `serverAddress`'s type: `InetServerAddress` for
 *   TCP and UDP servers, a path (`string`) for Unix servers
 */
export abstract class SocketServer<Request, ServerAddress extends Address = Address> extends BaseServer<
  Request,
  ServerAddress
> {
  /** @default AF_INET */
  addressFamily: number = AF_INET;
  /** SOCK_STREAM or SOCK_DGRAM. */
  abstract socketType: number;
  /** Set SO_REUSEADDR before binding. (Listening TCP sockets in Node always have it.) @default false */
  allowReuseAddress = false;
  /** Set SO_REUSEPORT before binding (Node 22.12+). @default false */
  allowReusePort = false;
  #socket: Socket | undefined;

  /**
   * @param serverAddress where to listen: `[host, port]` (port 0 picks one), or a path for Unix servers
   * @param RequestHandlerClass the handler class, instantiated once per request
   * @param bindAndActivate bind and listen now; pass `false` to call `serverBind()`/`serverActivate()` yourself
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for an address that is neither a
   *   `[host, port, ...]` tuple nor a path, or a handler that is not a class
   *   (an address of the other kind, a path for a TCP server, rejects `ready`
   *   with `bind()`'s TypeError, as the family is known only then)
   */
  constructor(
    serverAddress: Given<ServerAddress>,
    RequestHandlerClass: RequestHandlerClass,
    bindAndActivate = true,
  ) {
    const address: unknown = serverAddress;
    const isPath = typeof address === "string";
    const isTuple = Array.isArray(address) && typeof address[0] === "string" && Number.isInteger(address[1]);
    if (!isPath && !isTuple) {
      throw argTypeError(new.target.name, "serverAddress", "a (host, port) tuple or a path", address);
    }
    super(serverAddress as ServerAddress, RequestHandlerClass, bindAndActivate);
  }

  /** The server's socket, created on first use with `addressFamily` and `socketType`. */
  get socket(): Socket {
    this.#socket ??= new Socket(this.addressFamily, this.socketType);
    return this.#socket;
  }

  set socket(socket: Socket) {
    this.#socket = socket;
  }

  /** The socket if it was ever created (serverClose must not create one to close it). */
  protected get existingSocket(): Socket | undefined {
    return this.#socket;
  }

  /** Python's `server_bind`: applies the reuse options, binds, and records the real address. */
  override async serverBind(): Promise<void> {
    if (this.allowReuseAddress) this.socket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    if (this.allowReusePort) this.socket.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    await this.socket.bind(this.serverAddress);
    // The socket's family decides the shape, which is what ServerAddress names.
    this.serverAddress = this.socket.getsockname() as ServerAddress;
  }

  /** Python's `server_close`: closes the socket. */
  override async serverClose(): Promise<void> {
    this.#socket?.close();
  }
}

/**
 * Python's `TCPServer`: listens on `serverAddress` and hands each connection
 * (a `Socket`) to a new handler.
 *
 * @example
 * ```ts
 * import { Socket } from "netkit/socket";
 * import { TCPServer, StreamRequestHandler } from "netkit/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * await using server = new TCPServer(["127.0.0.1", 0], Echo);
 * await server.ready;
 * console.log(server.serverAddress); // [ '127.0.0.1', 40123 ]
 * void server.serveForever();
 * await using sock = new Socket();
 * await sock.connect(server.serverAddress);
 * await sock.sendall(Buffer.from("hi\n"));
 * console.log(String(await sock.recv(1024))); // "hi\n"
 * ```
 */
export class TCPServer<ServerAddress extends Address = InetServerAddress> extends SocketServer<
  Socket,
  ServerAddress
> {
  /** @default SOCK_STREAM */
  socketType: number = SOCK_STREAM;
  /** `listen()` backlog. @default 5 */
  requestQueueSize = 5;

  /** Python's `server_activate`: `listen(requestQueueSize)`. */
  override async serverActivate(): Promise<void> {
    await this.socket.listen(this.requestQueueSize);
  }

  /**
   * Python's `server_close`: closes the listening socket. Connections that
   * arrived but were never accepted (the server had stopped serving) are
   * closed too, as the kernel would reset them, but not silently: the
   * count goes to stderr.
   */
  override async serverClose(): Promise<void> {
    const sock = this.existingSocket;
    if (!sock || sock.closed) return;
    let dropped = 0;
    sock.setblocking(false);
    for (;;) {
      try {
        const [conn] = await sock.accept();
        conn.close();
        dropped++;
      } catch (err) {
        if (err instanceof OSError) break; // nothing waiting (EAGAIN), or not listening
        throw err;
      }
    }
    if (dropped > 0) {
      process.stderr.write(
        `serverClose(): closed ${dropped} connection(s) that arrived after the server stopped serving\n`,
      );
    }
    await super.serverClose();
  }

  /** Python's `get_request`: `accept()`. */
  async getRequest(): Promise<[Socket, Address | null]> {
    return this.socket.accept();
  }

  /** Python's `shutdown_request`: SHUT_WR (so the client sees the end), then close. */
  override async shutdownRequest(request: Socket): Promise<void> {
    try {
      request.shutdown(SHUT_WR);
    } catch (err) {
      if (!(err instanceof OSError)) throw err; // some platforms raise ENOTCONN here, as Python notes
    }
    await this.closeRequest(request);
  }

  /** Python's `close_request`: closes the connection. */
  override async closeRequest(request: Socket): Promise<void> {
    request.close();
  }
}

/**
 * Python's `UDPServer`: each datagram is a request `[data, socket]`; the
 * handler answers with `socket.sendto(reply, clientAddress)`.
 */
export class UDPServer<ServerAddress extends Address = InetServerAddress> extends SocketServer<
  [Buffer, DatagramReplySocket],
  ServerAddress
> {
  /** @default SOCK_DGRAM */
  socketType: number = SOCK_DGRAM;
  /** Largest datagram read; longer ones are cut, as in Python. @default 8192 */
  maxPacketSize = 8192;

  /** No `listen` for datagrams. */
  override async serverActivate(): Promise<void> {}

  /** Python's `get_request`: `recvfrom(maxPacketSize)` → `[[data, socket], clientAddress]`. */
  async getRequest(): Promise<[[Buffer, DatagramReplySocket], Address | null]> {
    const [data, address] = await this.socket.recvfrom(this.maxPacketSize);
    return [[data, this.socket], address];
  }

  /** Nothing to shut down for a datagram. */
  override async shutdownRequest(_request: [Buffer, DatagramReplySocket]): Promise<void> {}
}

/** Python's `UnixStreamServer`: a `TCPServer` on an AF_UNIX path (`serverAddress` is the path). */
export class UnixStreamServer extends TCPServer<UNIXAddress> {
  /** @default AF_UNIX */
  override addressFamily: number = AF_UNIX;
}

/**
 * Python's `UnixDatagramServer`: a `UDPServer` on an AF_UNIX path
 * (`serverAddress` is the path; needs the optional node-unix-socket).
 */
export class UnixDatagramServer extends UDPServer<UNIXAddress> {
  /** @default AF_UNIX */
  override addressFamily: number = AF_UNIX;
}
