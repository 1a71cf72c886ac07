/**
 * `netkit urlretrieve [-c] [-q] [--timeout S] URL [FILE]`: the command-line
 * face of Python's `urlretrieve`, with what `curl -o FILE URL` and
 * `wget -c` give a user: a progress line on stderr, a file that is never
 * left half-written, and a download that can be resumed.
 *
 * ```text
 * URL ─► FILE.part-<random>  ─(complete)─► rename to FILE
 *        (removed on an error, Ctrl-C, SIGTERM, SIGHUP)
 *
 * --continue:
 * URL ─► FILE.part + FILE.part.json (URL, ETag, Last-Modified, length)
 *        kept on an error or a signal; the next --continue sends
 *        Range: bytes=N- and If-Range: <ETag or Last-Modified>, and
 *          206 from byte N  ─► append
 *          200              ─► the file changed or ranges are not served: start over
 *          416, N = length  ─► it was complete: rename
 * ```
 *
 * Python's `urlretrieve` (netkit/urllib/request) has no resume, so this
 * reads the body from `urlopen` itself, writing each piece as it comes
 * while the next one is read.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { type FileHandle, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ValueError, withCode } from "../errors/index.js";
import { IncompleteRead } from "../http/errors.js";
import { unquote, urlsplit } from "../urllib/parse.js";
import { type addinfourl, ContentTooShortError, HTTPError, Request, urlopen } from "../urllib/request.js";
import { parseCommandLine } from "./args.js";
import { interruptible } from "./exit.js";
import { formatBytes, Progress, type ProgressStream } from "./progress.js";
import { spec } from "./specs.js";

/** The most bytes read and written at a time (urlretrieve's block). */
const BLOCK = 1024 * 1024;

/** Where the command writes: the saved path to `stdout`, progress and notes to `stderr`. */
export interface RetrieveIO {
  stdout?: { write(text: string): unknown };
  stderr?: ProgressStream;
}

/**
 * The file name a URL suggests: its last path segment, percent-decoded
 * (wget's choice; a decoded `/` cannot reach another folder, since only
 * what follows the last one is kept), else `index.html`.
 */
export function nameFromUrl(url: string): string {
  let path = "";
  try {
    path = urlsplit(url).path;
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    // urlsplit refuses it (a bad IPv6 literal): urlopen will say why
  }
  const decoded = unquote(path.slice(path.lastIndexOf("/") + 1));
  const name = decoded.slice(decoded.lastIndexOf("/") + 1);
  return name === "" || name === "." || name === ".." || name.includes("\0") ? "index.html" : name;
}

/** True when `path` is an existing directory. */
async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Where the download goes: FILE, or the URL's name inside FILE when FILE is
 * a directory (as `curl -O --output-dir`), or the URL's name here.
 * @throws Error when that is itself a directory (checked before anything is downloaded)
 */
export async function targetFor(url: string, given: string | undefined): Promise<string> {
  if (given === undefined) return refuseDirectory(nameFromUrl(url));
  if (await isDirectory(given)) return refuseDirectory(join(given, nameFromUrl(url)));
  if (given.endsWith("/"))
    throw withCode(new Error(`Cannot save to '${given}': no such directory`), "ERR_CLI_SAVE_TARGET");
  return refuseDirectory(given);
}

/** `target`, unless it is an existing directory (the download could never be renamed to it). */
async function refuseDirectory(target: string): Promise<string> {
  if (await isDirectory(target))
    throw withCode(new Error(`Cannot save to '${target}': it is a directory`), "ERR_CLI_SAVE_TARGET");
  return target;
}

/** What FILE.part.json holds about FILE.part. */
interface Saved {
  url: string;
  etag?: string;
  lastModified?: string;
  /** The whole file's length, -1 when the server did not say. */
  length: number;
}

/** `Content-Range: bytes 100-199/200` → `{ start: 100, total: 200 }` (`total` -1 for `*`); `*\/200` → start -1. */
export function parseContentRange(value: string | undefined): { start: number; total: number } | undefined {
  const m = /^\s*bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)\s*$/i.exec(value ?? "");
  if (!m) return undefined;
  return { start: m[1] === undefined ? -1 : Number(m[1]), total: m[2] === "*" ? -1 : Number(m[2]) };
}

