/**
 * A download's progress line, as curl and wget draw theirs: percent, a bar,
 * bytes so far and in all, the rate over the last seconds, and the time
 * left; at the end, the average rate and the time taken.
 *
 * ```text
 *  42% [##############.....................]   42.0 MiB / 100.0 MiB   12.3 MiB/s  ETA    0:05
 * 100% [###################################]  100.0 MiB / 100.0 MiB   12.1 MiB/s  in     0:08
 * ```
 *
 * Every field has a fixed width, so the bar does not move as the numbers
 * grow. On a terminal the line is redrawn in place (`\r`) five times a
 * second; elsewhere (a log, a pipe) a line is printed every second, as
 * wget prints its lines, and a last one at the end. Either way the line is
 * finished (a newline) before anything else is printed: `end()` is for the
 * ways out that are not `finish()`.
 *
 * @module
 */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** `1536` → `"1.5 KiB"`: at most 10 characters (`"1023.9 KiB"`). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.max(0, Math.round(n))} B`;
  let value = n;
  let unit = 0;
  // 1023.95 would show as "1024.0": move up a unit instead.
  while (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `3725` → `"1:02:05"`, `65` → `"1:05"`; past 99 hours, `"--:--"`. At most 8 characters. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= 100 * 3600) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** What one line shows. */
export interface ProgressState {
  /** Bytes so far. */
  done: number;
  /** Bytes in all, -1 when unknown. */
  total: number;
  /** Bytes a second. */
  rate: number;
  /** Seconds taken so far. */
  elapsed: number;
  /** The last line: the time taken instead of the time left. */
  final: boolean;
}

/**
 * The text of one line, `width` characters wide when `width` leaves room
 * for a bar (and no bar otherwise). Each field is padded to the most it can
 * hold, so the text is as wide at 1 byte as at 1 TiB.
 */
export function progressLine(state: ProgressState, width = 0): string {
  const { done, total, rate, elapsed, final } = state;
  const bytes =
    total >= 0
      ? `${formatBytes(done).padStart(10)} / ${formatBytes(total).padStart(10)}`
      : formatBytes(done).padStart(10);
  const speed = `${formatBytes(rate)}/s`.padStart(12);
  const time = final
    ? `in ${formatDuration(elapsed).padStart(9)}`
    : `ETA ${(total >= 0 && rate > 0 ? formatDuration((total - done) / rate) : "--:--").padStart(8)}`;
  const text = `${bytes}  ${speed}  ${time}`;
  if (total < 0) return text;
  const fraction = total === 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const barWidth = width - percent.length - text.length - 5; // " [" "]" "  "
  if (barWidth < 10) return `${percent}  ${text}`;
  const filled = Math.floor(fraction * barWidth);
  return `${percent} [${"#".repeat(filled)}${".".repeat(barWidth - filled)}]  ${text}`;
}

/** Where the line goes: a terminal (redrawn) or anything else (a line at a time). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options for `Progress`. */
export interface ProgressOptions {
  /** Where to draw. @default process.stderr */
  stream?: ProgressStream;
  /** Milliseconds between lines. @default 200 on a terminal, 1000 elsewhere */
  interval?: number;
  /** The clock, in milliseconds (tests pass their own). @default performance.now */
  now?: () => number;
}

/** How far back the rate looks, in milliseconds: recent enough to follow a change, long enough to be steady. */
const RATE_WINDOW_MS = 5000;

/**
 * A progress line for one download. Call `update()` as bytes arrive (it
 * only records them; a timer draws), then `finish()` for the last line, or
 * `end()` on any other way out (an error, Ctrl-C) so whatever is printed
 * next starts on a line of its own.
 */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #start: number;
  /** `[time, bytes]` samples of the last RATE_WINDOW_MS, oldest first. */
  readonly #samples: Array<[number, number]> = [];
  #done = 0;
  #total = -1;
  #first = 0;
  /** A terminal line is drawn and not yet finished with a newline. */
  #open = false;
  #ended = false;

  /**
   * @param done bytes already there before this run (a resumed download)
   * @param total bytes in all, -1 when unknown
   */
  constructor(done: number, total: number, options: ProgressOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
    this.#done = this.#first = done;
    this.#total = total;
    this.#samples.push([this.#start, done]);
    const interval = options.interval ?? (this.#stream.isTTY ? 200 : 1000);
    this.#timer = setInterval(() => this.draw(), interval);
    this.#timer.unref();
    this.draw();
  }

  /** Records that `done` bytes are there now (of `total`, if it changed). */
  update(done: number, total = this.#total): void {
    this.#done = done;
    this.#total = total;
  }

  /** Bytes a second: over the last few seconds while running, over the whole run at the end. */
  #rate(now: number, final: boolean): number {
    const seconds = (now - this.#start) / 1000;
    if (final) return seconds > 0 ? (this.#done - this.#first) / seconds : 0;
    this.#samples.push([now, this.#done]);
    while (this.#samples.length > 2 && now - this.#samples[1]![0] >= RATE_WINDOW_MS) this.#samples.shift();
    const [since, from] = this.#samples[0]!;
    return now > since ? ((this.#done - from) * 1000) / (now - since) : 0;
  }

  /** Draws the line now (the timer calls this). */
  draw(final = false): void {
    if (this.#ended) return;
    const now = this.#now();
    const state: ProgressState = {
      done: this.#done,
      total: this.#total,
      rate: this.#rate(now, final),
      elapsed: (now - this.#start) / 1000,
      final,
    };
    if (this.#stream.isTTY) {
      const width = (this.#stream.columns || 80) - 1; // a pty with no size says 0
      this.#stream.write(`\r${progressLine(state, width)}\x1b[K${final ? "\n" : ""}`);
      this.#open = !final;
    } else {
      this.#stream.write(`${progressLine(state)}\n`);
    }
  }

  /** The last line: all bytes there, the average rate and the time taken. */
  finish(): void {
    this.draw(true);
    this.end();
  }

  /** Stops drawing and finishes the line on a terminal; harmless twice. Call it before printing anything else. */
  end(): void {
    clearInterval(this.#timer);
    if (this.#open) this.#stream.write("\n");
    this.#open = false;
    this.#ended = true;
  }
}
