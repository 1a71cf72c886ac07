/**
 * What the example programs share: the `--host`/`--port` options (the
 * tutorial programs' own, from src/cli/tutorial/args.ts), and `isMain`, so
 * a program runs when started and not when the tour or a test imports it.
 */
export { type Endpoint, parseEndpoint } from "../src/cli/tutorial/args.js";

/** True when the module at `url` is the program node was started with. */
export function isMain(url: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const path = new URL(url).pathname;
  return path === entry || path.replace(/\.ts$/, "") === entry.replace(/\.(ts|js)$/, "");
}
