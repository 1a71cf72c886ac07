/**
 * `npm run bench`: compiles netkit and the benchmarks (so servers run as
 * users run them: plain JavaScript, no TypeScript loader), runs every
 * `bench/*.bench.ts` one after another, then writes docs/benchmarks.md.
 *
 *   npm run bench                 all benchmarks
 *   npm run bench -- socket-bulk  only those whose name contains "socket-bulk"
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const filter = process.argv[2];
const build = spawnSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.bench.json")],
  {
    stdio: "inherit",
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const built = join(root, ".bench-out/build/bench");
const benches = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(built, file.replace(/\.ts$/, ".js"))], {
    stdio: "inherit",
    timeout: 15 * 60_000,
  });
  console.log(`(${file}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (run.status !== 0) {
    failed++;
    console.error(`${file} failed with ${run.status ?? run.signal}`);
  }
}
const report = spawnSync(process.execPath, [join(built, "report.js")], { stdio: "inherit" });
process.exit(failed > 0 || report.status !== 0 ? 1 : 0);
