/**
 * `CGIHTTPRequestHandler` with real scripts (python3 and sh, written to a
 * temporary directory) on a real server, driven by curl and python3's
 * http.client, and compared with python3's own CGIHTTPRequestHandler on the
 * same scripts: the CGI environment, argv, stdin, Status/Location headers,
 * header injection, scripts that hang or die, large bodies both ways.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CGIHTTPRequestHandler, urlCollapsePath } from "../../src/http/_server/cgi.js";
import { ThreadingHTTPServer } from "../../src/http/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python, startPython } from "../_support/python.js";

/** A python3 that the script user (nobody, when the tests run as root) can execute. */
function scriptPython(): string {
  if (existsSync("/usr/bin/python3")) return "/usr/bin/python3";
  const r = spawnSync(PYTHON, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  return r.stdout.trim();
}

const PY = scriptPython();
const havePython = hasCommand(PYTHON) && PY !== "";
const haveCurl = hasCommand("curl");

const SCRIPTS: Record<string, string> = {
  "env.py": `#!${PY}
import json, os, sys
data = sys.stdin.buffer.read(int(os.environ.get("CONTENT_LENGTH") or 0)).decode("latin-1")
keys = ["REQUEST_METHOD", "PATH_INFO", "PATH_TRANSLATED", "SCRIPT_NAME", "QUERY_STRING", "CONTENT_TYPE",
        "CONTENT_LENGTH", "HTTP_ACCEPT", "HTTP_USER_AGENT", "HTTP_COOKIE", "HTTP_REFERER", "AUTH_TYPE",
        "REMOTE_USER", "REMOTE_ADDR", "REMOTE_HOST", "GATEWAY_INTERFACE", "SERVER_PROTOCOL", "HTTP_PROXY",
        "HTTP_HOST", "SECRET_TOKEN"]
out = json.dumps({"env": {k: os.environ.get(k) for k in keys}, "argv": sys.argv[1:], "stdin": data, "uid": os.getuid()})
sys.stdout.write("Content-Type: application/json\\r\\n\\r\\n" + out)
`,
  "status.sh": `#!/bin/sh
printf 'Status: 404 Not Here\\r\\nContent-Type: text/plain\\r\\nX-Script: yes\\r\\n\\r\\nnope\\n'
`,
  "redirect.sh": `#!/bin/sh
printf 'Location: /elsewhere\\r\\n\\r\\n'
`,
  "inject.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\nX-Echo: a\\rSet-Cookie: evil=1\\r\\n\\r\\nbody'
`,
  "fold.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\nX-Echo: a\\r\\n Set-Cookie: evil=1\\r\\n\\r\\nbody'
`,
  "hang.sh": `#!/bin/sh
sleep 30
`,
  "slowbody.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\nstart\\n'
sleep 30
`,
  "die.sh": `#!/bin/sh
echo "dying" >&2
exit 3
`,
  "noheaders.sh": `#!/bin/sh
printf 'just text, no header block'
`,
  "big.sh": `#!/bin/sh
printf 'Content-Type: application/octet-stream\\r\\n\\r\\n'
head -c 1048576 /dev/zero
`,
  "length.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\nContent-Length: 5\\r\\n\\r\\n0123456789'
`,
  "count.py": `#!${PY}
import os, sys
n = 0
while True:
    b = sys.stdin.buffer.read(65536)
    if not b: break
    n += len(b)
sys.stdout.write("Content-Type: text/plain\\n\\n%d" % n)
`,
  "form.py": `#!${PY}
import warnings; warnings.simplefilter("ignore")
import cgi, json, sys
fs = cgi.FieldStorage()
sys.stdout.write("Content-Type: application/json\\n\\n" + json.dumps({k: [v if isinstance(v, str) else v.decode("latin-1") for v in fs.getlist(k)] for k in sorted(fs.keys())}))
`,
  "noexec.sh": "#!/bin/sh\necho hi\n",
};

let dir: string;
let httpd: ThreadingHTTPServer;
let port = 0;
let serving: Promise<void>;
/** What the server logged, one entry per message. */
const logged: string[] = [];

/** Seconds each hanging script may run; every other script gets a limit no busy machine reaches. */
const SHORT_TIMEOUTS: Record<string, number> = { "/cgi-bin/hang.sh": 2, "/cgi-bin/slowbody.sh": 5 };

class Handler extends CGIHTTPRequestHandler {
  override async runCgi(): Promise<void> {
    this.cgiTimeout = SHORT_TIMEOUTS[this.path] ?? 120;
    await super.runCgi();
  }
  override logMessage(format: string, ...args: unknown[]): void {
    logged.push(`${this.path} ${format} ${args.join(" ")}`);
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "netkit-cgi-handler-"));
  await chmod(dir, 0o755);
  await mkdir(join(dir, "cgi-bin", "sub"), { recursive: true });
  await chmod(join(dir, "cgi-bin"), 0o755);
  await chmod(join(dir, "cgi-bin", "sub"), 0o755);
  for (const [name, text] of Object.entries(SCRIPTS)) {
    await writeFile(join(dir, "cgi-bin", name), text, { mode: name === "noexec.sh" ? 0o644 : 0o755 });
  }
  await writeFile(join(dir, "cgi-bin", "sub", "deep.sh"), SCRIPTS["status.sh"]!, { mode: 0o755 });
  // Scripts only root can read (mode 0711) or reach (in a folder of mode 0700), for the tests run as root.
  await writeFile(join(dir, "cgi-bin", "noread.sh"), SCRIPTS["status.sh"]!, { mode: 0o711 });
  await chmod(join(dir, "cgi-bin", "noread.sh"), 0o711);
  await mkdir(join(dir, "cgi-bin", "private"), { mode: 0o700 });
  await writeFile(join(dir, "cgi-bin", "private", "hidden.sh"), SCRIPTS["status.sh"]!, { mode: 0o755 });
  await writeFile(join(dir, "index.txt"), "static file\n", { mode: 0o644 });
  httpd = new ThreadingHTTPServer(["127.0.0.1", 0], Handler.withOptions({ directory: dir }));
  await httpd.ready;
  port = httpd.serverPort;
  serving = httpd.serveForever(0.05);
});

