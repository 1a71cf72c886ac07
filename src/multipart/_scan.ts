/**
 * The three searches of the multipart reader, as pure synchronous scanners
 * over the bytes it holds (no I/O; the reader feeds them, and tells them
 * when bytes leave the front): the boundary line that ends the preamble,
 * the blank line that ends a part's headers, and the delimiter line that
 * ends a part's body. Each keeps where it stopped, so bytes that arrive in
 * small chunks are not searched again from the start, and each counts the
 * bytes it examines (`work`), so tests can check the cost is linear without
 * timing anything.
 *
 * The rules are Python's `cgi.FieldStorage` ones, written out in
 * `reader.ts`. Cost: a byte is examined a bounded number of times whatever
 * the input (runs of CR, LF or `-`, near-boundaries, long padding after a
 * boundary, boundary prefixes cut at chunk edges), plus, per chunk, at most
 * the boundary's length of bytes kept from the previous one. Where
 * candidates are rare a native search skips ahead; where they are dense a
 * plain loop walks the bytes, so neither a native call per candidate nor a
 * byte loop over ordinary data costs more than a few nanoseconds a byte.
 *
 * @module
 */

import { CR, DASH, LF } from "../_ascii.js";
import { MultipartError } from "./errors.js";

/** Positions a plain loop looks at before handing the rest to the native search. */
const WINDOW = 128;

/** Python's `bytes.isspace()` bytes: what `bytes.strip()` removes. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** Whitespace allowed around a boundary on its line (LF ends the line, so it is not here). */
function isPadding(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c || b === CR;
}

/** A Uint8Array over the same bytes: indexing one is about twice as fast as indexing a Buffer. */
function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** How many leading bytes of `d` match `u` at `at` (stops at the first difference or at the end of `u`). */
function matchLength(u: Uint8Array, at: number, d: Uint8Array): number {
  const n = Math.min(d.length, u.length - at);
  let k = 0;
  while (k < n && u[at + k] === d[k]) k++;
  return k;
}

/**
 * What a scanner's `find` says: `FOUND` (its result fields say where),
 * `MORE` (these bytes cannot tell: read more), `NONE` (there is none, and the
 * stream has ended).
 */
export type Scan = typeof FOUND | typeof MORE | typeof NONE;
export const FOUND = 0;
export const MORE = 1;
export const NONE = 2;
/** A candidate that is not the line looked for (internal to the scanners). */
const REJECTED = 3;

/**
 * Finds the line that ends the preamble: at the start of a line, optional
 * padding, `--boundary`, optional padding, then LF or the end of the
 * stream; the whole line (LF included) at most `maxLine` bytes (a longer
 * line cannot be it). Only a line holding the boundary can be it, so the
 * search is for the boundary, and each place it is found is checked
 * against its line. Bytes before the current line can go: `drop` says how
 * many; a line that cannot be the one (too long) goes as it comes.
 */
export class PreambleScanner {
  readonly #d: Buffer;
  readonly #maxLine: number;
  /** False when the boundary ends in whitespace: a stripped line can then never equal it. */
  readonly #matchable: boolean;
  /**
   * How far past a boundary that is not at a line start the next one that
   * may be can start: the boundary's length, unless it holds padding (then
   * another could start right after that padding, so 1).
   */
  readonly #skip: number;
  /** Where the current line starts (0 after a drop), or -1 when it is too long to be the boundary line. */
  #line = 0;
  /** Bytes before this have been searched for LF. */
  #seen = 0;
  /** The first place the boundary may start that has not been looked at. */
  #from = 0;
  /** A boundary whose line was cut off by the end of the bytes: where it is, or -1. */
  #waitAt = -1;
  /** How far that line has been read. */
  #waitScan = 0;
  /** Bytes examined so far. */
  work = 0;
  /** After `FOUND`: where the boundary line ends (just past its LF). */
  next = 0;
  /** After `MORE` or `NONE`: how many leading bytes to drop. */
  drop = 0;

