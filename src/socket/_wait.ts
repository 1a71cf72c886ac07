/**
 * A small wake-up list for code that waits on a socket's state: "data came",
 * "a connection arrived", "the buffer drained". Waiters re-check the state
 * after each wake-up, so one `wake()` serves every kind of change.
 *
 * @module
 */
import { TimeoutError } from "../errors/index.js";

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class WaitList {
  /** Created on first wait: most sockets never wait through this list. */
  #waiters: Waiter[] | undefined;

  /** True when someone is waiting. */
  get waiting(): boolean {
    return (this.#waiters?.length ?? 0) > 0;
  }

  /**
   * Resolves at the next `wake()`; rejects with Python's `TimeoutError("timed out")`
   * after `timeout` seconds (`null`: no limit).
   */
  wait(timeout: number | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (timeout !== null) {
        const timer = setTimeout(() => {
          this.#remove(waiter);
          reject(new TimeoutError());
        }, timeout * 1000);
        waiter.resolve = () => {
          clearTimeout(timer);
          resolve();
        };
        waiter.reject = (err) => {
          clearTimeout(timer);
          reject(err);
        };
      }
      (this.#waiters ??= []).push(waiter);
    });
  }

  /** Wakes every waiter; each re-checks the state it waits on. */
  wake(): void {
    const waiters = this.#waiters;
    if (!waiters || waiters.length === 0) return;
    this.#waiters = undefined;
    for (const waiter of waiters) waiter.resolve();
  }

  #remove(waiter: Waiter): void {
    const index = this.#waiters?.indexOf(waiter) ?? -1;
    if (index >= 0) this.#waiters!.splice(index, 1);
  }
}

/**
 * Runs `attempt` until it returns a value other than `undefined`, waiting on
 * `list` between tries, all within one `timeout` (seconds, `null`: none), as
 * Python applies a socket timeout to a whole operation.
 */
export async function waitFor<T>(
  list: WaitList,
  timeout: number | null,
  attempt: () => T | undefined,
): Promise<T> {
  const deadline = timeout === null ? null : performance.now() + timeout * 1000;
  for (;;) {
    const value = attempt();
    if (value !== undefined) return value;
    const left = deadline === null ? null : Math.max(0, (deadline - performance.now()) / 1000);
    if (left === 0) throw new TimeoutError();
    await list.wait(left);
  }
}
