/**
 * Python's `asyncore.loop`, `poll` and the event helpers (`read`, `write`,
 * `close_all`), on Node's event loop instead of select().
 *
 * One `poll(timeout, map)` is one select() round, as in Python:
 *
 * 1. it asks every channel `readable()` and `writable()` once (a listening
 *    channel is never watched for writing);
 * 2. it takes the channels that are ready now (see `dispatcher` for what
 *    ready means here); when none is, it waits until one becomes ready or
 *    `timeout` seconds pass (Python's select() timeout);
 * 3. it sends the read events, then the write events, each through `read()`
 *    / `write()`, which pass an error to the channel's `handleError`.
 *
 * Each round first lets Node run its pending I/O (one `setImmediate`), so a
 * channel that is always ready (a `writable()` that stays true) never starves
 * the sockets, as it would if rounds ran back to back on promises alone.
 *
 * @module
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { EBADF, OSError, ValueError } from "../errors/index.js";
import { nextWake } from "./_wake.js";
import { type dispatcher, readyToRead, readyToWrite, takeSetupError } from "./dispatcher.js";
import { ExitNow } from "./errors.js";
import { type SocketMap, socketMap } from "./map.js";

/** Errors the event helpers let through instead of calling `handleError` (Python's `_reraised_exceptions`). */
function reraised(err: unknown): boolean {
  return err instanceof ExitNow;
}

/** Reports a failed `bind`/`listen` through `handleError`; true when it did. */
function setupFailed(obj: dispatcher): boolean {
  const err = takeSetupError(obj);
  if (err === undefined) return false;
  obj.handleError(err);
  return true;
}

/** Sends one event to `obj`, passing an error to `obj.handleError` (an `ExitNow` goes up instead). */
function dispatch(obj: dispatcher, event: (obj: dispatcher) => void): void {
  if (setupFailed(obj)) return;
  try {
    event(obj);
  } catch (err) {
    if (reraised(err)) throw err;
    obj.handleError(err);
  }
}

/**
 * Python's `asyncore.read(obj)`: calls `obj.handleReadEvent()`, passing an
 * error to `obj.handleError` (an `ExitNow` goes up instead).
 */
export function read(obj: dispatcher): void {
  dispatch(obj, (o) => o.handleReadEvent());
}

/** Python's `asyncore.write(obj)`: `read` for `handleWriteEvent`. */
export function write(obj: dispatcher): void {
  dispatch(obj, (o) => o.handleWriteEvent());
}

function checkTimeout(timeout: number | null, caller: string): void {
  if (timeout !== null && !(timeout >= 0)) {
    throw new ValueError(
      `${caller}() timeout must be a non-negative number of seconds or null, not ${timeout}`,
    );
  }
}

/**
 * Python's `asyncore.poll(timeout, map)`: one round of events (see the
 * module notes). With nothing to watch (every channel says no to both
 * questions) it sleeps `timeout` seconds, as Python does.
 *
 * @param timeout seconds to wait for a channel to become ready; `null` waits
 *   without limit @default 0
 * @param map the channels @default socketMap
 * @throws ExitNow from a handler; what a `handleError` throws
 */