after(async () => {
  httpd.shutdown();
  await serving;
  await httpd.serverClose();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: string;
}

/** Requests through python3's http.client (one python3 run for the batch). */
function viaHttpClient(
  requests: Array<{ method: string; path: string; headers?: Record<string, string>; body?: string }>,
  p = port,
): Promise<Array<Reply | { error: string }>> {
  return python(
    `
import http.client, json, sys
d = json.load(sys.stdin)
out = []
for r in d["requests"]:
    c = http.client.HTTPConnection("127.0.0.1", d["port"], timeout=120)
    try:
        c.request(r["method"], r["path"], body=(r.get("body") or "").encode("latin-1") or None, headers=r.get("headers") or {})
        resp = c.getresponse()
        out.append({"status": resp.status, "reason": resp.reason, "headers": resp.getheaders(), "body": resp.read().decode("latin-1")})
    except Exception as e:
        out.append({"error": type(e).__name__})
    finally:
        c.close()
print(json.dumps(out))
`,
    { requests, port: p },
  );
}

/** Runs curl without blocking the event loop (the server under test runs in this process). */
function curl(args: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("curl", ["-s", "-S", "--max-time", "120", ...args]);
    const out: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.on("close", (code) => resolve({ status: code ?? -1, out: Buffer.concat(out).toString("latin1") }));
  });
}

const skipPy = peerSkip("python3", havePython);
const skipCurl = peerSkip("curl", haveCurl);

test("urlCollapsePath() matches Python's _url_collapse_path", { skip: skipPy }, async () => {
  const paths = [
    "/",
    "/a/b/../c",
    "/cgi-bin/x.py?q=1/../2",
    "//a//./b/",
    "/a/%2e%2e/b",
    "/..",
    "/a/..",
    "/a/.",
    "/cgi-bin/../../x",
  ];
  const want = await python<Array<string | null>>(
    `
import http.server, json, sys
out = []
for p in json.load(sys.stdin):
    try: out.append(http.server._url_collapse_path(p))
    except IndexError: out.append(None)
print(json.dumps(out))
`,
    paths,
  );
  assert.deepEqual(paths.map(urlCollapsePath), want);
});

