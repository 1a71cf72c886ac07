/**
 * Writes docs/benchmarks.md from the results in .bench-out/*.json, with one
 * SVG bar chart per benchmark (docs/benchmarks/<bench>.svg). Results that a
 * run did not produce keep their last committed section, so running one
 * benchmark does not erase the others.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmt, OUT_DIR, type Result, ROOT } from "./_lib.js";

const DOCS = join(ROOT, "docs");
const CHARTS = join(DOCS, "benchmarks");
const STORE = join(DOCS, "benchmarks.json");

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A horizontal bar chart: one bar a row, netkit's bars in a colour of their own. */
export function barChart(result: Result): string {
  const rows = result.rows;
  const labelWidth = 430;
  const barWidth = 360;
  const rowHeight = 26;
  const top = 34;
  const height = top + rows.length * rowHeight + 12;
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const bars = rows
    .map((row, i) => {
      const y = top + i * rowHeight;
      const w = Math.max(1, (row.value / max) * barWidth);
      const color = row.netkit ? "#2f6fdf" : "#9aa4b2";
      return [
        `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(row.name)}</text>`,
        `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>`,
        `<text x="${labelWidth + w + 6}" y="${y + 16}">${escapeXml(`${fmt(row.value)} ${row.unit}`)}</text>`,
      ].join("");
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(result.title)}" width="${labelWidth + barWidth + 150}" height="${height}" font-family="sans-serif" font-size="12">
<title>${escapeXml(result.title)}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="8" y="20" font-weight="bold">${escapeXml(result.title)}</text>
${bars}
</svg>
`;
}

function section(result: Result): string {
  const best =
    result.better === "higher"
      ? Math.max(...result.rows.map((r) => r.value))
      : Math.min(...result.rows.map((r) => r.value));
  const table = result.rows
    .map(
      (r) =>
        `| ${r.netkit ? `**${r.name}**` : r.name} | ${fmt(r.value)} ${r.unit} | ${(r.value / best).toFixed(2)}x |`,
    )
    .join("\n");
  const lines = [
    `## ${result.title}`,
    "",
    `![${result.bench}](benchmarks/${result.bench}.svg)`,
    "",
    "| what | result | vs best |",
    "| --- | --- | --- |",
    table,
    "",
  ];
  if (result.goal) lines.push(`Goal: ${result.goal.text}: **${result.goal.met ? "met" : "not met"}**.`, "");
  for (const note of result.notes ?? []) lines.push(note, "");
  lines.push(`Measured ${result.date} with \`${result.command}\` on ${result.machine}.`, "");
  return lines.join("\n");
}

const stored: Record<string, Result> = existsSync(STORE) ? JSON.parse(readFileSync(STORE, "utf8")) : {};
if (existsSync(OUT_DIR)) {
  for (const file of readdirSync(OUT_DIR).filter((f) => f.endsWith(".json"))) {
    const result = JSON.parse(readFileSync(join(OUT_DIR, file), "utf8")) as Result;
    stored[result.bench] = result;
  }
}
mkdirSync(CHARTS, { recursive: true });
const results = Object.values(stored).sort((a, b) => a.bench.localeCompare(b.bench));
for (const result of results) writeFileSync(join(CHARTS, `${result.bench}.svg`), barChart(result));
writeFileSync(STORE, `${JSON.stringify(stored, null, 2)}\n`);
writeFileSync(
  join(DOCS, "benchmarks.md"),
  [
    "# Benchmarks",
    "",
    "Every number here was measured on this project's machines by `npm run bench`, which runs",
    "netkit and its peers (raw Node, python3, the best npm package) in one run and reports ratios.",
    "Servers and load generators run as separate processes pinned to separate cores where",
    "`taskset` is available; netkit runs as compiled JavaScript. Benchmarks are never part of `npm test`.",
    "Bars in blue are netkit.",
    "",
    ...results.map(section),
  ].join("\n"),
);
// Generated tables in the layout the formatter keeps, so `npm run lint` stays clean.
spawnSync(
  process.execPath,
  [
    join(ROOT, "node_modules/@biomejs/biome/bin/biome"),
    "format",
    "--write",
    join(DOCS, "benchmarks.md"),
    STORE,
  ],
  {
    stdio: "ignore",
  },
);
console.log(`wrote docs/benchmarks.md (${results.length} benchmarks)`);
