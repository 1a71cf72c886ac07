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
import { open, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { IncompleteRead } from "../../http/errors.js";
import type { HTTPMessage } from "../../http/message.js";
import { ContentTooShortError } from "../error.js";
import type { OpenerDirector, OpenOptions } from "./opener.js";
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
  url: string | Request,
  filename: string | null | undefined,
  options: UrlretrieveOptions = {},
): Promise<[string, HTTPMessage]> {
  const fullUrl = typeof url === "string" ? url : url.fullUrl;
  const [urlType, path] = splittype(fullUrl);
  const { reporthook, blocksize = 1024 * 1024, ...openOptions } = options;
  const fp = await opener.open(url, openOptions);
  try {
    const headers = fp.info();
    if (urlType === "file" && !filename) return [normalize(path), headers];
    let target = filename;
    if (!target) {
      target = join(tmpdir(), `netkit-${randomBytes(8).toString("hex")}`);
      tempfiles.push(target);
    }
    const part = partName(target);
    const out = await open(part, "wx");
    let read = 0;
    let size = -1;
    try {
      const length = headers.get("content-length");
      if (length !== undefined && /^\s*\d+\s*$/.test(length)) size = Number(length);
      let blocknum = 0;
      reporthook?.(blocknum, blocksize, size);
      // The socket and the file work at the same time: chunks are taken as
      // they arrive (read1: no copying to fill a block) while one write is in
      // flight; once `blocksize` bytes have gathered they go out in one
      // writev. At most two blocks are held, so memory stays bounded.
      let writing: Promise<unknown> = Promise.resolve();
      let batch: Buffer[] = [];
      let batched = 0;
      const flush = async () => {
        await writing;
        if (batch.length > 0) {
          writing = out.writev(batch);
          // Handled here so a failed write waiting for its await is not "unhandled"; awaited below.
          writing.catch(() => {});
        }
        batch = [];
        batched = 0;
      };
      for (;;) {
        let chunk: Buffer;
        try {
          chunk = await fp.read1(blocksize);
        } catch (err) {
          await flush();
          await writing;
          // With a Content-Length, a body that ends early is a short download.
          if (!(err instanceof IncompleteRead) || size < 0) throw err;
          read += err.partial.length;
          break;
        }
        if (chunk.length === 0) break;
        read += chunk.length;
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= blocksize) await flush();
        // Python reads whole blocks and reports each; here a report for every block boundary crossed.
        while (reporthook && (blocknum + 1) * blocksize <= read) reporthook(++blocknum, blocksize, size);
      }
      await flush();
      await writing;
      if (reporthook && blocknum * blocksize < read) reporthook(++blocknum, blocksize, size);
      await out.close();
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
    await rename(part, target);
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