test("CGIHTTPRequestHandler runs a script with Python's CGI environment (http.client)", {
  skip: skipPy,
}, async () => {
  process.env.SECRET_TOKEN = "do-not-leak";
  const [get, post] = (await viaHttpClient([
    {
      method: "GET",
      path: "/cgi-bin/env.py/extra/p%20ath?a+b",
      headers: {
        Accept: "text/html",
        "User-Agent": "ua/1",
        Cookie: "c=1",
        Referer: "http://r/",
        Authorization: "Basic dXNlcjpwYXNz",
        Proxy: "http://evil.example:1/",
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/env.py?x=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "k=v&w=\xe9",
    },
  ])) as Reply[];
  delete process.env.SECRET_TOKEN;
  assert.equal(get!.status, 200);
  const g = JSON.parse(get!.body);
  assert.equal(g.env.REQUEST_METHOD, "GET");
  assert.equal(g.env.PATH_INFO, "/extra/p ath");
  assert.equal(g.env.PATH_TRANSLATED, join(dir, "extra/p ath"));
  assert.equal(g.env.SCRIPT_NAME, "/cgi-bin/env.py");
  assert.equal(g.env.QUERY_STRING, "a+b");
  assert.deepEqual(g.argv, ["a b"], "an ISINDEX query becomes argv[1]");
  assert.equal(g.env.HTTP_ACCEPT, "text/html");
  assert.equal(g.env.HTTP_USER_AGENT, "ua/1");
  assert.equal(g.env.HTTP_COOKIE, "c=1");
  assert.equal(g.env.HTTP_REFERER, "http://r/");
  assert.equal(g.env.AUTH_TYPE, "Basic");
  assert.equal(g.env.REMOTE_USER, "user");
  assert.equal(g.env.REMOTE_ADDR, "127.0.0.1");
  assert.equal(g.env.GATEWAY_INTERFACE, "CGI/1.1");
  assert.equal(g.env.CONTENT_TYPE, "text/plain");
  assert.equal(g.env.HTTP_PROXY, null, "no httpoxy");
  assert.equal(g.env.SECRET_TOKEN, null, "the server's environment is not passed on");
  if (process.getuid?.() === 0) assert.equal(g.uid, 65534, "runs as nobody");
  const p = JSON.parse(post!.body);
  assert.equal(p.env.REQUEST_METHOD, "POST");
  assert.equal(p.env.CONTENT_LENGTH, "7");
  assert.equal(p.env.CONTENT_TYPE, "application/x-www-form-urlencoded");
  assert.equal(p.stdin, "k=v&w=\xe9");
  assert.deepEqual(p.argv, []);
});

test("CGIHTTPRequestHandler honours Status: and Location:, and refuses injected headers", {
  skip: skipPy,
}, async () => {
  const [status, deep, redirect, inject, fold, noheaders, length, head] = (await viaHttpClient([
    { method: "GET", path: "/cgi-bin/status.sh" },
    { method: "GET", path: "/cgi-bin/sub/deep.sh/more" },
    { method: "GET", path: "/cgi-bin/redirect.sh" },
    { method: "GET", path: "/cgi-bin/inject.sh" },
    { method: "GET", path: "/cgi-bin/fold.sh" },
    { method: "GET", path: "/cgi-bin/noheaders.sh" },
    { method: "GET", path: "/cgi-bin/length.sh" },
    { method: "HEAD", path: "/cgi-bin/status.sh" },
  ])) as Reply[];
  assert.equal(status!.status, 404);
  assert.equal(status!.reason, "Not Here");
  assert.equal(status!.body, "nope\n");
  assert.ok(status!.headers.some(([k, v]) => k === "X-Script" && v === "yes"));
  assert.ok(!status!.headers.some(([k]) => k.toLowerCase() === "status"));
  assert.equal(deep!.status, 404, "scripts in subdirectories are found");
  assert.equal(redirect!.status, 302);
  assert.ok(redirect!.headers.some(([k, v]) => k === "Location" && v === "/elsewhere"));
  for (const r of [inject!, fold!]) {
    assert.equal(r.status, 500);
    assert.ok(!r.headers.some(([k]) => k.toLowerCase() === "set-cookie"));
  }
  assert.equal(noheaders!.status, 500);
  assert.equal(length!.body, "01234", "the script's Content-Length caps the body");
  assert.equal(head!.status, 404);
  assert.equal(head!.body, "");
});

test("CGIHTTPRequestHandler answers 404, 403, 501 as Python does", { skip: skipPy }, async () => {
  const replies = (await viaHttpClient([
    { method: "GET", path: "/cgi-bin/missing.py" },
    { method: "GET", path: "/cgi-bin/noexec.sh" },
    { method: "GET", path: "/cgi-bin/sub" },
    { method: "POST", path: "/index.txt", body: "x" },
    { method: "GET", path: "/index.txt" },
  ])) as Reply[];
  assert.deepEqual(
    replies.map((r) => r.status),
    [404, 403, 403, 501, 200],
  );
  assert.equal(replies[4]!.body, "static file\n");
});

test("CGIHTTPRequestHandler: a hanging script gets a 504, a dying one a 500, and the server keeps serving", {
  skip: skipPy,
}, async () => {
  const [hang, die, slow, after] = await viaHttpClient([
    { method: "GET", path: "/cgi-bin/hang.sh" },
    { method: "GET", path: "/cgi-bin/die.sh" },
    { method: "GET", path: "/cgi-bin/slowbody.sh" },
    { method: "GET", path: "/cgi-bin/status.sh" },
  ]);
  assert.equal((hang as Reply).status, 504);
  assert.equal((die as Reply).status, 500);
  // Headers were out when the timeout struck: the body is cut off.
  assert.ok("error" in slow! || (slow as Reply).body === "start\n");
  assert.equal((after as Reply).status, 404);
  // Both were killed by the timeout, not left to finish their 30 s sleep.
  assert.ok(logged.includes("/cgi-bin/hang.sh CGI script timed out after %s seconds 2"), logged.join("\n"));
  assert.ok(
    logged.includes("/cgi-bin/slowbody.sh CGI script timed out after %s seconds 5"),
    logged.join("\n"),
  );
});

test("CGIHTTPRequestHandler run as root answers 500 and logs why when nobody cannot run the script", {
  skip: process.getuid?.() !== 0 ? "runs only as root (the scripts then run as nobody)" : skipPy,
}, async () => {
  const replies = (await viaHttpClient([
    { method: "GET", path: "/cgi-bin/private/hidden.sh" },
    { method: "GET", path: "/cgi-bin/noread.sh" },
  ])) as Reply[];
  assert.deepEqual(
    replies.map((r) => r.status),
    [500, 500],
  );
  const log = logged.join("\n");
  assert.match(
    log,
    /^\/cgi-bin\/private\/hidden\.sh %s Cannot run CGI script as nobody \(uid \d+\): spawn \S+\/hidden\.sh EACCES$/m,
  );
  assert.match(log, /^\/cgi-bin\/noread\.sh %s .*noread\.sh: Permission denied$/m);
  assert.match(log, /^\/cgi-bin\/noread\.sh CGI script exit code %s 2$/m);
});

test("CGIHTTPRequestHandler streams large bodies both ways (curl)", { skip: skipCurl }, async () => {
  const big = await curl([
    `http://127.0.0.1:${port}/cgi-bin/big.sh`,
    "-o",
    "-",
    "-w",
    "\n%{http_code} %{size_download}",
  ]);
  assert.match(big.out, /\n200 1048576$/);
  const upload = Buffer.alloc(3 * 1024 * 1024, 0x61);
  const file = join(dir, "upload.bin");
  await writeFile(file, upload);
  const count = await curl(["--data-binary", `@${file}`, `http://127.0.0.1:${port}/cgi-bin/count.py`]);
  assert.equal(count.out, String(upload.length));
  // A chunked request body: CGI needs a Content-Length.
  const chunked = await curl([
    "-H",
    "Transfer-Encoding: chunked",
    "--data-binary",
    "abc",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}",
    `http://127.0.0.1:${port}/cgi-bin/count.py`,
  ]);
  assert.equal(chunked.out, "411");
});

