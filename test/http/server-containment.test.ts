/**
 * SimpleHTTPRequestHandler never serves what lies outside its directory,
 * on every path that opens a file system entry: a small file read with
 * synchronous calls, a small file read asynchronously, a large file, a
 * directory listing, an index file, HEAD and Range. Three attacks, each on
 * every path: a symbolic link inside that points out; the served directory
 * (a symbolic link) swapped to another while the server runs, so its old
 * target is now outside; and the requested entry replaced by a symbolic
 * link out between two requests (the check is made on each request).
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { containedPath } from "../../src/http/_server/files.js";
import { CGIHTTPRequestHandler, SimpleHTTPRequestHandler } from "../../src/http/server.js";
import { rawRequest, startServer, statusOf } from "./server-support.js";

const base = mkdtempSync(join(tmpdir(), "netkit-httpd-contain-"));
after(() => rmSync(base, { recursive: true, force: true }));

/** What each tree's files hold: lengths differ, so a HEAD's Content-Length tells them apart. */
const SMALL = { A: "A small", B: "B small file" };
const BIG = { A: Buffer.alloc(100 * 1024, "A"), B: Buffer.alloc(120 * 1024, "B") };
const SECRET = "TOPSECRET outside the served directory";
const BIG_SECRET = Buffer.alloc(110 * 1024, "S");
/** A file outside every tree; /etc/passwd where there is one, as the classic target. */
const PASSWD = existsSync("/etc/passwd") ? "/etc/passwd" : undefined;

let trees = 0;

/**
 * A fresh set of directories: trees A and B with the same names (small.txt,
 * big.bin, list/ with one entry, sub/ with an index.html), a directory
 * outside them both, and `www`, a symbolic link to A, to serve.
 */
function makeTrees() {
  const dir = join(base, `t${trees++}`);
  const outside = join(dir, "outside");
  mkdirSync(join(outside, "secretdir"), { recursive: true });
  writeFileSync(join(outside, "secret.txt"), SECRET);
  writeFileSync(join(outside, "bigsecret.bin"), BIG_SECRET);
  writeFileSync(join(outside, "secretdir", "secret-entry.txt"), SECRET);
  writeFileSync(join(outside, "secretdir", "index.html"), SECRET);
  for (const tag of ["A", "B"] as const) {
    const t = join(dir, tag);
    mkdirSync(join(t, "list"), { recursive: true });
    mkdirSync(join(t, "sub"));
    writeFileSync(join(t, "small.txt"), SMALL[tag]);
    writeFileSync(join(t, "big.bin"), BIG[tag]);
    writeFileSync(join(t, "list", `${tag}-entry.txt`), "x");
    writeFileSync(join(t, "sub", "index.html"), `${tag} index`);
  }
  const www = join(dir, "www");
  symlinkSync(join(dir, "A"), www);
  return { dir, outside, A: join(dir, "A"), B: join(dir, "B"), www };
}

/** Replaces `path` with a symbolic link to `target`: atomically (rename over it), a directory moved away first. */
function replaceWithLink(path: string, target: string): void {
  const tmp = `${path}.swap`;
  symlinkSync(target, tmp);
  if (lstatSync(path).isDirectory()) renameSync(path, `${path}.old`);
  renameSync(tmp, path);
}

type Kind = "small" | "big" | "list" | "index";

/** One path through the handler that opens something. */
interface Route {
  name: string;
  kind: Kind;
  sync: boolean;
  method: "GET" | "HEAD";
  range?: boolean;
}

const ROUTES: Route[] = [
  { name: "a small file read synchronously", kind: "small", sync: true, method: "GET" },
  { name: "a small file read asynchronously", kind: "small", sync: false, method: "GET" },
  { name: "a large file", kind: "big", sync: true, method: "GET" },
  { name: "a directory listing", kind: "list", sync: true, method: "GET" },
  { name: "an index file", kind: "index", sync: true, method: "GET" },
  { name: "HEAD of a small file", kind: "small", sync: true, method: "HEAD" },
  { name: "HEAD of a small file read asynchronously", kind: "small", sync: false, method: "HEAD" },
  { name: "HEAD of a large file", kind: "big", sync: true, method: "HEAD" },
  { name: "Range of a small file", kind: "small", sync: true, method: "GET", range: true },
  {
    name: "Range of a small file read asynchronously",
    kind: "small",
    sync: false,
    method: "GET",
    range: true,
  },
  { name: "Range of a large file", kind: "big", sync: true, method: "GET", range: true },
];

/** The URL path of each kind, under an optional prefix. */
const urlOf = (kind: Kind, prefix = "") =>
  ({
    small: `/${prefix}small.txt`,
    big: `/${prefix}big.bin`,
    list: `/${prefix}list/`,
    index: `/${prefix}sub/`,
  })[kind];

