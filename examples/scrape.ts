/**
 * The tutorial's use of urllib with `re`: download a web page, pull the
 * information out with a regular expression, and print a report.
 *
 * The page lists releases as `<tr class="release">` rows; the report gives
 * each release, newest first, and the total downloads.
 *
 * Python:
 * ```python
 * text = urlopen(url).read().decode()
 * for name, version, downloads in re.findall(PATTERN, text): ...
 * ```
 *
 * Run: `npx tsx examples/scrape.ts URL` (`npm start` serves a page and runs it)
 */
import { urlopen } from "../src/urllib/request.js";
import { isMain } from "./_args.js";

/** One row of the release table. */
export interface Release {
  name: string;
  version: string;
  downloads: number;
}

/** A release row: name, version, and a download count with thousands separators. */
const RELEASE =
  /<tr class="release">\s*<td>([^<]+)<\/td>\s*<td>(\d+(?:\.\d+)*)<\/td>\s*<td>([\d,]+)<\/td>\s*<\/tr>/g;

/** Pulls the releases out of a page's HTML. Pure: no I/O. */
export function extractReleases(html: string): Release[] {
  return [...html.matchAll(RELEASE)].map(([, name, version, downloads]) => ({
    name: name!.trim(),
    version: version!,
    downloads: Number(downloads!.replaceAll(",", "")),
  }));
}

/** Compares dotted versions numerically: "1.10" > "1.9". */
function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The report's lines: one per release, newest first, then the total. */
export function report(releases: Release[]): string[] {
  const sorted = [...releases].sort((a, b) => compareVersions(b.version, a.version));
  const width = Math.max(4, ...sorted.map((r) => r.name.length));
  const lines = sorted.map(
    (r) =>
      `${r.name.padEnd(width)}  ${r.version.padEnd(8)}  ${r.downloads.toLocaleString("en-US").padStart(9)}`,
  );
  const total = releases.reduce((sum, r) => sum + r.downloads, 0);
  lines.push(`${"total".padEnd(width)}  ${"".padEnd(8)}  ${total.toLocaleString("en-US").padStart(9)}`);
  return lines;
}

/** Downloads `url`, extracts its releases and returns the report. */
export async function scrape(url: string): Promise<string[]> {
  await using res = await urlopen(url, { timeout: 10 });
  const charset = /charset=([\w-]+)/i.exec(res.headers.get("content-type") ?? "")?.[1] ?? "utf-8";
  const html = new TextDecoder(charset).decode(await res.read());
  return report(extractReleases(html));
}

/** The page `npm start` serves for this example. */
export const SAMPLE_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Releases</title></head><body>
<h1>netkit releases</h1>
<table>
<tr><th>name</th><th>version</th><th>downloads</th></tr>
<tr class="release"><td>netkit</td><td>0.9</td><td>1,204</td></tr>
<tr class="release"><td>netkit</td><td>0.10</td><td>3,876</td></tr>
<tr class="release"><td>netkit-cli</td><td>0.2.1</td><td>512</td></tr>
<tr class="note"><td colspan="3">older releases are archived</td></tr>
</table></body></html>
`;

if (isMain(import.meta.url)) {
  const url = process.argv[2];
  if (!url) {
    console.error("usage: scrape.ts URL");
    process.exitCode = 2;
  } else for (const line of await scrape(url)) console.log(line);
}