  /**
   * @param dashBoundary `--` and the boundary
   * @param maxLine longest line that can be the boundary line, LF included
   */
  constructor(dashBoundary: Buffer, maxLine: number) {
    this.#d = dashBoundary;
    this.#maxLine = maxLine;
    this.#matchable = !isSpace(dashBoundary[dashBoundary.length - 1]!);
    this.#skip = dashBoundary.some(isPadding) ? 1 : dashBoundary.length;
  }

  /**
   * Looks for the boundary line in `buf`, on from where the last call
   * stopped. After `MORE`/`NONE` the caller drops `drop` bytes from the front.
   */
  find(buf: Buffer, eof: boolean): Scan {
    const u = bytesOf(buf);
    const len = u.length;
    const maxLine = this.#maxLine;
    for (;;) {
      let i: number;
      let j: number;
      let line: number;
      if (this.#waitAt >= 0) {
        i = this.#waitAt;
        j = this.#waitScan;
        line = 0;
        this.#waitAt = -1;
      } else {
        i = this.#matchable ? this.#occurrence(buf, u) : -1;
        if (i < 0) return this.#keep(buf, len, eof);
        // Back over padding to the line's start: an LF, or the start of the bytes if a line starts there.
        let k = i;
        const floor = Math.max(0, i - maxLine);
        while (k > floor && isPadding(u[k - 1]!)) k--;
        this.work += i - k + 1;
        if (k > 0 && u[k - 1] === LF) line = k;
        else if (k === 0 && this.#line === 0) line = 0;
        else {
          this.#from = i + this.#skip;
          continue;
        }
        j = i + this.#d.length;
      }
      // Padding, then LF (or the end of the stream) before the line is too long.
      const lineEnd = line + maxLine;
      const stop = Math.min(len, lineEnd);
      const start = j;
      while (j < stop && isPadding(u[j]!)) j++;
      this.work += j - start + 1;
      if (j < stop) {
        if (u[j] === LF) return this.#found(j + 1);
      } else if (j === len && (eof || len < lineEnd)) {
        if (eof) return this.#found(len);
        this.#waitAt = i - line;
        this.#waitScan = j - line;
        this.#seen = len; // the line holds no LF up to here
        this.#line = line;
        return this.#drop(line, MORE);
      }
      // Not the boundary line. Without padding in the boundary, no other
      // boundary can start after padding or an LF before j.
      this.#from = this.#skip > 1 ? j : i + 1;
    }
  }

  #found(next: number): Scan {
    this.next = next;
    return FOUND;
  }

  /** No boundary in the bytes: keep the current line if it may still be the one, else drop it. */
  #keep(buf: Buffer, len: number, eof: boolean): Scan {
    if (eof) return this.#drop(len, NONE);
    if (len > this.#seen) {
      // Only the bytes not yet searched: a long line kept across small chunks is not searched again.
      const lf = buf.subarray(this.#seen).lastIndexOf(LF);
      this.work += len - this.#seen;
      if (lf >= 0) this.#line = this.#seen + lf + 1;
      this.#seen = len;
    }
    if (this.#line >= 0 && len - this.#line >= this.#maxLine) this.#line = -1; // already too long
    return this.#drop(this.#line >= 0 ? this.#line : len, MORE);
  }

  /** Drops `n` leading bytes: positions move back by `n`. */
  #drop(n: number, result: Scan): Scan {
    this.drop = n;
    this.#from = Math.max(0, this.#from - n);
    this.#seen = Math.max(0, this.#seen - n);
    if (this.#line >= 0) this.#line = Math.max(0, this.#line - n);
    return result;
  }

  /**
   * The first place at or after `#from` where the boundary lies whole in the
   * bytes, preceded by the start of the bytes, an LF or padding; -1 when
   * there is none (`#from` is then the first place later bytes may complete).
   */
  #occurrence(buf: Buffer, u: Uint8Array): number {
    const d = this.#d;
    const last = u.length - d.length;
    let i = this.#from;
    const stop = Math.min(last + 1, i + WINDOW);
    const start = i;
    for (; i < stop; i++) {
      if (u[i] !== DASH) continue;
      if (i > 0) {
        const c = u[i - 1]!;
        if (c !== LF && !isPadding(c)) continue;
      }
      const m = matchLength(u, i, d);
      this.work += m;
      if (m === d.length) break;
    }
    this.work += i - start;
    if (i < stop) {
      this.#from = i;
      return i;
    }
    if (i <= last) {
      const at = buf.indexOf(d, i);
      this.work += (at < 0 ? u.length : at + d.length) - i;
      if (at >= 0) {
        this.#from = at;
        return at;
      }
    }
    this.#from = Math.max(this.#from, last + 1);
    return -1;
  }
}

