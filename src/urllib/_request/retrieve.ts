/**
 * Python's `urlretrieve` and `urlcleanup`: copy a URL's body to a file.
 *
 * Safer than Python: the body goes to a temporary file beside the target
 * and is renamed into place only when it is complete, so an interrupted or
 * short download never leaves a file that looks whole (Python leaves the
 * partial file under the final name).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { argTypeError, OSError, ValueError } from "../../errors/index.js";
import { IncompleteRead } from "../../http/errors.js";
import type { HTTPMessage } from "../../textproto/header.js";
import { ContentTooShortError } from "../error.js";
import { type OpenerDirector, type OpenOptions, toRequest } from "./opener.js";
import type { Request } from "./request.js";
import { splittype } from "./split.js";

/**
 * Python's `reporthook(blocknum, blocksize, totalsize)`: called once before
 * the first block (blocknum 0) and after each block; `totalsize` is -1 when
 * the server did not say.
 */
export type ReportHook = (blocknum: number, blocksize: number, totalsize: number) => void;

/** Options of `urlretrieve`: Python's `reporthook` and `data`, plus `urlopen`'s timeout and signal. */
export interface UrlretrieveOptions extends OpenOptions {
  /** Progress callback. */
  reporthook?: ReportHook;
  /** Bytes read and written per block (big blocks make a download fast). @default 1048576 (Python: 8192) */
  blocksize?: number;
}

/** The names of `UrlretrieveOptions`, for the TypeError a wrong options argument gets. */
const RETRIEVE_OPTIONS = "{ reporthook, blocksize, data, timeout, signal }";

/**
 * Runs a file operation on the download, so that its failure reads as
 * Python's: an `OSError` naming `target`, the file the caller asked for
 * (`FileNotFoundError: [Errno 2] No such file or directory: 'missing/x'`),
 * never the temporary name netkit writes to first.
 */
async function onTarget<T>(target: string | undefined, operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (err) {
    throw OSError.fromNodeError(err, target);
  }
}

/** Writes all of `data` at `position` (a write may take fewer bytes than it was given). */
async function writeFully(out: FileHandle, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await out.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** Files `urlretrieve` made without a name, for `urlcleanup`. */
const tempfiles: string[] = [];

/** A fresh name in the same folder as `path`, for the download in progress. */
function partName(path: string): string {
  return `${path}.part-${randomBytes(6).toString("hex")}`;
}

/**
 * Python's `urlretrieve(url, filename, reporthook, data)`, given the opener
 * to use. See `urlretrieve` in netkit/urllib/request.
 */
export async function retrieve(
  opener: OpenerDirector,
  url: string | URL | Request,
  filename: string | null | undefined,
  options: UrlretrieveOptions = {},
): Promise<[string, HTTPMessage]> {
  const req = toRequest("urlretrieve", url, options, RETRIEVE_OPTIONS);
  if (filename !== undefined && filename !== null && typeof filename !== "string") {
    throw argTypeError("urlretrieve", "filename", "str or null", filename);
  }
  const { reporthook, blocksize = 1024 * 1024, ...openOptions } = options;
  if (reporthook !== undefined && typeof reporthook !== "function") {
    throw argTypeError("urlretrieve", "reporthook", "a function", reporthook);
  }
  if (typeof blocksize !== "number") throw argTypeError("urlretrieve", "blocksize", "int", blocksize);
  if (!Number.isSafeInteger(blocksize) || blocksize < 1) {
    throw new ValueError(`urlretrieve() blocksize must be a positive integer, not ${blocksize}`);
  }
  const [urlType, path] = splittype(req.fullUrl);
  const fp = await opener.open(req, openOptions);
  try {
    const headers = fp.info();
    if (urlType === "file" && !filename) return [normalize(path), headers];
    let target = filename;
    if (!target) {
      target = join(tmpdir(), `netkit-${randomBytes(8).toString("hex")}`);
      tempfiles.push(target);
    }
    const part = partName(target);
    const out = await onTarget(target, open(part, "wx"));
    let read = 0;
    let size = -1;
    try {
      const length = headers.get("content-length");
      if (length !== undefined && /^\s*\d+\s*$/.test(length)) size = Number(length);
      let blocknum = 0;
      reporthook?.(blocknum, blocksize, size);
      // Four blocks take turns: the connection fills one (over HTTP straight
      // from the socket, no Buffer per read) while the others are being
      // written to the file. Memory stays at four blocks for any size.
      const blocks = [0, 1, 2, 3].map(() => Buffer.allocUnsafe(blocksize));
      const writes: Promise<unknown>[] = blocks.map(() => Promise.resolve());
      try {
        for (let turn = 0; ; turn = (turn + 1) % blocks.length) {
          await writes[turn]; // this block's last write is done: it may be refilled
          const block = blocks[turn]!;
          let n: number;
          try {
            n = await fp.readinto(block);
          } catch (err) {
            // With a Content-Length, a (chunked) body that ends early is a short download.
            if (!(err instanceof IncompleteRead) || size < 0) throw err;
            read += err.partial.length;
            break;
          }
          if (n === 0) break;
          const written = onTarget(undefined, writeFully(out, block.subarray(0, n), read));
          // Handled here so a failed write waiting for its turn is not "unhandled"; awaited above or below.
          written.catch(() => {});
          writes[turn] = written;
          read += n;
          // Python reports each block read; a block is short only at the end.
          while (reporthook && (blocknum + 1) * blocksize <= read) reporthook(++blocknum, blocksize, size);
        }
      } finally {
        await Promise.allSettled(writes);
      }
      for (const written of writes) await written;
      if (reporthook && blocknum * blocksize < read) reporthook(++blocknum, blocksize, size);
      await onTarget(undefined, out.close());
    } catch (err) {
      await out.close().catch(() => {});
      await rm(part, { force: true });
      throw err;
    }
    if (size >= 0 && read < size) {
      await rm(part, { force: true });
      throw new ContentTooShortError(`retrieval incomplete: got only ${read} out of ${size} bytes`, [
        target,
        headers,
      ]);
    }
    try {
      await onTarget(target, rename(part, target));
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    return [target, headers];
  } finally {
    await fp.close();
  }
}

/** Python's `urlcleanup()`: removes the files `urlretrieve` made without a name. */
export async function urlcleanup(): Promise<void> {
  const files = tempfiles.splice(0);
  await Promise.all(files.map((file) => rm(file, { force: true })));
}
