/**
 * The one containment check of netkit's file servers (http.server's
 * `SimpleHTTPRequestHandler` and `CGIHTTPRequestHandler`, the Gopher
 * server): every path that opens, reads, lists or runs something under a
 * served directory goes through `servablePath` or `servablePathSync`; the
 * decision itself, `containedPath`, is pure. What they open, they open with
 * `openRegularFile` or `openRegularFileSync`, which never wait on a FIFO or
 * a device. Moved here from
 * src/http/_server/files.ts so both servers share it.
 *
 * @module
 */
import {
  close,
  closeSync,
  constants,
  fstat,
  fstatSync,
  open,
  openSync,
  read,
  readSync,
  realpathSync,
  type Stats,
} from "node:fs";
import { realpath } from "node:fs/promises";
import { sep } from "node:path";
import { promisify } from "node:util";
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

const openAsync = promisify(open);
const fstatAsync = promisify(fstat);
const readAsync = promisify(read);
const closeAsync = promisify(close);

/** A regular file opened to be served: its descriptor and what fstat said of it. */
export interface OpenFile {
  fd: number;
  info: Stats;
  /** Opened with synchronous calls, to be read and closed with them. */
  sync: boolean;
}

/**
 * Reads up to `length` bytes of `file` from `position` into `buffer` at
 * `offset`, with the kind of call it was opened with: resolves with how many
 * were read (0 at the end of the file).
 */
export async function readFileAt(
  file: { fd: number; sync: boolean },
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  if (file.sync) return readSync(file.fd, buffer, offset, length, position);
  return (await readAsync(file.fd, buffer, offset, length, position)).bytesRead;
}

/** Closes `file`'s descriptor as it was opened; a close that fails changes nothing for a reader. */
export async function closeFile(file: { fd: number; sync: boolean }): Promise<void> {
  try {
    if (file.sync) closeSync(file.fd);
    else await closeAsync(file.fd);
  } catch {}
}

/**
 * Flags for opening a file to serve: opening a FIFO must not wait for a
 * writer (it would hang the event loop, or a thread-pool thread, for good),
 * a link swapped in for the real path is not followed, and a terminal does
 * not become the server's.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW | constants.O_NOCTTY;

/**
 * `real` (a path `servablePath` returned) opened for reading if it is a
 * regular file; `undefined`, nothing left open, when it cannot be opened or
 * is anything else (a directory, a FIFO, a device, a socket).
 */
export async function openRegularFile(real: string): Promise<OpenFile | undefined> {
  let fd: number;
  try {
    fd = await openAsync(real, OPEN_FLAGS);
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return undefined;
  }
  let info: Stats | undefined;
  try {
    info = await fstatAsync(fd);
  } catch (err) {
    if (!isSystemError(err)) {
      await closeFile({ fd, sync: false });
      throw err;
    }
  }
  if (info?.isFile()) return { fd, info, sync: false };
  await closeFile({ fd, sync: false });
  return undefined;
}

/** `openRegularFile` with synchronous calls. */
export function openRegularFileSync(real: string): OpenFile | undefined {
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return undefined;
  }
  let info: Stats | undefined;
  try {
    info = fstatSync(fd);
  } catch (err) {
    if (!isSystemError(err)) {
      closeSync(fd);
      throw err;
    }
  }
  if (info?.isFile()) return { fd, info, sync: true };
  closeSync(fd);
  return undefined;
}