/**
 * Finds the end of a part's header block: the first line holding only
 * whitespace, or the end of the stream. Throws `MultipartError` for a line
 * longer than `maxLine` or a block larger than `maxHeaderBytes`, as soon as
 * either is certain.
 */
export class HeaderScanner {
  readonly #maxLine: number;
  readonly #maxBytes: number;
  #lineStart = 0;
  #pos = 0;
  #blank = true;
  /** Bytes of the complete lines so far. */
  #size = 0;
  /** Bytes examined so far. */
  work = 0;
  /** After `FOUND`: the header block's length (0: the stream ended with no headers at all). */
  end = 0;

  /**
   * @param maxLine longest line, LF included
   * @param maxBytes largest block, blank line included
   */
  constructor(maxLine: number, maxBytes: number) {
    this.#maxLine = maxLine;
    this.#maxBytes = maxBytes;
  }

  /** Starts a new block at the front of the bytes. */
  reset(): void {
    this.#lineStart = this.#pos = this.#size = 0;
    this.#blank = true;
  }

  /**
   * Scans `buf` (the block starts at its first byte) on from where the last
   * call stopped.
   * @throws MultipartError (`ERR_MULTIPART_HEADER_LINE_TOO_LONG`, `ERR_MULTIPART_HEADERS_TOO_LARGE`)
   */
  find(buf: Buffer, eof: boolean): Scan {
    const u = bytesOf(buf);
    const len = u.length;
    let p = this.#pos;
    let blank = this.#blank;
    let lineStart = this.#lineStart;
    const start = p;
    while (p < len) {
      let lf = -1;
      if (blank) {
        // Whitespace so far: on over the rest of it, in a loop of its own (a
        // blank line is short, a line that starts with padding may not be).
        while (p < len && isPadding(u[p]!)) p++;
        if (p === len) break;
        if (u[p] === LF) lf = p;
        else {
          blank = false;
          continue;
        }
      } else {
        // Not blank: only its end matters. A plain loop for a short line, the native search for a long one.
        const stop = Math.min(len, p + WINDOW);
        while (p < stop && u[p] !== LF) p++;
        if (p < stop) lf = p;
        else if (p < len) {
          lf = buf.indexOf(LF, p);
          if (lf < 0) p = len;
        }
        if (lf < 0) break;
      }
      this.#line(lf + 1 - lineStart);
      if (blank) {
        this.work += lf + 1 - start;
        this.end = lf + 1;
        return FOUND;
      }
      p = lineStart = lf + 1;
      blank = true;
    }
    this.work += p - start;
    if (len - lineStart > this.#maxLine) this.#tooLong();
    if (eof) {
      this.#line(len - lineStart);
      this.end = len;
      return FOUND;
    }
    this.#pos = p;
    this.#blank = blank;
    this.#lineStart = lineStart;
    return MORE;
  }

  /** Counts a complete line against the limits. */
  #line(length: number): void {
    if (length > this.#maxLine) this.#tooLong();
    this.#size += length;
    if (this.#size > this.#maxBytes) {
      throw new MultipartError(
        `Cannot read multipart part headers: more than ${this.#maxBytes} bytes`,
        "ERR_MULTIPART_HEADERS_TOO_LARGE",
      );
    }
  }

  #tooLong(): never {
    throw new MultipartError(
      `Cannot read multipart header line: longer than ${this.#maxLine} bytes`,
      "ERR_MULTIPART_HEADER_LINE_TOO_LONG",
    );
  }
}