export async function poll(timeout: number | null = 0, map: SocketMap = socketMap): Promise<void> {
  checkTimeout(timeout, "poll");
  await nextTurn();
  if (map.size === 0) return;
  const r: number[] = [];
  const w: number[] = [];
  const channels: [number, dispatcher, boolean, boolean][] = [];
  for (const [fd, obj] of [...map]) {
    const isR = Boolean(obj.readable());
    const isW = Boolean(obj.writable()) && !obj.accepting;
    if (isR || isW) channels.push([fd, obj, isR, isW]);
  }
  if (channels.length === 0) {
    if (timeout === null)
      throw new ValueError("poll() has nothing to watch and no timeout: it would sleep forever");
    await new Promise((resolve) => setTimeout(resolve, timeout * 1000));
    return;
  }
  const select = (): boolean => {
    for (const [fd, obj, isR, isW] of channels) {
      if (isR && readyToRead(obj)) r.push(fd);
      if (isW && readyToWrite(obj)) w.push(fd);
    }
    return r.length > 0 || w.length > 0;
  };
  if (!select() && timeout !== 0) {
    const deadline = timeout === null ? null : performance.now() + timeout * 1000;
    // Bounded by the deadline: each wake-up re-checks, a timeout ends the wait.
    for (;;) {
      const left = deadline === null ? null : Math.max(0, (deadline - performance.now()) / 1000);
      if (left === 0 || !(await nextWake(left))) {
        select();
        break;
      }
      if (select()) break;
    }
  }
  for (const fd of r) {
    const obj = map.get(fd);
    if (obj !== undefined) read(obj);
  }
  for (const fd of w) {
    const obj = map.get(fd);
    if (obj !== undefined) write(obj);
  }
}

/** Python's `poll2` (the poll() variant): the same rounds as `poll` here. */
export const poll2 = poll;
/** Python's `poll3`, an alias of `poll2`. */
export const poll3 = poll;

/** `loop`'s options, for callers who prefer names to Python's positions. */
export interface LoopOptions {
  /** Seconds each round may wait (`null`: no limit). @default 30 */
  timeout?: number | null;
  /** Python's `use_poll`: accepted and ignored (one mechanism serves both). @default false */
  usePoll?: boolean;
  /** The channels. @default socketMap */
  map?: SocketMap;
  /** Rounds to run at most (`null`: until the map is empty). @default null */
  count?: number | null;
  /** Stops the loop after the current round (netkit's addition). */
  signal?: AbortSignal;
}

/**
 * Python's `asyncore.loop(timeout=30.0, use_poll=False, map=None, count=None)`:
 * runs rounds of `poll` until the map is empty, or `count` rounds. Resolves
 * then; rejects with an `ExitNow` (or anything a `handleError` throws).
 *
 * Takes Python's positional arguments, or one options object.
 *
 * @param timeout seconds each round may wait, or the options @default 30
 * @param usePoll ignored (Python's choice of select() or poll()) @default false
 * @param map the channels @default socketMap
 * @param count rounds to run at most @default null (no limit)
 * @example
 * ```ts
 * import { loop } from "netkit/asyncore";
 * await loop(); // nothing in the map: resolves at once
 * await loop({ timeout: 1, count: 10 });
 * ```
 */
export async function loop(
  timeout: number | null | LoopOptions = 30,
  usePoll = false,
  map?: SocketMap,
  count?: number | null,
): Promise<void> {
  const options: LoopOptions =
    timeout !== null && typeof timeout === "object" ? timeout : { timeout, usePoll };
  const t = options.timeout === undefined ? 30 : options.timeout;
  checkTimeout(t, "loop");
  const channels = options.map ?? map ?? socketMap;
  const signal = options.signal;
  let left = options.count ?? count ?? null;
  if (left !== null && !Number.isInteger(left))
    throw new ValueError(`loop() count must be an integer, not ${left}`);
  while (channels.size > 0 && (left === null || left > 0) && !signal?.aborted) {
    await poll(t, channels);
    if (left !== null) left--;
  }
}

/**
 * Python's `asyncore.close_all(map, ignore_all)`: closes every channel and
 * empties the map.
 * @param map @default socketMap
 * @param ignoreAll swallow every error a `close()` throws, not only EBADF @default false
 */
export function closeAll(map: SocketMap = socketMap, ignoreAll = false): void {
  for (const obj of [...map.values()]) {
    try {
      obj.close();
    } catch (err) {
      if (reraised(err)) throw err;
      if (!ignoreAll && !(err instanceof OSError && err.errno === EBADF)) throw err;
    }
  }
  map.clear();
}
