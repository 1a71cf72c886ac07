/**
 * Runs generated examples one after another in this process and reports each
 * to the parent (test/docs/examples.test.ts) over IPC: `{ index, error? }`.
 * Each has `timeoutMs` to finish; what it leaves open (a server it did not
 * close) is ended with this process. An unhandled rejection or uncaught
 * exception is charged to the example running when it happened.
 *   node --import tsx test/docs/_run-examples.ts TIMEOUT_MS FILE...
 */
import { pathToFileURL } from "node:url";

const [timeoutArg, ...files] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg);
let fail: ((error: unknown) => void) | null = null;
process.on("unhandledRejection", (error) => fail?.(error));
process.on("uncaughtException", (error) => fail?.(error));

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}

for (const [index, file] of files.entries()) {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<string | null>((resolve) => {
    fail = (error) => resolve(describe(error));
    timer = setTimeout(() => resolve(`did not finish within ${timeoutMs} ms`), timeoutMs);
    import(pathToFileURL(file!).href)
      .then((module: { default: () => Promise<void> }) => module.default())
      .then(
        () => resolve(null),
        (error: unknown) => resolve(describe(error)),
      );
  });
  clearTimeout(timer);
  fail = null;
  process.send!({ index, error: outcome });
}
process.exit(0);
