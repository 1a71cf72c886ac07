/**
 * Error names are written in the source (`nameErrors`), never taken from
 * `constructor.name`: every error class a public module exports reports the
 * name it is exported under, and a bundle minified by esbuild (which renames
 * classes) still prints `HTTPException: ...`, `ValueError: ...`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "netkit-names-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The src/ file of each public entry point in package.json's exports. */
function publicModules(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: Record<string, string | { default: string }>;
  };
  return Object.values(pkg.exports)
    .map((v) => (typeof v === "string" ? v : v.default))
    .filter((p) => p.startsWith("./dist/src/"))
    .map((p) => join(root, p.replace("./dist/", "").replace(/\.js$/, ".ts")));
}

test("nameErrors() gives every exported error class the name it is exported under", async () => {
  const unnamed: string[] = [];
  let checked = 0;
  for (const file of publicModules()) {
    const ns = (await import(file)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(ns)) {
      if (typeof value !== "function" || !(value.prototype instanceof Error)) continue;
      checked++;
      const proto = value.prototype as Error;
      // An alias (socket.timeout, ssl.CertificateError) reports the class it stands for.
      const named = Object.hasOwn(proto, "name") && (proto.name === key || ns[proto.name] === value);
      if (!named)
        unnamed.push(`${file.slice(root.length + 1)}: ${key} reports ${JSON.stringify(proto.name)}`);
    }
  }
  assert.ok(checked > 60, `only ${checked} error classes found`);
  assert.deepEqual(unnamed, [], unnamed.join("\n"));
});

test("error names and reprs survive a minified bundle (esbuild renames the classes)", () => {
  const esbuild = createRequire(import.meta.resolve("tsx"))("esbuild") as typeof import("esbuild");
  const entry = join(work, "entry.ts");
  const src = (path: string) => JSON.stringify(join(root, "src", path));
  writeFileSync(
    entry,
    `import { ValueError, ConnectionRefusedError, KeyError } from ${src("errors/index.ts")};
import { HTTPException, RemoteDisconnected } from ${src("http/errors.ts")};
import { Fault } from ${src("xmlrpc/_errors.ts")};
import { gaierror } from ${src("socket/errors.ts")};
import { HTTPError } from ${src("urllib/error.ts")};
import { SimpleCookie } from ${src("http/cookies.ts")};
import { urlsplit } from ${src("urllib/parse.ts")};
const errors = [new ValueError("v"), new ConnectionRefusedError(111), new KeyError("k"), new HTTPException("h"),
  new RemoteDisconnected("r"), new Fault(1, "f"), new gaierror(-2), new HTTPError("http://x/", 404, "nf", {}, null)];
console.log(JSON.stringify({ names: errors.map((e) => e.name), strings: errors.map(String).slice(0, 2),
  renamed: errors.map((e) => e.constructor.name),
  reprs: [new SimpleCookie("a=1").repr(), String(urlsplit("http://h/p"))] }));
`,
  );
  const out = join(work, "bundle.mjs");
  esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    outfile: out,
    // The CommonJS packages bundled in (iconv-lite) require() Node's built-ins.
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
    logLevel: "silent",
  });
  const run = spawnSync(process.execPath, [out], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr.slice(-2000));
  const got = JSON.parse(run.stdout) as {
    names: string[];
    strings: string[];
    renamed: string[];
    reprs: string[];
  };
  const expected = [
    "ValueError",
    "ConnectionRefusedError",
    "KeyError",
    "HTTPException",
    "RemoteDisconnected",
    "Fault",
    "gaierror",
    "HTTPError",
  ];
  // The bundle must really have renamed the classes, or this test proves nothing.
  assert.notDeepEqual(got.renamed, expected);
  assert.deepEqual(got.names, expected);
  assert.deepEqual(got.strings, ["ValueError: v", "ConnectionRefusedError: [Errno 111] Connection refused"]);
  assert.deepEqual(got.reprs, [
    "<SimpleCookie: a='1'>",
    "SplitResult(scheme='http', netloc='h', path='/p', query='', fragment='')",
  ]);
});
