/**
 * CGI scripts written in TypeScript against netkit's source, for the tests
 * that run them under `CGIHTTPRequestHandler` (as child processes).
 *
 * When the tests run as root, the server runs each script as `nobody`, as
 * Python's does, and nobody may not be able to read the clone: a clone in a
 * private folder (`mktemp -d`, mode 0700) hides `src/` and `node_modules/`
 * (tsx) from it. So a script is not a stub that loads netkit through tsx: it
 * is bundled by esbuild (tsx's own dependency) into one self-contained `.mjs`
 * file, which needs nothing from the clone, and written where the test puts
 * its `cgi-bin/` (a temporary folder all users can read). The script still
 * runs through the real CGI path, as nobody.
 *
 * ```ts
 * await writeCgiScript(join(dir, "cgi-bin", "rpc.mjs"), `import { X } from "./src/xmlrpc/server.ts"; ...`);
 * ```
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, linkSync, mkdtempSync, rmSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { nobodyIds } from "../../src/http/_server/cgi.js";

/** The clone's root: scripts' relative imports start here. */
export const ROOT = resolve(import.meta.dirname, "../..");

/** The part of esbuild's API used here (esbuild is tsx's dependency, not ours: no types). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[] }>;
}
let esbuild: Esbuild | undefined;

/** The user CGI scripts run as: `nobody` when the tests run as root, else `null` (the tests' own user). */
export function scriptUser(): { uid: number; gid: number } | null {
  return typeof process.getuid === "function" && process.getuid() === 0 ? nobodyIds() : null;
}

let interpreter: string | undefined;

/**
 * A path to this Node binary that the script's user can run. Node installed
 * under a private home (nvm in /root) is out of nobody's reach: then the
 * binary is linked (or copied) into a folder all users can read, removed when
 * the process exits.
 */
function nodeFor(user: { uid: number; gid: number } | null): string {
  if (interpreter !== undefined) return interpreter;
  if (user === null || runAs(user, process.execPath, ["--version"]).status === 0) {
    interpreter = process.execPath;
    return interpreter;
  }
  const dir = mkdtempSync(join(tmpdir(), "netkit-node-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const copy = join(dir, "node");
  try {
    linkSync(process.execPath, copy);
  } catch {
    copyFileSync(process.execPath, copy);
  }
  chmodSync(copy, 0o755);
  interpreter = copy;
  return interpreter;
}

/** Runs `command args` as `user`. */
function runAs(user: { uid: number; gid: number }, command: string, args: string[]) {
  return spawnSync(command, args, { uid: user.uid, gid: user.gid, stdio: "ignore", timeout: 60_000 });
}

/**
 * Bundles `source` (TypeScript; relative imports start at the clone's root,
 * so `./src/cgi/index.ts` is netkit's cgi module) into one executable ESM
 * file at `path`, whose `#!` line runs Node. Checks that the user the server
 * will run it as (see `scriptUser`) can read it.
 * @param path where the script goes, inside the test's `cgi-bin/`
 * @param source the script's TypeScript text
 * @throws when esbuild fails, when Node's path has a space (no `#!` line can
 *   name it), or when the script's user cannot read `path` (a private TMPDIR,
 *   for one)
 */
export async function writeCgiScript(path: string, source: string): Promise<void> {
  esbuild ??= createRequire(import.meta.resolve("tsx"))("esbuild") as Esbuild;
  const user = scriptUser();
  const node = nodeFor(user);
  // The kernel splits a #! line at whitespace: the interpreter's path must have none.
  if (/\s/.test(node))
    throw new Error(`Cannot write a #! line for Node at ${JSON.stringify(node)}: it has a space`);
  await esbuild.build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: "cgi-script.ts", loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: path,
    // CommonJS dependencies bundled into ESM (iconv-lite) call require() for
    // Node's built-ins; an ESM file has none unless it makes one.
    banner: {
      js: `#!${node}\nimport { createRequire as __netkitRequire } from "node:module";\nconst require = __netkitRequire(import.meta.url);`,
    },
    logLevel: "silent",
  });
  await chmod(path, 0o755);
  const check = `const fs = require("fs"); fs.accessSync(${JSON.stringify(path)}, fs.constants.R_OK | fs.constants.X_OK)`;
  const r = user === null ? null : runAs(user, node, ["-e", check]);
  if (r?.error) throw new Error(`Cannot run Node as uid ${user!.uid}: ${r.error.message}`);
  if (r && r.status !== 0) {
    throw new Error(
      `Cannot give the CGI script to uid ${user!.uid}: it cannot read ${JSON.stringify(path)} (is TMPDIR private?)`,
    );
  }
}
