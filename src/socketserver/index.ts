/**
 * `netkit/socketserver`: Python's `socketserver` framework, the base of every
 * netkit server (http.server, xmlrpc.server, ...).
 *
 * ```text
 * BaseServer
 *  └── TCPServer ─── UnixStreamServer        ThreadingMixIn(Server)  concurrent tasks on the event loop
 *       └── UDPServer ─── UnixDatagramServer  ForkingMixIn(Server)    a pool of worker processes
 *
 * BaseRequestHandler ─── StreamRequestHandler (rfile, wfile)
 *                    │    └── LineRequestHandler (command loop of a line protocol: smtpd)
 *                    └── DatagramRequestHandler (rfile, wfile → one reply datagram)
 * ```
 *
 * Helpers for the servers built on it (not in Python): `serveUntilInterrupted`
 * (serve until Ctrl-C, as `python -m http.server` does), and `trackHandler` /
 * `closeIdleHandlers` / `closeRunningHandlers` (a closing server drops
 * connections idle between requests while requests in flight finish, and
 * cuts those off after a grace period).
 *
 * @example
 * ```ts serves=echo:9999
 * import { ThreadingTCPServer, StreamRequestHandler } from "netkit/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * const server = new ThreadingTCPServer(["127.0.0.1", 9999], Echo);
 * await server.serveForever();
 * ```
 *
 * @module
 */
export { type AnyServer, BaseServer, type RequestHandlerClass, serveRequest } from "./base.js";
export {
  ForkingMixIn,
  ForkingTCPServer,
  ForkingUDPServer,
  ForkingUnixDatagramServer,
  ForkingUnixStreamServer,
} from "./forking.js";
export {
  BaseRequestHandler,
  type DatagramReplySocket,
  DatagramRequestHandler,
  StreamRequestHandler,
} from "./handlers.js";
export { type ServeUntilInterruptedOptions, serveUntilInterrupted } from "./interrupt.js";
export { type CommandMethod, type LineCommand, LineRequestHandler } from "./line.js";
export { closeIdleHandlers, closeRunningHandlers, type IdleClosable, trackHandler } from "./registry.js";
export {
  type InetServerAddress,
  SocketServer,
  TCPServer,
  UDPServer,
  UnixDatagramServer,
  UnixStreamServer,
} from "./servers.js";
export {
  ThreadingMixIn,
  ThreadingTCPServer,
  ThreadingUDPServer,
  ThreadingUnixDatagramServer,
  ThreadingUnixStreamServer,
} from "./threading.js";