/**
 * Finds the delimiter line that ends a part's body: `--boundary` at the
 * start of a line (or of the body), optionally `--` (the close delimiter),
 * padding, then LF or the end of the stream, the line at most `maxLine`
 * bytes from the boundary on. The line break before it belongs to it.
 */
export class DelimiterScanner {
  readonly #d: Uint8Array;
  /** LF and the boundary: the native search's needle. */
  readonly #lfd: Buffer;
  readonly #maxLine: number;
  /** True until a body byte has been given out: a delimiter may start at the first byte. */
  atStart = true;
  /** The first candidate start not yet looked at. */
  #from = 0;
  /** A candidate whose line was cut off by the end of the bytes: its start, or -1. */
  #waitAt = -1;
  /** How far that line has been read (-1: the byte after the boundary is still to be read). */
  #waitScan = -1;
  #waitClose = false;
  /** Where the delimiter found starts, or -1 (kept until the body has been given out up to it). */
  #foundAt = -1;
  /** After a rejected candidate: where the next may start. */
  #rejectedTo = 0;
  /** Bytes examined so far. */
  work = 0;
  /** After `FOUND`: where the body ends (its last line break excluded). */
  end = 0;
  /** After `FOUND`: just past the delimiter line. */
  next = 0;
  /** After `FOUND`: whether it is the close delimiter. */
  close = false;
  /** After `MORE`/`NONE`: bytes before this can hold no delimiter start; with the two before it, they are body. */
  limit = 0;

  /**
   * @param dashBoundary `--` and the boundary
   * @param maxLine longest delimiter line, from the boundary to its LF
   */
  constructor(dashBoundary: Uint8Array, maxLine: number) {
    this.#d = dashBoundary;
    this.#lfd = Buffer.concat([Buffer.from([LF]), dashBoundary]);
    this.#maxLine = maxLine;
  }

  /** Starts a new body at the front of the bytes. */
  reset(): void {
    this.atStart = true;
    this.#from = 0;
    this.#waitAt = this.#foundAt = -1;
  }

