/**
 * The layer check (scripts/check-layers.mjs, run by `npm run lint`): a tree
 * that keeps every rule passes, comments and strings included; a tree that
 * breaks each rule once is caught once per file, with the rule's name and
 * the line; and netkit's own src/ passes. Each tree is written to a temporary
 * folder and the script runs as `npm run lint` runs it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const SCRIPT = join(root, "scripts/check-layers.mjs");
const work = mkdtempSync(join(tmpdir(), "netkit-layers-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Writes `files` (paths under src/) into a fresh folder; returns the folder. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, "src", path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/** Runs the check in `dir` on its src/ (or `src`): the exit code and the report lines. */
function check(dir: string, src = "src"): { status: number | null; lines: string[]; stdout: string } {
  const run = spawnSync(process.execPath, [SCRIPT, src], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, lines: run.stderr.split("\n").filter(Boolean), stdout: run.stdout };
}

test("check-layers passes a tree that keeps every rule, whatever its comments and strings say", () => {
  const files = {
    "errors/index.ts": "export class E extends Error {}\n",
    "_codecs.ts": 'import { E } from "./errors/index.js";\nexport const c = E;\n',
    "io/reader.ts":
      'import { Buffer } from "node:buffer";\nimport { c } from "../_codecs.js";\nexport const R = [Buffer, c];\n',
    "socket/_stream.ts": "export const x = 1;\n",
    "socket/socket.ts":
      'import * as net from "node:net";\nimport tls from "node:tls";\nimport dns from "node:dns/promises";\n' +
      'import { x } from "./_stream.js";\nimport { R } from "../io/reader.js";\nexport const S = [net, tls, dns, x, R];\n',
    "ssl.ts": 'export * from "./socket/socket.js";\n',
    "socketserver/forking.ts":
      'import cluster from "node:cluster";\nimport { S } from "../socket/socket.js";\nexport const F = [cluster, S];\n',
    "http/_server/base.ts":
      'import { S } from "../../socket/socket.js";\nimport { c } from "../../_codecs.js";\nimport { p } from "../../_pystr.js";\nexport const B = [S, c, p];\n',
    "http/server.ts": 'export { B } from "./_server/base.js";\n',
    "http/client.ts": 'import { S } from "../ssl.js";\nexport const H = S;\n',
    "_pystr.ts": "export const p = 1;\n",
    "urllib/request.ts":
      'import { H } from "../http/client.js";\nimport { VERSION } from "../version.js";\nexport const U = [H, VERSION];\n',
    "version.ts": 'export const VERSION = "1";\n',
    "xmlrpc/server.ts":
      'import { B } from "../http/server.js";\nimport type { F } from "../socketserver/forking.js";\nexport const X: [unknown, typeof F | null] = [B, null];\n',
    "cli/main.ts":
      'import "../xmlrpc/server.js";\nexport const run = async () => (await import("../http/server.js")).B;\n',
    "cli/notes.ts": [
      '// import net from "node:net";',
      "/**",
      ' * @example import { x } from "../../examples/simple_server.js";',
      ' * import { B } from "../http/_server/base.js";',
      " */",
      'export const text = "import(\'node:tls\')" + `require("node:dgram")`;',
      "",
    ].join("\n"),
  };
  const { status, lines, stdout } = check(tree("clean", files));
  assert.deepEqual(lines, []);
  assert.equal(status, 0);
  assert.match(
    stdout,
    new RegExp(`^check-layers: ${Object.keys(files).length} files, \\d+ imports, no violations\n$`),
  );
});

/**
 * Files that each break one rule: where the file goes (its folder decides
 * its layer), the rule, the line it breaks it on, and the text.
 */
const BROKEN: Array<[path: string, rule: string, line: number, text: string]> = [
  ["io/reader.ts", "layer", 1, 'import { S } from "../socket/socket.js";\nexport const R = S;\n'],
  [
    "socketserver/base.ts",
    "layer",
    2,
    '// a type still ties the layers\nimport type { H } from "../http/server.js";\n',
  ],
  ["errors/index.ts", "layer", 1, 'export type R = import("../io/reader.js").R;\n'],
  ["io/text.ts", "layer", 1, 'import { p } from "../_pystr.js";\nexport const T = p;\n'],
  [
    "http/cli.ts",
    "layer",
    3,
    '/**\n */\nimport { serve } from "../cli/serve.js";\nexport const C = serve;\n',
  ],
  ["xmlrpc/server.ts", "private", 1, 'import { B } from "../http/_server/base.js";\nexport const X = B;\n'],
  ["socketserver/servers.ts", "private", 1, 'export * from "../socket/_stream.js";\n'],
  ["http/client.ts", "builtin", 1, 'import type { Socket } from "node:net";\nexport type T = Socket;\n'],
  ["urllib/request.ts", "builtin", 1, 'import tls from "tls";\nexport const T = tls;\n'],
  ["http/server.ts", "builtin", 1, 'export const h = await import("node:http");\n'],
  ["socket/web.ts", "builtin", 1, 'import "node:https";\n'],
  [
    "cgi/index.ts",
    "builtin",
    2,
    'import { createRequire } from "node:module";\nexport const d = createRequire(import.meta.url)("node:dgram");\n',
  ],
  [
    "smtplib/client.ts",
    "builtin",
    3,
    'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\nexport const n = require("node:net");\n',
  ],
  ["xmlrpc/pool.ts", "builtin", 1, 'import cluster from "node:cluster";\nexport const c = cluster;\n'],
  ["cli/main.ts", "outside", 1, 'export const run = () => import("../../examples/simple_server.js");\n'],
  ["urllib/parse.ts", "self", 1, 'import { quote } from "netkit/urllib/parse";\nexport const q = quote;\n'],
  ["multipart/reader.ts", "dynamic", 2, 'const name = "./x.js";\nexport const m = await import(name);\n'],
];

test("check-layers catches each broken rule once, with the file, the line and the rule", () => {
  const files = Object.fromEntries(BROKEN.map(([path, , , text]) => [path, text]));
  const dir = tree("broken", { ...files, "helper.ts": "export const h = 1;\n" });
  const { status, lines } = check(dir);
  assert.equal(status, 1);
  const summary = lines.pop();
  assert.equal(
    summary,
    `check-layers: ${BROKEN.length + 1} violation(s) in src/ (the rules are at the top of scripts/check-layers.mjs)`,
  );
  const found = new Map(lines.map((line) => [line.split(":")[0]!, line]));
  assert.equal(found.size, lines.length, `one violation per file:\n${lines.join("\n")}`);
  for (const [path, rule, line] of BROKEN) {
    const report = found.get(`src/${path}`);
    assert.ok(report, `src/${path} was not caught:\n${lines.join("\n")}`);
    assert.match(report, new RegExp(`^src/${path}:${line}:\\d+  ${rule}  `), path);
  }
  assert.match(found.get("src/helper.ts")!, /root file with no layer: add it to ROOT_FILES/);
  assert.match(found.get("src/socketserver/base.ts")!, /layer "protocols", above "socketserver"/);
  assert.match(found.get("src/http/client.ts")!, /node:net is allowed only in src\/socket\//);
  assert.match(found.get("src/http/server.ts")!, /node:http is allowed nowhere in src\//);
});

test("check-layers passes netkit's own src/", () => {
  const { status, lines, stdout } = check(root);
  assert.deepEqual(lines, []);
  assert.equal(status, 0);
  assert.match(stdout, /no violations/);
});