/** The Content-Length header as a number, -1 when absent or not a number. */
function contentLength(response: addinfourl): number {
  const value = response.headers.get("content-length");
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : -1;
}

/** What the server answered: a body to write from byte `start` of `total`, or "the part was complete". */
type Opened = { response: addinfourl; start: number; total: number } | "complete";

interface Session {
  url: string;
  timeout: number;
  signal: AbortSignal;
  note: (text: string) => void;
}

/**
 * Opens `url` for the bytes from `offset` on (all of them when `offset` is
 * 0), with `If-Range` so a changed file is sent whole instead. Falls back to
 * the whole file when the answer cannot be appended.
 */
async function openFrom(s: Session, offset: number, saved: Saved | undefined): Promise<Opened> {
  const headers: Record<string, string> = {};
  if (offset > 0) {
    headers.Range = `bytes=${offset}-`;
    // If-Range takes a strong ETag or a date (RFC 9110, 13.1.5).
    const validator = saved?.etag && !saved.etag.startsWith("W/") ? saved.etag : saved?.lastModified;
    if (validator) headers["If-Range"] = validator;
  }
  let response: addinfourl;
  try {
    response = await urlopen(new Request(s.url, { headers }), { timeout: s.timeout, signal: s.signal });
  } catch (err) {
    if (offset > 0 && err instanceof HTTPError && err.status === 416) {
      await err.close();
      // Nothing from byte N on: the part is the whole file if the server says it is N bytes long.
      if (parseContentRange(err.headers.get("content-range"))?.total === offset) return "complete";
      s.note("The server cannot resume from there: starting over.");
      return openFrom(s, 0, undefined);
    }
    throw err;
  }
  if (offset === 0 || response.status !== 206) {
    if (offset > 0)
      s.note("The server sent the whole file (it changed, or it does not resume): starting over.");
    return { response, start: 0, total: contentLength(response) };
  }
  const range = parseContentRange(response.headers.get("content-range"));
  const length = saved?.length ?? -1;
  if (range && range.start === offset && (range.total < 0 || length < 0 || range.total === length)) {
    const rest = contentLength(response);
    return {
      response,
      start: offset,
      total: range.total >= 0 ? range.total : rest >= 0 ? offset + rest : -1,
    };
  }
  await response.close();
  s.note("The server answered another range: starting over.");
  return openFrom(s, 0, undefined);
}

/** Writes all of `data` at `position` (a write may take fewer bytes than it was given). */
async function writeFully(out: FileHandle, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await out.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Copies the body to `out` from byte `start`, each piece as it arrives (a
 * slow download shows progress, and an interrupted one keeps every byte
 * that came), the next piece read while the last is written.
 * @returns the byte after the last one written
 */
async function copyBody(
  response: addinfourl,
  out: FileHandle,
  start: number,
  total: number,
  onProgress: (done: number) => void,
): Promise<number> {
  let position = start;
  let written: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      let piece: Buffer;
      try {
        piece = await response.read1(BLOCK);
      } catch (err) {
        // With a length to check against, a body that ends early is a short download (below).
        if (err instanceof IncompleteRead && total >= 0) break;
        throw err;
      }
      if (piece.length === 0) break;
      await written; // one write at a time: memory stays at two pieces
      written = writeFully(out, piece, position);
      written.catch(() => {}); // awaited below; not "unhandled" while the next piece is read
      position += piece.length;
      onProgress(position);
    }
  } finally {
    await written.catch(() => {});
  }
  await written;
  return position;
}

/** What a `--continue` run starts from: the bytes in FILE.part, if FILE.part.json vouches for them. */
async function resumable(
  part: string,
  sidecar: string,
  url: string,
): Promise<{ offset: number; saved?: Saved }> {
  const size = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) return { offset: 0 };
  const saved = await readFile(sidecar, "utf8").then(
    (text) => JSON.parse(text) as Saved,
    () => undefined,
  );
  if (saved?.url !== url) return { offset: 0 };
  return { offset: size, saved };
}

