/**
 * Python's `asyncore.socket_map`: the channels a loop watches, by number.
 *
 * @module
 */
import type { dispatcher } from "./dispatcher.js";

/**
 * A map of channels, as Python's `socket_map` dict. The keys are the
 * dispatchers' `_fileno` numbers (see `dispatcher._fileno`).
 */
export type SocketMap = Map<number, dispatcher>;

/**
 * Python's `asyncore.socket_map`: the default map every dispatcher joins and
 * `loop()` watches when none is given.
 */
export const socketMap: SocketMap = new Map();
