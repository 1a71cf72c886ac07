/**
 * The download progress line (src/cli/progress.ts): its fields and their
 * fixed widths, the rate and time left, a line at a steady interval
 * without a terminal, and the line finished before anything else.
 */
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import fc from "fast-check";
import { formatBytes, formatDuration, Progress, progressLine } from "../../src/cli/progress.js";

test("formatBytes() and formatDuration() read as curl's and wget's, within their widths", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(1048575), "1.0 MiB"); // not "1024.0 KiB"
  assert.equal(formatBytes(5 * 1024 ** 3), "5.0 GiB");
  assert.equal(formatDuration(65), "1:05");
  assert.equal(formatDuration(3725), "1:02:05");
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), "--:--");
  assert.equal(formatDuration(400 * 3600), "--:--");
  fc.assert(
    fc.property(fc.double({ min: 0, max: 2 ** 53, noNaN: true }), (n) => formatBytes(n).length <= 10),
    { seed: 13, numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (s) => formatDuration(s).length <= 8),
    { seed: 13, numRuns: 2000 },
  );
});

test("progressLine() shows percent, a bar, bytes, rate and time left", () => {
  const line = progressLine({ done: 50, total: 100, rate: 10, elapsed: 5, final: false }, 100);
  assert.equal(line.length, 100);
  assert.match(line, /^ 50% \[#+\.+\] {8}50 B \/ {6}100 B {8}10 B\/s {2}ETA {5}0:05$/);
  const last = progressLine({ done: 100, total: 100, rate: 10, elapsed: 10, final: true }, 100);
  assert.match(last, /^100% \[#+\] .* in {6}0:10$/);
  const unknown = progressLine({ done: 2048, total: -1, rate: 1024, elapsed: 2, final: false }, 100);
  assert.equal(unknown, "   2.0 KiB     1.0 KiB/s  ETA    --:--");
  // Too narrow for a bar: the numbers alone.
  assert.equal(
    progressLine({ done: 1, total: 2, rate: 0, elapsed: 0, final: false }, 40).includes("["),
    false,
  );
});

test("progressLine() keeps its width as the numbers grow (the bar does not move)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 2 ** 50, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 2 ** 40, noNaN: true }),
      fc.boolean(),
      fc.integer({ min: 80, max: 300 }),
      (total, fraction, rate, final, width) => {
        const done = total * fraction;
        const line = progressLine({ done, total, rate, elapsed: 12, final }, width);
        const plain = progressLine({ done, total, rate, elapsed: 12, final });
        const start = progressLine({ done: 0, total, rate: 0, elapsed: 0, final: !final });
        return line.length === width && plain.length === start.length;
      },
    ),
    { seed: 7, numRuns: 1000 },
  );
});

/** A stream that records what is written. */
function recorder(isTTY: boolean, columns = 80) {
  const writes: string[] = [];
  return { writes, stream: { write: (t: string) => writes.push(t), isTTY, columns } };
}

test("Progress without a terminal prints a line at a steady interval, then the last one", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    let clock = 0;
    const { writes, stream } = recorder(false);
    const progress = new Progress(0, 10_000, { stream, now: () => clock });
    for (let second = 1; second <= 5; second++) {
      clock = second * 1000;
      progress.update(second * 1000);
      mock.timers.tick(1000);
    }
    progress.finish();
    assert.equal(writes.length, 7, writes.join(""));
    assert.ok(writes.every((w) => w.endsWith("\n") && !w.includes("\r")));
    assert.deepEqual(
      writes.map((w) => w.trim().split(/\s+/)[0]),
      ["0%", "10%", "20%", "30%", "40%", "50%", "50%"],
    );
    // The rate is what arrived in the last seconds: 1000 B/s; the time left follows from it.
    assert.match(writes[5]!, /1000 B\/s {2}ETA {5}0:05\n$/);
    assert.match(writes[6]!, / in {6}0:05\n$/);
    mock.timers.tick(10_000);
    assert.equal(writes.length, 7, "no line after finish()");
  } finally {
    mock.timers.reset();
  }
});

test("Progress on a terminal redraws one line and finishes it before anything else", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    let clock = 0;
    const { writes, stream } = recorder(true, 100);
    const progress = new Progress(500, 1000, { stream, now: () => clock });
    clock = 200;
    progress.update(600);
    mock.timers.tick(200);
    assert.ok(writes.every((w) => w.startsWith("\r") && w.endsWith("\x1b[K")));
    // Every redraw is as wide as the terminal less one column (no wrap).
    assert.ok(writes.every((w) => w.length === "\r".length + 99 + "\x1b[K".length));
    progress.end(); // an error or Ctrl-C: the line is finished with a newline
    assert.equal(writes.at(-1), "\n");
    progress.end();
    mock.timers.tick(1000);
    assert.equal(writes.at(-1), "\n", "end() twice writes nothing more; no redraw after it");
  } finally {
    mock.timers.reset();
  }
});

test("Progress.finish() on a terminal ends the line it draws", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const { writes, stream } = recorder(true, 0); // a pseudo-terminal with no size: 80 columns
    const progress = new Progress(0, 10, { stream, now: () => 1000 });
    progress.update(10);
    progress.finish();
    assert.ok(writes.at(-1)!.endsWith("\x1b[K\n"));
    assert.equal(writes.at(-1)!.length, "\r".length + 79 + "\x1b[K\n".length);
    assert.equal(writes.filter((w) => w === "\n").length, 0, "no second newline");
  } finally {
    mock.timers.reset();
  }
});