interface DownloadOptions {
  resume: boolean;
  quiet: boolean;
  timeout: number;
  signal: AbortSignal;
  stderr: ProgressStream;
}

/** Downloads `url` to `target` (see the module comment). */
async function download(url: string, target: string, o: DownloadOptions): Promise<void> {
  // Notes are few and matter (what resumed, what was kept): -q silences the progress line only.
  const note = (text: string) => o.stderr.write(`${text}\n`);
  const part = o.resume ? `${target}.part` : `${target}.part-${randomBytes(6).toString("hex")}`;
  const sidecar = `${part}.json`;
  const { offset, saved } = o.resume ? await resumable(part, sidecar, url) : { offset: 0 };
  if (offset > 0) note(`Resuming ${part} from byte ${offset} (${formatBytes(offset)}).`);
  const opened = await openFrom({ url, timeout: o.timeout, signal: o.signal, note }, offset, saved);
  if (opened === "complete") {
    note(`${part} was already complete.`);
    await rename(part, target);
    await rm(sidecar, { force: true });
    return;
  }
  const { response, start, total } = opened;
  // urlopen's signal stops the request, not a read of the body already under way: closing does.
  const stop = () => void response.close();
  o.signal.addEventListener("abort", stop, { once: true });
  let out: FileHandle | undefined;
  let progress: Progress | undefined;
  try {
    // "wx": a fresh name is never someone else's file.
    out = await open(part, start > 0 ? "r+" : o.resume ? "w" : "wx");
    if (o.resume) {
      const headers = response.headers;
      const about: Saved = { url, length: total };
      const etag = headers.get("etag");
      const lastModified = headers.get("last-modified");
      if (etag !== undefined) about.etag = etag;
      if (lastModified !== undefined) about.lastModified = lastModified;
      // A 206 carries the validators again; if it does not, the ones that got it still hold.
      await writeFile(sidecar, JSON.stringify(start > 0 && saved ? { ...saved, ...about } : about));
    }
    if (!o.quiet) progress = new Progress(start, total, { stream: o.stderr });
    const end = await copyBody(response, out, start, total, (done) => progress?.update(done));
    await out.close();
    if (total >= 0 && end < total) {
      throw new ContentTooShortError(
        `retrieval incomplete: got only ${end - start} out of ${total - start} bytes`,
        [target, response.headers],
      );
    }
    progress?.finish();
    await rename(part, target);
    if (o.resume) await rm(sidecar, { force: true });
  } catch (err) {
    progress?.end();
    await out?.close().catch(() => {});
    if (!o.resume) await rm(part, { force: true });
    else {
      const kept = await stat(part).then(
        (s) => s.size,
        () => 0,
      );
      if (kept > 0) note(`Kept ${kept} bytes in ${part}: run the same command again to resume.`);
      else await rm(part, { force: true }).then(() => rm(sidecar, { force: true }));
    }
    throw err;
  } finally {
    o.signal.removeEventListener("abort", stop);
    await response.close();
  }
}

/**
 * `netkit urlretrieve [-c] [-q] [--timeout S] URL [FILE]`: saves the body to
 * FILE (see `targetFor`) with a progress line on stderr, then prints where
 * it went. Ctrl-C (and SIGTERM, SIGHUP) stops it: the line is finished, the
 * partial file removed (kept with `--continue`), and the command ends by
 * the signal (status 130 for Ctrl-C).
 * @throws UsageError for bad arguments; ValueError (`unknown url type`), URLError, HTTPError, ContentTooShortError as urlopen and urlretrieve throw them; Interrupted on a signal
 */
export async function urlretrieveCommand(argv: string[], io: RetrieveIO = {}): Promise<void> {
  const args = parseCommandLine(spec("urlretrieve"), argv);
  const url = args.string("URL")!;
  const target = await targetFor(url, args.string("FILE"));
  await interruptible((signal) =>
    download(url, target, {
      resume: args.flag("continue") || args.string("continue-at") === "-",
      quiet: args.flag("quiet"),
      timeout: args.number("timeout")!,
      signal,
      stderr: io.stderr ?? process.stderr,
    }),
  );
  (io.stdout ?? process.stdout).write(`${target}\n`);
}
