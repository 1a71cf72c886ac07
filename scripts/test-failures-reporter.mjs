/**
 * A node:test reporter that prints nothing while the suite runs and, at the
 * end, one block per failed test: its file, its name (with the names of the
 * tests it is nested in) and the first lines of its error. `run-tests.mjs`
 * runs it beside the TAP reporter and prints its output after the suite, so
 * the failures are the last thing a CI log shows, where a log cut to its tail
 * still has them.
 */

/** Lines of an error message (and of its stack) kept per failure. */
const ERROR_LINES = 12;

/** The message and stack of a failed test's error, as a few lines of text. */
function describe(error) {
  const cause = error?.cause ?? error;
  const text = cause?.stack ?? cause?.message ?? String(cause);
  // Frames inside Node (its test runner, async hooks) say nothing about the failure.
  const lines = String(text)
    .split("\n")
    .filter((line) => !/^\s+at .*\(?node:/.test(line) && !/^\s+at new Promise/.test(line));
  return lines.slice(0, ERROR_LINES).join("\n");
}

export default async function* failures(source) {
  const open = []; // names of the tests started and not yet ended, by nesting level
  const failed = [];
  for await (const event of source) {
    const data = event.data;
    if (event.type === "test:start") {
      open[data.nesting] = data.name;
      open.length = data.nesting + 1;
    } else if (event.type === "test:fail") {
      const path = [...open.slice(0, data.nesting), data.name].join(" > ");
      // A suite fails when a test inside it fails: name only the test itself.
      const inner = data.details?.error?.failureType === "subtestsFailed";
      if (!inner)
        failed.push({ file: data.file ?? "(unknown file)", path, error: describe(data.details?.error) });
    }
  }
  if (failed.length === 0) return;
  yield `\n== ${failed.length} failed test${failed.length === 1 ? "" : "s"}\n`;
  for (const f of failed) {
    yield `\n-- ${f.file}\n   ${f.path}\n${f.error.replace(/^/gm, "   ")}\n`;
  }
}
