/**
 * The one containment check of netkit's file servers (http.server's
 * `SimpleHTTPRequestHandler` and `CGIHTTPRequestHandler`, the Gopher
 * server): every path that opens, reads, lists or runs something under a
 * served directory goes through `servablePath` or `servablePathSync`; the
 * decision itself, `containedPath`, is pure. Moved here from
 * src/http/_server/files.ts so both servers share it.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { sep } from "node:path";
import { isSystemError } from "./errors/index.js";

/** True when the real path `real` is `root` or inside it (both already resolved by realpath). */
export function isInside(real: string, root: string): boolean {
  if (real === root) return true;
  return real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The one containment check of the file-serving handlers: every path that
 * opens, reads, lists or runs something under the served directory goes
 * through it, by `servablePath` or `servablePathSync`. Given `path` (a
 * `translatePath` result), `real` its real path (symbolic links resolved;
 * `undefined` when it names nothing) and `root` the real path of the served
 * directory, it returns the path to open, or `undefined` when it may not be
 * served: it holds NUL, or `real` is not `root` or below it (a
 * path-separator boundary: `/srv/www2` is not inside `/srv/www`). With
 * `followSymlinks`, any real path. Callers open the real path returned, not
 * `path`, so a link changed since the check cannot lead elsewhere.
 */
export function containedPath(
  path: string,
  real: string | undefined,
  root: string | undefined,
  followSymlinks: boolean,
): string | undefined {
  if (path.includes("\0") || real === undefined) return undefined;
  if (followSymlinks) return real;
  return root !== undefined && isInside(real, root) ? real : undefined;
}

/**
 * The real path to open for `path` under `directory`, or `undefined` (see
 * `containedPath`), both real paths resolved now, in parallel. Neither is
 * kept: a directory renamed, replaced or re-pointed while the server runs is
 * judged as it is now.
 */
export async function servablePath(
  path: string,
  directory: string,
  followSymlinks: boolean,
): Promise<string | undefined> {
  const [real, root] = await Promise.all([
    realpath(path).catch(() => undefined),
    followSymlinks ? undefined : realpath(directory).catch(() => undefined),
  ]);
  return containedPath(path, real, root, followSymlinks);
}

/** `servablePath` with synchronous calls (the small-file path of `SimpleHTTPRequestHandler`). */
export function servablePathSync(
  path: string,
  directory: string,
  followSymlinks: boolean,
): string | undefined {
  const realpathOf = (p: string) => {
    try {
      return realpathSync.native(p);
    } catch (err) {
      if (!isSystemError(err)) throw err;
      return undefined;
    }
  };
  return containedPath(
    path,
    realpathOf(path),
    followSymlinks ? undefined : realpathOf(directory),
    followSymlinks,
  );
}