  /** `n` bytes have left the front (given out as body). */
  shift(n: number): void {
    if (n > 0) this.atStart = false;
    this.#from = Math.max(0, this.#from - n);
    if (this.#waitAt >= 0) {
      this.#waitAt -= n;
      if (this.#waitScan >= 0) this.#waitScan -= n;
    }
    if (this.#foundAt >= 0) {
      this.#foundAt -= n;
      this.end -= n;
      this.next -= n;
    }
  }

  /** Looks for the delimiter in `buf` (the body bytes not yet given out, and what follows). */
  find(buf: Buffer, eof: boolean): Scan {
    if (this.#foundAt >= 0) return FOUND;
    const u = bytesOf(buf);
    const d = this.#d;
    const dl = d.length;
    const last = u.length - dl; // the last start the bytes hold whole
    let i = this.#from;
    if (this.#waitAt >= 0) {
      // A candidate cut off by the end of the bytes last time: go on with its line.
      const at = this.#waitAt;
      this.#waitAt = -1;
      const r = this.#line(u, at, this.#waitScan, this.#waitClose, eof);
      if (r !== REJECTED) return r;
      i = this.#rejectedTo;
    } else if (i === 0) {
      if (this.atStart && last >= 0) {
        const m = matchLength(u, 0, d);
        this.work += m + 1;
        if (m === dl) {
          const r = this.#line(u, 0, -1, false, eof);
          if (r !== REJECTED) return r;
          i = this.#rejectedTo;
        }
      }
      if (i === 0) {
        if (last < 0 && this.atStart) return this.#none(0, eof); // the first bytes may yet be a boundary
        i = 1;
      }
    }
    // Candidates: the boundary right after an LF. A plain loop over the next
    // WINDOW starts, checking each candidate's line as it comes; then the
    // native search for LF and the boundary, and back to the loop after it.
    while (i <= last) {
      const stop = Math.min(last + 1, i + WINDOW);
      const start = i;
      for (; i < stop; i++) {
        if (u[i - 1] !== LF || u[i] !== DASH) continue;
        const m = matchLength(u, i, d);
        this.work += m;
        if (m !== dl) continue;
        const after = i + dl < u.length ? u[i + dl]! : LF;
        if (after !== DASH && after !== LF && !isPadding(after)) {
          i += dl - 1; // the boundary and then anything else: not a delimiter line, the loop goes on past it
          continue;
        }
        const r = this.#line(u, i, -1, false, eof);
        if (r !== REJECTED) return r;
        i = this.#rejectedTo - 1; // the loop's i++ brings it there
      }
      this.work += i - start;
      if (i > last) break;
      const at = buf.indexOf(this.#lfd, i - 1);
      this.work += (at < 0 ? u.length : at + this.#lfd.length) - (i - 1);
      if (at < 0) {
        i = last + 1;
        break;
      }
      const r = this.#line(u, at + 1, -1, false, eof);
      if (r !== REJECTED) return r;
      i = this.#rejectedTo;
    }
    return this.#none(Math.max(i, last + 1), eof);
  }

  /** No delimiter starts before `from`: bytes before it (less the two of a line break) are body. */
  #none(from: number, eof: boolean): Scan {
    this.#from = from;
    this.limit = from;
    return eof ? NONE : MORE;
  }

  /**
   * The line of a candidate at `i` (the boundary matched there): the close
   * delimiter's dashes, padding, then LF or the end of the stream. `scan` is
   * where a cut-off line goes on (-1: from the boundary's end). Returns
   * FOUND, MORE (cut off: wait), or REJECTED with `#rejectedTo` where the
   * next candidate may start.
   */
  #line(u: Uint8Array, i: number, scan: number, close: boolean, eof: boolean): Scan | typeof REJECTED {
    const len = u.length;
    let j = scan;
    let isClose = close;
    if (j < 0) {
      j = i + this.#d.length;
      if (j < len && u[j] === DASH) {
        if (j + 1 >= len) {
          if (!eof) return this.#wait(i, -1, false);
        } else if (u[j + 1] === DASH) {
          isClose = true;
          j += 2;
        }
      }
    }
    // Padding, at most up to maxLine bytes from the boundary's start.
    const stop = Math.min(len, i + this.#maxLine + 1);
    const start = j;
    while (j < stop && isPadding(u[j]!)) j++;
    this.work += j - start + 1;
    if (j - i <= this.#maxLine) {
      if (j === len) {
        // Go on from here when more bytes come; from the dash check if nothing followed the boundary.
        if (!eof) return this.#wait(i, j === i + this.#d.length && !isClose ? -1 : j, isClose);
        this.next = j;
        return this.#found(u, i, isClose);
      }
      if (u[j] === LF) {
        this.next = j + 1;
        return this.#found(u, i, isClose);
      }
    }
    // Not a delimiter line (or absurd padding). The next candidate starts
    // after an LF, and there is none from i to j (boundary, dashes, padding).
    this.#rejectedTo = j;
    return REJECTED;
  }

  #found(u: Uint8Array, i: number, close: boolean): Scan {
    let end = i;
    if (i > 0) {
      end = i - 1; // the LF
      if (end > 0 && u[end - 1] === CR) end--;
    }
    this.end = end;
    this.close = close;
    this.#foundAt = i;
    return FOUND;
  }

  /** A candidate at `i` needs more bytes: go on from `scan` when they come. */
  #wait(i: number, scan: number, close: boolean): Scan {
    this.#waitAt = i;
    this.#waitScan = scan;
    this.#waitClose = close;
    this.#from = i;
    this.limit = i;
    return MORE;
  }
}