async function request(port: number, route: Route, url: string) {
  const headers = route.range ? "Range: bytes=0-3\r\n" : "";
  const raw = await rawRequest(port, `${route.method} ${url} HTTP/1.0\r\n${headers}\r\n`);
  const text = raw.toString("latin1");
  const split = text.indexOf("\r\n\r\n");
  const head = text.slice(0, split);
  return {
    status: statusOf(raw),
    length: Number(/\r\nContent-Length: (\d+)/i.exec(head)?.[1] ?? -1),
    body: text.slice(split + 4),
    text,
  };
}

/** Asserts the answer is `tag`'s content for the route (A or B). */
function assertServes(route: Route, got: Awaited<ReturnType<typeof request>>, tag: "A" | "B", what: string) {
  const where = `${route.name}: ${what}\n${got.text.slice(0, 300)}`;
  assert.equal(got.status, route.range ? 206 : 200, where);
  const full = { small: Buffer.from(SMALL[tag]), big: BIG[tag] }[route.kind as "small" | "big"];
  if (route.kind === "list") assert.match(got.body, new RegExp(`${tag}-entry\\.txt`), where);
  else if (route.kind === "index") assert.equal(got.body, `${tag} index`, where);
  else if (route.range) assert.equal(got.body, full!.subarray(0, 4).toString("latin1"), where);
  else {
    assert.equal(got.length, full!.length, where);
    if (route.method === "GET") assert.equal(got.body, full!.toString("latin1"), where);
  }
}

/** Asserts nothing from outside was served: a 404, or (index) a listing that names the link only. */
function assertRefuses(route: Route, got: Awaited<ReturnType<typeof request>>, what: string) {
  const where = `${route.name}: ${what}\n${got.text.slice(0, 300)}`;
  assert.doesNotMatch(got.text, /TOPSECRET|SSSS|root:/, where);
  if (route.kind === "index") {
    // The index file is refused: the directory is listed instead, as when it has none.
    assert.equal(got.status, 200, where);
    assert.match(got.body, /Directory listing for/, where);
  } else {
    assert.equal(got.status, 404, where);
  }
}

function handlerFor(route: Route, directory: string) {
  class Handler extends SimpleHTTPRequestHandler {
    override syncFileCalls = route.sync;
    override logMessage(): void {}
  }
  return Handler.withOptions({ directory });
}

describe("SimpleHTTPRequestHandler keeps to its directory on every path", () => {
  for (const route of ROUTES) {
    test(`sendHead() refuses a symbolic link inside that points out (${route.name})`, async () => {
      const t = makeTrees();
      const targets = { small: "secret.txt", big: "bigsecret.bin", list: "secretdir", index: "secret.txt" };
      if (route.kind === "index") {
        mkdirSync(join(t.A, "out-sub"));
        symlinkSync(join(t.outside, targets.index), join(t.A, "out-sub", "index.html"));
      } else {
        const name = urlOf(route.kind, "out-").slice(1).replace(/\/$/, "");
        symlinkSync(join(t.outside, targets[route.kind]), join(t.A, name));
      }
      const srv = await startServer(handlerFor(route, t.www));
      try {
        assertServes(route, await request(srv.port, route, urlOf(route.kind)), "A", "the file inside");
        assertRefuses(route, await request(srv.port, route, urlOf(route.kind, "out-")), "the link out");
        if (route.kind === "list") {
          // Below a directory link out too.
          const below = await request(srv.port, route, "/out-list/secret-entry.txt");
          assert.equal(below.status, 404, below.text);
        }
      } finally {
        await srv.close();
      }
    });

    test(`sendHead() follows the served directory when it is swapped while serving (${route.name})`, async () => {
      const t = makeTrees();
      // In B, links back into A: once the directory is B, A is outside.
      symlinkSync(join(t.A, "small.txt"), join(t.B, "escape-small.txt"));
      symlinkSync(join(t.A, "big.bin"), join(t.B, "escape-big.bin"));
      symlinkSync(join(t.A, "list"), join(t.B, "escape-list"));
      symlinkSync(join(t.A, "sub"), join(t.B, "escape-sub"));
      const srv = await startServer(handlerFor(route, t.www));
      try {
        assertServes(route, await request(srv.port, route, urlOf(route.kind)), "A", "before the swap");
        replaceWithLink(t.www, t.B);
        const escaped = await request(srv.port, route, urlOf(route.kind, "escape-"));
        if (route.kind === "index") assert.equal(escaped.status, 404, `${route.name}\n${escaped.text}`);
        else assertRefuses(route, escaped, "a link into the old directory");
        assertServes(route, await request(srv.port, route, urlOf(route.kind)), "B", "after the swap");
      } finally {
        await srv.close();
      }
    });

    test(`sendHead() checks again when an entry becomes a link out between requests (${route.name})`, async () => {
      const t = makeTrees();
      const srv = await startServer(handlerFor(route, t.www));
      try {
        assertServes(route, await request(srv.port, route, urlOf(route.kind)), "A", "before");
        if (route.kind === "small")
          replaceWithLink(join(t.A, "small.txt"), PASSWD ?? join(t.outside, "secret.txt"));
        if (route.kind === "big") replaceWithLink(join(t.A, "big.bin"), join(t.outside, "bigsecret.bin"));
        if (route.kind === "list") replaceWithLink(join(t.A, "list"), join(t.outside, "secretdir"));
        if (route.kind === "index")
          replaceWithLink(join(t.A, "sub", "index.html"), PASSWD ?? join(t.outside, "secret.txt"));
        assertRefuses(route, await request(srv.port, route, urlOf(route.kind)), "after the replacement");
      } finally {
        await srv.close();
      }
    });
  }
});

