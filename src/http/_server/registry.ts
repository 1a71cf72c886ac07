/**
 * Which HTTP handlers are running on which server, so `HTTPServer.serverClose`
 * can close the connections that sit idle between requests (kept alive)
 * while requests in flight finish.
 *
 * @module
 */

/** What the server asks of a running handler when it closes. */
export interface Closable {
  /** Close now if waiting for a request; else close after the current one. */
  closeWhenIdle(): void;
}

const running = new WeakMap<object, Set<Closable>>();
const closing = new WeakSet<object>();

/** Records a handler as running on `server`; returns the function that forgets it. */
export function track(server: object, handler: Closable): () => void {
  let set = running.get(server);
  if (!set) {
    set = new Set();
    running.set(server, set);
  }
  set.add(handler);
  if (closing.has(server)) handler.closeWhenIdle();
  return () => set.delete(handler);
}

/** Tells every handler running on `server` (and any that starts later) to finish up. */
export function closeIdle(server: object): void {
  closing.add(server);
  for (const handler of running.get(server) ?? []) handler.closeWhenIdle();
}
