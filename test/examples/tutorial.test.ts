/**
 * The example programs: the tour `npm start` runs, and the small programs
 * with their own logic (io_lines, cookie_header, scrape). The tutorial's
 * programs, which the examples only run, are tested in test/cli/tutorial.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { extractReleases, report, SAMPLE_PAGE, scrape } from "../../examples/scrape.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const root = join(import.meta.dirname, "..", "..");

test("npm start's tour runs every stop and exits 0", { timeout: 300_000 }, () => {
  const tour = spawnSync(process.execPath, ["--import", "tsx", join(root, "examples/tour.ts")], {
    encoding: "utf8",
    timeout: 240_000,
  });
  assert.equal(tour.status, 0, `${tour.stdout.slice(-2000)}\n${tour.stderr}`);
  for (const stop of [
    "1. socket",
    "2. socketserver",
    "3. socketserver with ThreadingMixIn",
    "4. socketserver with ForkingMixIn",
    "5. http.server",
    "client: GET /api/time → 200 OK",
    "client: GET /cgi-bin/hello.cgi?name=tour → 200 OK: Hello, tour: CGI/1.1",
    "client: GET /missing → 404 File not found",
    "6. urllib",
    "netkit-cli  0.2.1           512",
    "urlretrieve: 3145728 bytes in 4 report calls, identical copy: true",
    "HTTPError: 404 File not found",
    "opener: /private → 200: hello, alice",
    "opener: /whoami → 200: cookie: session=abc123",
    "robots.txt: /hello.txt allowed, /private disallowed",
    "7. XML-RPC",
    "8. smtplib and smtpd",
    "    b'X-Peer: 127.0.0.1'",
    "    b'.A line that starts with a dot.'",
    "  client: sendmail returned 0 refused recipients",
    "client: add(2, 3) = 5, mul(6, 7) = 42",
    `client: divide(1, 0) is a Fault 1: <class 'Exception'>:method "divide" is not supported`,
    "The tour is over.",
  ]) {
    assert.ok(tour.stdout.includes(stop), `missing "${stop}"`);
  }
  assert.equal((tour.stdout.match(/client: Thank you for connecting/g) ?? []).length, 10);
});

test("io_lines numbers lines from a stream and refuses an endless line", async () => {
  const { numberLines } = await import("../../examples/io_lines.js");
  const { Readable } = await import("node:stream");
  const out: string[] = [];
  assert.equal(
    await numberLines(Readable.from([Buffer.from("a\nb\r\n"), Buffer.from("c")]), 100, (l) => out.push(l)),
    3,
  );
  assert.deepEqual(out, ["     1  a", "     2  b", "     3  c"]);
  await assert.rejects(
    numberLines(Readable.from([Buffer.alloc(500, 0x61)]), 100, () => {}),
    /Line is longer than 100 bytes/,
  );
});

test("cookie_header answers a Cookie: header with the Set-Cookie: lines python3 writes", async (t) => {
  const skip = peerSkip("python3", hasCommand("python3"));
  if (skip) return t.skip(skip);
  const { nextVisit } = await import("../../examples/cookie_header.js");
  const header = 'visits=41; theme="dark blue"; $Path=/';
  const expected = await python<string>(
    `
import http.cookies, json, sys
c = http.cookies.SimpleCookie(); c.load(json.load(sys.stdin))
c["visits"] = str(int(c["visits"].value) + 1); c["visits"]["path"] = "/"; c["visits"]["httponly"] = True
c["session"] = "active"; c["session"]["max-age"] = 3600; c["session"]["samesite"] = "Lax"
print(json.dumps(c.output()))
`,
    header,
  );
  assert.equal(nextVisit(header), expected);
});

test("scrape picks the release rows out of a page, newest first, and ignores other rows", () => {
  const releases = extractReleases(SAMPLE_PAGE);
  assert.deepEqual(
    releases.map((r) => `${r.name} ${r.version} ${r.downloads}`),
    ["netkit 0.9 1204", "netkit 0.10 3876", "netkit-cli 0.2.1 512"],
  );
  const lines = report(releases);
  assert.deepEqual(
    lines.map((l) => l.split(/\s+/).slice(0, 2).join(" ")),
    ["netkit 0.10", "netkit 0.9", "netkit-cli 0.2.1", "total 5,592"],
  );
  assert.deepEqual(extractReleases("<tr class='release'><td>x</td></tr>"), []);
});

test("scrape.ts reads a page served by python3's http.server, in the page's charset", { skip }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "netkit-scrape-"));
  const latin1 = SAMPLE_PAGE.replace("netkit-cli", "netkit-café").replace('charset="utf-8"', "");
  await writeFile(join(dir, "releases.html"), Buffer.from(latin1, "latin1"));
  const { child, firstLine } = await startPython(
    `
import functools, http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".html": "text/html; charset=iso-8859-1"}
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(H, directory=sys.argv[1]))
print(s.server_address[1], flush=True)
s.serve_forever()
`,
    [dir],
  );
  try {
    const lines = await scrape(`http://127.0.0.1:${firstLine}/releases.html`);
    assert.match(lines[2]!, /^netkit-café\s+0\.2\.1\s+512$/);
    assert.match(lines[3]!, /^total\s+5,592$/);
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
});
