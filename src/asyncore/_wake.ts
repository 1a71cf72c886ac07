/**
 * The loop's wake-up: every change a dispatcher can see (bytes read ahead,
 * a connection waiting, a connect finished, the send queue drained, a bind
 * done) calls `wake()`, and a `poll()` that found nothing ready waits for the
 * next one. This replaces select()'s sleep in the kernel. Waiters re-check
 * every dispatcher after a wake-up, so one signal serves every kind of change.
 *
 * @module
 */

const waiters = new Set<() => void>();

/** Wakes every waiting `poll()`. */
export function wake(): void {
  if (waiters.size === 0) return;
  const all = [...waiters];
  waiters.clear();
  for (const resolve of all) resolve();
}

/**
 * Resolves at the next `wake()`, or after `timeout` seconds (`null`: no
 * limit), whichever is first; `true` when woken. A waiter that times out
 * leaves the set, so an idle loop keeps nothing behind.
 */
export function nextWake(timeout: number | null): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const waiter = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    waiters.add(waiter);
    if (timeout !== null) {
      timer = setTimeout(() => {
        waiters.delete(waiter);
        resolve(false);
      }, timeout * 1000);
    }
  });
}
