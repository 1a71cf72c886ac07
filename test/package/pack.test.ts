/**
 * The published shape: `npm pack` the package, install the tarball into an
 * empty project, and import every subpath by its public name, with its types;
 * the `netkit` command runs from the installed code alone, never from the
 * examples the package also ships.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
const work = mkdtempSync(join(tmpdir(), "netkit-pack-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("npm pack installs into an empty project and every subpath imports with types", {
  timeout: 600_000, // three npm runs and two tsc runs: minutes on a busy machine
}, async () => {
  // npm pack builds the package first (the prepare script).
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
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", join(work, tarball)], {
    cwd: app,
    stdio: "ignore",
  });

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
import { ThreadingTCPServer, StreamRequestHandler, type IdleClosable } from "netkit/socketserver";
import { closeIdleHandlers, serveUntilInterrupted, trackHandler } from "netkit/socketserver";
import { BufferedReader } from "netkit/io";
import { OSError } from "netkit/errors";
import { urlsplit, quote } from "netkit/urllib/parse";
const s: Socket = new Socket(AF_INET);
class H extends StreamRequestHandler { override async handle(): Promise<void> { await this.wfile.write(Buffer.from("x")); } }
const srv = new ThreadingTCPServer(["127.0.0.1", 0], H);
class Session extends StreamRequestHandler implements IdleClosable {
  closeWhenIdle(): void { this.connection.close(); }
  override async setup(): Promise<void> { await super.setup(); trackHandler(this.server, this); }
}
const serving = (): Promise<void> => serveUntilInterrupted(srv, { onServing: () => closeIdleHandlers(srv) });
const port: number | null = urlsplit("http://h:80/").port;
export const values: unknown[] = [s, srv, Session, serving, BufferedReader, OSError, port, quote("a b")];
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
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", app], {
    encoding: "utf8",
  });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

  // The bin: `netkit --help` lists the subcommands.
  const netkit = join(app, "node_modules/.bin/netkit");
  const help = spawnSync(netkit, ["--help"], { encoding: "utf8" });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /simple-server/);

  // The bin imports nothing from dist/examples: the installed code passes the
  // layer check (which refuses any import outside dist/src, the lazily loaded
  // subcommands' included), and the tutorial's commands run with the examples gone.
  const installed = join(app, "node_modules/netkit");
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
