/**
 * The published shape: `npm pack` the package, install the tarball into an
 * empty project, and import every subpath by its public name, with its types;
 * the `netkit` command runs from the installed code alone, never from the
 * examples the package also ships. Installing runs no script (the build is
 * `prepack`'s), every source map and declaration map leads to a file the
 * package holds, and the README's quick start compiles with the `tsconfig.json`
 * `tsc --init` writes plus the options the README names, and runs on this Node.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { after, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
const work = mkdtempSync(join(tmpdir(), "netkit-pack-"));
after(() => rmSync(work, { recursive: true, force: true }));
const TSC = join(root, "node_modules/typescript/bin/tsc");

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * What in the installed package points at a missing file: a map's `sources`
 * entry, or a `sourceMappingURL` comment in a .js or .d.ts file.
 */
function danglingMapLinks(pkgDir: string): string[] {
  const dangling: string[] = [];
  for (const file of filesUnder(pkgDir)) {
    const where = relative(pkgDir, file);
    if (file.endsWith(".map")) {
      const map = JSON.parse(readFileSync(file, "utf8")) as { sources: string[]; sourceRoot?: string };
      for (const source of map.sources) {
        const target = resolve(dirname(file), map.sourceRoot ?? "", source);
        if (!existsSync(target)) dangling.push(`${where}: source ${source}`);
      }
    } else if (file.endsWith(".js") || file.endsWith(".d.ts")) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, "utf8"))?.[1];
      if (url && !existsSync(resolve(dirname(file), url))) dangling.push(`${where}: sourceMappingURL ${url}`);
    }
  }
  return dangling;
}

/**
 * The README's "Using netkit from another project": its tsconfig options (the
 * ```json block) and its TypeScript blocks (the quick start for a project of one's own).
 */
function quickStart(): { compilerOptions: Record<string, unknown>; programs: string[] } {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("## Using netkit from another project");
  assert.ok(start >= 0, "the README has a section on using netkit from another project");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end);
  const blocks = (lang: string) =>
    [...section.matchAll(new RegExp(`^\`\`\`${lang}\n([\\s\\S]*?)^\`\`\`$`, "gm"))].map((m) => m[1]!);
  const [json, ...moreJson] = blocks("json");
  assert.ok(json !== undefined && moreJson.length === 0, "the quick start has one tsconfig block");
  const programs = blocks("ts");
  assert.ok(programs.length >= 2, "the quick start shows `await using` and the try/finally form");
  return { ...(JSON.parse(json) as { compilerOptions: Record<string, unknown> }), programs };
}