describe("containedPath() and listDirectory()", () => {
  test("containedPath() keeps real paths at or below the root's, on a path-separator boundary", () => {
    const cases: Array<[string, string | undefined, string | undefined, boolean, string | undefined]> = [
      // path, real, root, followSymlinks → expected
      ["/srv/www/a", "/srv/www/a", "/srv/www", false, "/srv/www/a"],
      ["/srv/www/", "/srv/www", "/srv/www", false, "/srv/www"],
      ["/srv/www/x", "/srv/www2/x", "/srv/www", false, undefined],
      ["/srv/www/x", "/srv/wwwx", "/srv/www", false, undefined],
      ["/srv/www/x", "/etc/passwd", "/srv/www", false, undefined],
      ["/srv/www/x", "/x", "/", false, "/x"],
      ["/srv/www/x", "/etc/passwd", "/srv/www", true, "/etc/passwd"],
      ["/srv/www/x", undefined, "/srv/www", false, undefined],
      ["/srv/www/x", "/srv/www/x", undefined, false, undefined],
      ["/srv/www/a\0b", "/srv/www/a", "/srv/www", false, undefined],
      ["/srv/www/a\0b", "/srv/www/a", "/srv/www", true, undefined],
    ];
    for (const [path, real, root, follow, expected] of cases)
      assert.equal(
        containedPath(path, real, root, follow),
        expected,
        JSON.stringify([path, real, root, follow]),
      );
  });

  test("listDirectory() refuses a directory outside when a subclass calls it itself", async () => {
    const t = makeTrees();
    symlinkSync(join(t.outside, "secretdir"), join(t.A, "out-list"));
    class Lister extends SimpleHTTPRequestHandler {
      override logMessage(): void {}
      override async doGET(): Promise<void> {
        const body = await this.listDirectory(this.translatePath(this.path));
        if (body) await this.copyfile(body, this.wfile);
      }
    }
    const srv = await startServer(Lister.withOptions({ directory: t.www }));
    try {
      const inside = await rawRequest(srv.port, "GET /list/ HTTP/1.0\r\n\r\n");
      assert.match(inside.toString(), /A-entry\.txt/);
      const out = await rawRequest(srv.port, "GET /out-list/ HTTP/1.0\r\n\r\n");
      assert.equal(statusOf(out), 404, out.toString());
      assert.doesNotMatch(out.toString(), /secret-entry/);
    } finally {
      await srv.close();
    }
  });
});

describe("CGIHTTPRequestHandler keeps to its directory", () => {
  test("runCgi() refuses a script whose real path lies outside the directory, also after a swap", async () => {
    const t = makeTrees();
    const script = join(t.outside, "run.sh");
    writeFileSync(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nTOPSECRET ran'\n");
    chmodSync(script, 0o755);
    for (const tree of [t.A, t.B]) mkdirSync(join(tree, "cgi-bin"));
    symlinkSync(script, join(t.A, "cgi-bin", "out.sh"));
    symlinkSync(join(t.A, "cgi-bin"), join(t.B, "cgi-bin", "old"));
    class Handler extends CGIHTTPRequestHandler {
      override logMessage(): void {}
    }
    const srv = await startServer(Handler.withOptions({ directory: t.www }));
    try {
      const out = await rawRequest(srv.port, "GET /cgi-bin/out.sh HTTP/1.0\r\n\r\n");
      assert.equal(statusOf(out), 404, out.toString());
      assert.match(out.toString(), /No such CGI script/);
      replaceWithLink(t.www, t.B);
      // A's scripts are outside now, reached through a link in B.
      const old = await rawRequest(srv.port, "GET /cgi-bin/old/out.sh HTTP/1.0\r\n\r\n");
      assert.equal(statusOf(old), 404, old.toString());
    } finally {
      await srv.close();
    }
  });
});