test("CGIHTTPRequestHandler passes a multipart upload to a python cgi.FieldStorage script (curl)", {
  skip: skipCurl || skipPy,
}, async () => {
  const file = join(dir, "a.txt");
  await writeFile(file, "file\r\n--body\x00");
  const r = await curl([
    "-F",
    "name=Zoë",
    "-F",
    `file=@${file};filename=a.txt`,
    `http://127.0.0.1:${port}/cgi-bin/form.py`,
  ]);
  assert.equal(r.status, 0);
  assert.deepEqual(JSON.parse(r.out), { file: ["file\r\n--body\x00"], name: ["Zoë"] });
});

test("CGIHTTPRequestHandler and python3's CGIHTTPRequestHandler give scripts the same view", {
  skip: skipPy,
}, async () => {
  const { child, firstLine } = await startPython(
    `
import warnings; warnings.simplefilter("ignore")
import functools, http.server, sys
class H(http.server.CGIHTTPRequestHandler):
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), functools.partial(H, directory=sys.argv[1]))
print(srv.server_port, flush=True)
srv.serve_forever()
`,
    [dir],
  );
  try {
    const requests = [
      { method: "GET", path: "/cgi-bin/env.py/x/y?q=1&r=2", headers: { Accept: "a/b", "User-Agent": "t" } },
      { method: "GET", path: "/cgi-bin/env.py?isindex+query" },
      {
        method: "POST",
        path: "/cgi-bin/env.py/p",
        headers: { "Content-Type": "text/x", Cookie: "a=b" },
        body: "payload\r\nbytes",
      },
      { method: "GET", path: "/htbin/../cgi-bin/./env.py?x" },
      { method: "GET", path: "/cgi-bin/missing.py" },
      { method: "GET", path: "/cgi-bin/noexec.sh" },
    ];
    const ours = await viaHttpClient(requests);
    const theirs = await viaHttpClient(requests, Number(firstLine));
    for (const [i, req] of requests.entries()) {
      const a = ours[i] as Reply;
      const b = theirs[i] as Reply;
      assert.equal(a.status, b.status, req.path);
      if (a.status !== 200) continue;
      const ja = JSON.parse(a.body);
      const jb = JSON.parse(b.body);
      for (const k of ["REMOTE_ADDR"]) {
        delete ja.env[k];
        delete jb.env[k];
      }
      assert.deepEqual(ja, jb, req.path);
    }
  } finally {
    child.kill("SIGKILL");
  }
});