test("npm pack installs into an empty project and every subpath imports with types", {
  timeout: 600_000, // three npm runs and two tsc runs: minutes on a busy machine
}, async () => {
  // npm pack builds the package first (the prepack script).
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], {
    cwd: root,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop()!;
  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", join(work, tarball)], {
    cwd: app,
    encoding: "utf8",
  });
  assert.equal(install.status, 0, install.stderr);
  // Installing runs no script, so npm has nothing to warn about (a `prepare` script drew
  // "install-scripts ... netkit@0.1.0 (prepare: npm run build)").
  assert.doesNotMatch(install.stderr, /install-scripts|prepare|netkit@/, install.stderr);
  const installed = join(app, "node_modules/netkit");
  const installedPkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  for (const hook of ["preinstall", "install", "postinstall", "prepare"]) {
    assert.equal(installedPkg.scripts?.[hook], undefined, `the package has a "${hook}" script`);
  }

  // Go-to-definition lands on real code: every map and declaration map leads to a shipped file.
  assert.ok(
    filesUnder(installed).some((f) => f.endsWith(".d.ts.map")),
    "the package has declaration maps",
  );
  assert.deepEqual(danglingMapLinks(installed), []);

  // Runtime: each subpath resolves and exports something.
  const script = subpaths
    .map(
      (s, i) =>
        `import * as m${i} from "netkit/${s.slice(2)}"; if (Object.keys(m${i}).length === 0) throw new Error("${s} exports nothing");`,
    )
    .join("\n");
  writeFileSync(join(app, "check.mjs"), `${script}\nconsole.log("ok");\n`);
  const run = spawnSync(process.execPath, ["check.mjs"], { cwd: app, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), "ok");

  // Types: a TypeScript consumer compiles against the declarations.
  writeFileSync(
    join(app, "check.ts"),
    `import { Socket, AF_INET } from "netkit/socket";
import { ThreadingTCPServer, StreamRequestHandler, type IdleClosable, UDPServer, UnixStreamServer, DatagramRequestHandler } from "netkit/socketserver";
import { closeIdleHandlers, serveUntilInterrupted, trackHandler } from "netkit/socketserver";
import { BufferedReader } from "netkit/io";
import { OSError, argTypeError } from "netkit/errors";
import { urlsplit, quote } from "netkit/urllib/parse";
import { Request, urlopen, urlretrieve } from "netkit/urllib/request";
import { HTTPServer } from "netkit/http/server";
import { ServerProxy } from "netkit/xmlrpc/client";
import { SimpleXMLRPCServer } from "netkit/xmlrpc/server";
const s: Socket = new Socket(AF_INET);
class H extends StreamRequestHandler { override async handle(): Promise<void> { await this.wfile.write(Buffer.from("x")); } }
const srv = new ThreadingTCPServer(["127.0.0.1", 0], H);
class Session extends StreamRequestHandler implements IdleClosable {
  closeWhenIdle(): void { this.connection.close(); }
  override async setup(): Promise<void> { await super.setup(); trackHandler(this.server, this); }
}
const serving = (): Promise<void> => serveUntilInterrupted(srv, { onServing: () => closeIdleHandlers(srv) });
const port: number | null = urlsplit("http://h:80/").port;
// serverAddress is typed by the server's family: no cast.
const [host, boundPort]: [string, number] = [srv.serverAddress[0], srv.serverAddress[1]];
const udpPort: number = new UDPServer(["127.0.0.1", 0], DatagramRequestHandler, false).serverAddress[1];
const path: string = new UnixStreamServer("/tmp/netkit.sock", H, false).serverAddress;
const httpPort: number = new HTTPServer(["127.0.0.1", 0], H, false).serverAddress[1];
const rpcPort: number = new SimpleXMLRPCServer(["127.0.0.1", 0], { bindAndActivate: false }).serverAddress[1];
await s.connect(srv.serverAddress);
// @ts-expect-error a TCP server's address is not a path
const notPath: string = srv.serverAddress;
// URLs are WHATWG URLs or strings.
const url = new URL("http://127.0.0.1:8000/");
const req = new Request(url);
const opened: Promise<unknown> = urlopen(url);
const fetched: Promise<unknown> = urlretrieve(url, "/tmp/x");
const proxy = new ServerProxy(url);
const code: "ERR_INVALID_ARG_TYPE" = argTypeError("f", "x", "str", 1).code;
export const values: unknown[] = [s, srv, Session, serving, BufferedReader, OSError, port, quote("a b"),
  host, boundPort, udpPort, path, httpPort, rpcPort, notPath, req, opened, fetched, proxy, code];
`,
  );
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        lib: ["ES2023", "ESNext.Disposable"],
      },
      files: ["check.ts"],
    }),
  );
  execFileSync("ln", ["-s", join(root, "node_modules/@types"), join(app, "node_modules/@types")]);
  const tsc = spawnSync(process.execPath, [TSC, "-p", app], { encoding: "utf8" });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

  // The README's quick start, in a project set up as the README says: `tsc --init`'s
  // tsconfig.json with the README's options on top; compiled, then run on this Node.
  const { compilerOptions, programs } = quickStart();
  const quick = join(app, "quickstart");
  mkdirSync(quick);
  const init = spawnSync(process.execPath, [TSC, "--init"], { cwd: quick, encoding: "utf8" });
  assert.equal(init.status, 0, init.stdout + init.stderr);
  const names = programs.map((_, i) => `quickstart${i}.ts`);
  for (const [i, program] of programs.entries()) writeFileSync(join(quick, names[i]!), program);
  writeFileSync(
    join(quick, "tsconfig.readme.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions, files: names }),
  );
  const built = spawnSync(process.execPath, [TSC, "-p", join(quick, "tsconfig.readme.json")], {
    encoding: "utf8",
  });
  assert.equal(built.status, 0, built.stdout + built.stderr);
  for (const name of names) {
    const ran = spawnSync(process.execPath, [join(quick, name.replace(/\.ts$/, ".js"))], {
      cwd: quick,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(ran.status, 0, `${name}: ${ran.stderr}`);
    assert.equal(ran.stdout, "hello\n\n", name);
  }

  // The bin: `netkit --help` lists the subcommands.
  const netkit = join(app, "node_modules/.bin/netkit");
  const help = spawnSync(netkit, ["--help"], { encoding: "utf8" });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /simple-server/);

  // The bin imports nothing from dist/examples: the installed code passes the
  // layer check (which refuses any import outside dist/src, the lazily loaded
  // subcommands' included), and the tutorial's commands run with the examples gone.
  const layers = spawnSync(
    process.execPath,
    [join(root, "scripts/check-layers.mjs"), join(installed, "dist/src")],
    { encoding: "utf8" },
  );
  assert.equal(layers.status, 0, layers.stderr);
  rmSync(join(installed, "dist/examples"), { recursive: true });
  const server = spawn(netkit, ["simple-server", "--port", "0", "--count", "1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
  let said = "";
  const port = await new Promise<number>((resolve, reject) => {
    server.stderr.on("data", (b: Buffer) => {
      said += b.toString();
      const m = /port (\d+)/.exec(said);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`netkit simple-server exited: ${said}`)));
  });
  const client = spawnSync(netkit, ["simple-client", "--port", String(port)], {
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(client.stdout.trim(), "Thank you for connecting", client.stderr);
  assert.equal(await exited, 0, said);
});
