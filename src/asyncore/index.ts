/**
 * `netkit/asyncore`: Python's `asyncore` (removed from Python in 3.12; here
 * as Python 3.11 has it), the callback-style socket framework `asynchat` and
 * the old `smtpd` are built on.
 *
 * - `dispatcher`: a socket with a method per event (`handleRead`,
 *   `handleWrite`, `handleAccepted`, `handleConnect`, `handleClose`, ...).
 * - `dispatcher_with_send`: one whose `send` buffers.
 * - `file_dispatcher`: a pipe, terminal or stream in the same loop.
 * - `loop`, `poll`: run the events; `socketMap`: the channels.
 * - `ExitNow`, `compactTraceback`, `closeAll`.
 *
 * It runs on Node's event loop rather than select(): `loop()` returns a
 * promise that resolves when the map is empty (or after `count` rounds).
 * `recv` and `send` stay synchronous, over bytes read ahead and a bounded
 * send queue (see `dispatcher` for how readiness maps to Node), so a
 * program written in Python's shape keeps its shape.
 *
 * @example
 * ```ts
 * import { dispatcher_with_send } from "netkit/asyncore";
 * class EchoHandler extends dispatcher_with_send {
 *   override handleRead(): void {
 *     const data = this.recv(8192);
 *     if (data.length) this.send(data);
 *   }
 * }
 * ```
 *
 * @module
 */
export { dispatcher, dispatcher_with_send } from "./dispatcher.js";
export { ExitNow, TerminatorNotFoundError } from "./errors.js";
export { type FileLike, type FileStreams, file_dispatcher, file_wrapper } from "./file_dispatcher.js";
export { closeAll, type LoopOptions, loop, poll, poll2, poll3, read, write } from "./loop.js";
export { type SocketMap, socketMap } from "./map.js";
export { type CompactTraceback, compactTraceback, type TracebackFrame } from "./traceback.js";
