/**
 * A download progress report for the command line: bytes so far, percent
 * and ETA when the total is known, and the rate. On a terminal it redraws
 * one line; elsewhere (a log, a pipe) it prints a plain line at most once a
 * second, and always a last one.
 *
 * @module
 */

/** `1536` → `"1.5 KiB"`. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `3725` → `"1:02:05"`, `65` → `"1:05"`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/**
 * The text of one report: `"  42.0 MiB / 100.0 MiB  42%  12.3 MiB/s  ETA 0:05"`,
 * or without a total `"  42.0 MiB  12.3 MiB/s"`. With `width`, a bar fills
 * what is left of the line.
 */
export function progressLine(done: number, total: number, elapsedSeconds: number, width = 0): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const rateText = `${formatBytes(Math.round(rate))}/s`;
  if (total < 0) return `${formatBytes(done)}  ${rateText}`;
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const eta = rate > 0 ? formatDuration((total - done) / rate) : "?";
  const text = `${formatBytes(done)} / ${formatBytes(total)}  ${Math.floor(fraction * 100)}%  ${rateText}  ETA ${eta}`;
  const barWidth = width - text.length - 4;
  if (barWidth < 10) return text;
  const filled = Math.round(fraction * barWidth);
  return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]  ${text}`;
}

/** Where reports go: a terminal (redrawn) or a plain stream. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Makes a `urlretrieve` report hook that draws progress on `stream`
 * (stderr by default). Call `finish(bytes)` after the download for the
 * last line (the hook only knows whole blocks; `bytes` is the exact count).
 */
export function progressReporter(
  stream: ProgressStream = process.stderr,
  now: () => number = () => performance.now(),
): {
  hook: (blocknum: number, blocksize: number, totalsize: number) => void;
  finish: (bytes?: number) => void;
} {
  const start = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let done = 0;
  let total = -1;
  const draw = (final: boolean) => {
    const elapsed = (now() - start) / 1000;
    if (stream.isTTY) {
      stream.write(
        `\r${progressLine(done, total, elapsed, (stream.columns ?? 80) - 1)}\x1b[K${final ? "\n" : ""}`,
      );
    } else stream.write(`${progressLine(done, total, elapsed)}\n`);
  };
  return {
    hook(blocknum, blocksize, totalsize) {
      total = totalsize;
      done = totalsize >= 0 ? Math.min(blocknum * blocksize, totalsize) : blocknum * blocksize;
      const interval = stream.isTTY ? 100 : 1000;
      if (now() - lastDraw >= interval) {
        lastDraw = now();
        draw(false);
      }
    },
    finish(bytes) {
      if (bytes !== undefined) done = bytes;
      draw(true);
    },
  };
}
