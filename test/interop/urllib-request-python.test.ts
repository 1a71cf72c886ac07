/**
 * netkit's urllib.request against python3's http.server (fixtures/urllib_server.py):
 * reading, errors, redirects, Basic and Digest auth, a proxy, urlretrieve,
 * timeouts and aborts; and the request python3's own urlopen sends, compared
 * header by header with netkit's.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ConnectionRefusedError, TimeoutError } from "../../src/errors/index.js";
import { Socket } from "../../src/socket/socket.js";
import {
  BaseHandler,
  buildOpener,
  ContentTooShortError,
  HTTPBasicAuthHandler,
  HTTPDigestAuthHandler,
  HTTPError,
  HTTPPasswordMgrWithDefaultRealm,
  HTTPPasswordMgrWithPriorAuth,
  HTTPRedirectHandler,
  ProxyBasicAuthHandler,
  ProxyHandler,
  Request,
  URLError,
  urlcleanup,
  urlopen,
  urlretrieve,
} from "../../src/urllib/request.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SERVER = fileURLToPath(new URL("./fixtures/urllib_server.py", import.meta.url));
let child: ChildProcess | undefined;
let base = "";
let port = 0;
let workdir = "";

before(async () => {
  if (skip) return;
  const started = await startPython(await readFile(SERVER, "utf8"));
  child = started.child;
  port = Number(started.firstLine);
  base = `http://127.0.0.1:${port}`;
  workdir = await mkdtemp(join(tmpdir(), "netkit-urllib-"));
});
after(async () => {
  child?.kill("SIGKILL");
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

/** How many requests the fixture has served (it does not count the asking). */
async function requestCount(): Promise<number> {
  await using res = await urlopen(`${base}/count`, { timeout: 10 });
  return Number((await res.read()).toString());
}

/** The JSON /echo answers, read through `res`. */
async function echoed(res: { read(): Promise<Buffer> }): Promise<{
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: string;
}> {
  return JSON.parse((await res.read()).toString());
}

describe("urlopen against python3's http.server", { skip }, () => {
  test("reads a body like a file, with status, reason, headers and url", async () => {
    await using res = await urlopen(`${base}/hello`);
    assert.equal(res.status, 200);
    assert.equal(res.reason, "OK");
    assert.equal(res.getcode(), 200);
    assert.equal(res.msg, "OK");
    assert.equal(res.geturl(), `${base}/hello`);
    assert.equal(res.info().get("x-test"), "1");
    assert.equal(res.headers.get("Content-Length"), "12");
    assert.equal((await res.readline()).toString(), "hello\n");
    const rest: string[] = [];
    for await (const line of res) rest.push(line.toString());
    assert.deepEqual(rest, ["world\n"]);
    assert.equal((await res.read()).length, 0);
  });

  test("reads a chunked body and readlines", async () => {
    await using res = await urlopen(`${base}/chunked`);
    assert.deepEqual((await res.readlines()).map(String), ["alpha\n", "beta\n", "gamma\n"]);
  });

  test("a 4xx or 5xx is an HTTPError that is also the response", async () => {
    for (const code of [404, 500]) {
      const err = await urlopen(`${base}/status/${code}`).then(
        () => assert.fail("no error"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof HTTPError);
      assert.ok(err instanceof URLError);
      assert.equal(err.status, code);
      assert.equal(err.getcode(), code);
      assert.equal(err.reason, code === 404 ? "Not Found" : "Internal Server Error");
      assert.equal(err.message, `HTTP Error ${code}: ${err.reason}`);
      assert.equal(err.headers.get("content-length"), String(`status ${code} body`.length));
      assert.equal((await err.read()).toString(), `status ${code} body`);
      await err.close();
    }
  });

  test("follows 301/302/303/307/308 for GET, and 301/302/303 for POST as a GET without body", async () => {
    for (const code of [301, 302, 303, 307, 308]) {
      await using res = await urlopen(`${base}/redirect/${code}?to=/echo%3Fafter%3D${code}`);
      const seen = await echoed(res);
      assert.equal(seen.method, "GET");
      assert.equal(seen.path, `/echo?after=${code}`);
      assert.equal(res.geturl(), `${base}/echo?after=${code}`);
    }
    for (const code of [301, 302, 303]) {
      await using res = await urlopen(`${base}/redirect/${code}?to=/echo`, { data: Buffer.from("a=1") });
      const seen = await echoed(res);
      assert.equal(seen.method, "GET");
      assert.equal(seen.body, "");
      assert.ok(!seen.headers.some(([k]) => k.toLowerCase() === "content-length"));
    }
    const err = await urlopen(`${base}/redirect/307?to=/echo`, { data: Buffer.from("a=1") }).catch((e) => e);
    assert.ok(err instanceof HTTPError);
    assert.equal(err.status, 307);
  });

  test("a redirect loop ends in HTTPError with Python's message; file: targets are refused", async () => {
    const loop = await urlopen(`${base}/loop`).catch((e) => e);
    assert.ok(loop instanceof HTTPError);
    assert.equal(loop.status, 302);
    assert.match(loop.reason, /would lead to an infinite loop/);
    const file = await urlopen(`${base}/redirect/302?to=file:///etc/passwd`).catch((e) => e);
    assert.ok(file instanceof HTTPError);
    assert.equal(file.reason, "Found - Redirection to url 'file:///etc/passwd' is not allowed");
  });

  test("a redirect to another origin drops Authorization and Cookie; the same origin keeps them", async () => {
    const headers = { Authorization: "Bearer secret", Cookie: "a=b", "X-Keep": "yes" };
    const same = await echoed(await urlopen(new Request(`${base}/redirect/302?to=/echo`, { headers })));
    const sameNames = same.headers.map(([k]) => k);
    assert.ok(sameNames.includes("Authorization") && sameNames.includes("Cookie"));
    const other = await echoed(
      await urlopen(new Request(`${base}/redirect/302?to=http://localhost:${port}/echo`, { headers })),
    );
    const otherNames = other.headers.map(([k]) => k);
    assert.ok(!otherNames.includes("Authorization") && !otherNames.includes("Cookie"));
    assert.ok(otherNames.includes("X-Keep"));
  });

  test("a redirect handler with maxRedirections 0 stops at the first hop", async () => {
    const strict = new HTTPRedirectHandler();
    strict.maxRedirections = 0;
    const opener = buildOpener(strict);
    const first = await opener.open(`${base}/redirect/302?to=/hello`);
    await first.close();
    // One hop is allowed before the count is checked, as in Python; a chain of two is not.
    const err = await opener.open(`${base}/redirect/302?to=/redirect/302%3Fto%3D/hello`).catch((e) => e);
    assert.ok(err instanceof HTTPError);
  });

  test("Basic auth: retried with the password manager's credentials; a wrong password is a 401", async () => {
    const mgr = new HTTPPasswordMgrWithDefaultRealm();
    mgr.addPassword(null, base, "alice", "s3cret");
    const ok = await buildOpener(new HTTPBasicAuthHandler(mgr)).open(`${base}/basic`);
    assert.equal((await ok.read()).toString(), "basic ok");
    const bad = new HTTPBasicAuthHandler();
    bad.addPassword("netkit", base, "alice", "wrong");
    const err = await buildOpener(bad)
      .open(`${base}/basic`)
      .catch((e) => e);
    assert.ok(err instanceof HTTPError);
    assert.equal(err.status, 401);
    await err.close();
  });

  test("Basic auth with prior authentication sends the credentials on the first request", async () => {
    const mgr = new HTTPPasswordMgrWithPriorAuth();
    mgr.addPassword(null, `${base}/echo`, "alice", "s3cret", true);
    const seen = await echoed(await buildOpener(new HTTPBasicAuthHandler(mgr)).open(`${base}/echo`));
    const auth = seen.headers.find(([k]) => k === "Authorization")?.[1];
    assert.equal(auth, `Basic ${Buffer.from("alice:s3cret").toString("base64")}`);
  });

  test("Digest auth (qop=auth, MD5 and SHA-256) against a server that checks the response", async () => {
    const digest = new HTTPDigestAuthHandler();
    digest.addPassword("netkit", base, "alice", "s3cret");
    const res = await buildOpener(digest).open(`${base}/digest`);
    assert.equal((await res.read()).toString(), "digest MD5 ok");
    const sha = await buildOpener(digest).open(`${base}/digest-sha256`);
    assert.equal((await sha.read()).toString(), "digest SHA-256 ok");
    const wrong = new HTTPDigestAuthHandler();
    wrong.addPassword("netkit", base, "alice", "nope");
    const err = await buildOpener(wrong)
      .open(`${base}/digest`)
      .catch((e) => e);
    assert.ok(err instanceof HTTPError);
    assert.equal(err.status, 401);
  });

  test("ProxyHandler sends the absolute URL to the proxy, with credentials from the proxy URL", async () => {
    const opener = buildOpener(new ProxyHandler({ http: `http://bob:pw@127.0.0.1:${port}` }));
    const res = await opener.open("http://example.invalid/some/path?q=1");
    const body = JSON.parse((await res.read()).toString());
    assert.equal(body.proxied, "http://example.invalid/some/path?q=1");
    assert.equal(body.auth, `Basic ${Buffer.from("bob:pw").toString("base64")}`);
    const bypass = buildOpener(new ProxyHandler({ http: "http://127.0.0.1:1", no: "127.0.0.1" }));
    await using direct = await bypass.open(`${base}/hello`);
    assert.equal(direct.status, 200);
  });

  test("ProxyBasicAuthHandler answers the proxy's 407 with the password manager's credentials", async () => {
    const proxyAuth = new ProxyBasicAuthHandler();
    proxyAuth.addPassword("proxy", `127.0.0.1:${port}`, "bob", "pw");
    const opener = buildOpener(new ProxyHandler({ http: `http://127.0.0.1:${port}` }), proxyAuth);
    const res = await opener.open("http://example.invalid/needauth");
    assert.equal(
      JSON.parse((await res.read()).toString()).auth,
      `Basic ${Buffer.from("bob:pw").toString("base64")}`,
    );
    const without = await buildOpener(new ProxyHandler({ http: `http://127.0.0.1:${port}` }))
      .open("http://example.invalid/needauth")
      .catch((e) => e);
    assert.ok(without instanceof HTTPError);
    assert.equal(without.status, 407);
  });

  test("control characters in a URL, method or header raise before anything is sent", async () => {
    const before = await requestCount();
    await assert.rejects(urlopen(`${base}/hello\r\nX-Injected: 1`), /control characters/);
    await assert.rejects(urlopen(`${base}/hello x`), /control characters/);
    await assert.rejects(urlopen(new Request(`${base}/hello`, { method: "GET\r\nX: 1" })), /method/);
    await assert.rejects(
      urlopen(new Request(`${base}/hello`, { headers: { "X-Evil": "a\r\nInjected: 1" } })),
      /header value/,
    );
    assert.equal(await requestCount(), before);
  });

  test("a refused connection is a URLError whose reason is the ConnectionRefusedError", async () => {
    const sock = new Socket();
    await sock.bind(["127.0.0.1", 0]);
    const [, freePort] = sock.getsockname() as [string, number];
    await sock.close();
    const err = await urlopen(`http://127.0.0.1:${freePort}/`).catch((e) => e);
    assert.ok(err instanceof URLError);
    assert.ok(err.reason instanceof ConnectionRefusedError);
    assert.match(err.message, /^<urlopen error \[Errno 111\] Connection refused>$/);
  });

  test("a stalled body times out; an AbortSignal aborts a read", async () => {
    // The timeout must let the headers through, then stop the read of the body that never
    // comes. On a busy machine python3 may be slower than 0.3 s with the headers: then a
    // longer timeout is tried.
    let res: Awaited<ReturnType<typeof urlopen>> | undefined;
    for (const timeout of [0.3, 1, 3, 10, 30]) {
      res = await urlopen(`${base}/stall`, { timeout }).catch((e: unknown) => {
        const slow = e instanceof TimeoutError || (e instanceof URLError && e.reason instanceof TimeoutError);
        if (!slow) throw e;
        return undefined;
      });
      if (res) break;
    }
    assert.ok(res, "python3 sent no headers within 30 s");
    await assert.rejects(res.read(), TimeoutError);
    await res.close();
    const controller = new AbortController();
    const stalled = await urlopen(`${base}/stall`, { signal: controller.signal, timeout: 10 });
    setTimeout(() => controller.abort(new Error("stop")), 50);
    await assert.rejects(stalled.read(), /stop/);
    await stalled.close();
    await assert.rejects(
      urlopen(`${base}/hello`, { signal: AbortSignal.abort(new Error("early")) }),
      /early/,
    );
  });

  test("a custom handler's processors run for each request and response", async () => {
    const seen: string[] = [];
    class Log extends BaseHandler {
      httpRequest(req: Request) {
        seen.push(`request ${req.getMethod()} ${req.selector}`);
        req.addHeader("X-From-Handler", "1");
        return req;
      }
      httpResponse(_req: Request, res: Awaited<ReturnType<typeof urlopen>>) {
        seen.push(`response ${res.status}`);
        return res;
      }
    }
    const res = await buildOpener(new Log()).open(`${base}/echo`);
    const body = await echoed(res);
    assert.deepEqual(seen, ["request GET /echo", "response 200"]);
    assert.ok(body.headers.some(([k, v]) => k === "X-From-Handler" && v === "1"));
  });
});

describe("urlretrieve against python3's http.server", { skip }, () => {
  test("copies a body to a file, calling the report hook as Python does", async () => {
    const target = join(workdir, "big.bin");
    const n = 300_000;
    const calls: Array<[number, number, number]> = [];
    const [path, headers] = await urlretrieve(`${base}/big?n=${n}`, target, {
      reporthook: (b, s, t) => calls.push([b, s, t]),
      blocksize: 65536,
    });
    assert.equal(path, target);
    assert.equal(headers.get("content-length"), String(n));
    const data = await readFile(target);
    assert.equal(data.length, n);
    for (const i of [0, 255, 256, 65_535, n - 1]) assert.equal(data[i], i % 256);
    assert.deepEqual(calls[0], [0, 65536, n]);
    assert.equal(calls.length, 1 + Math.ceil(n / 65536));
    assert.equal(calls.at(-1)![0], calls.length - 1);
  });

  test("a short body is a ContentTooShortError and leaves no file", async () => {
    const target = join(workdir, "short.bin");
    const err = await urlretrieve(`${base}/short`, target).catch((e) => e);
    assert.ok(err instanceof ContentTooShortError);
    assert.equal(err.message, "<urlopen error retrieval incomplete: got only 10 out of 100 bytes>");
    assert.deepEqual(
      (await readdir(workdir)).filter((f) => f.startsWith("short")),
      [],
    );
  });

  test("without a filename it makes a temporary file that urlcleanup removes", async () => {
    const [path] = await urlretrieve(`${base}/hello`);
    assert.equal((await readFile(path)).toString(), "hello\nworld\n");
    await urlcleanup();
    await assert.rejects(readFile(path), { code: "ENOENT" });
  });

  test("a file: URL without a filename returns the file's own path", async () => {
    const file = join(workdir, "local.txt");
    await writeFile(file, "local");
    const [path, headers] = await urlretrieve(`file://${file}`);
    assert.equal(path, file);
    assert.equal(headers.get("content-length"), "5");
  });
});

describe("the request netkit sends equals the one python3's urlopen sends", { skip }, () => {
  type Case = { method?: string; data?: string; chunks?: string[]; headers?: Record<string, string> };
  const cases: Case[] = [
    {},
    { data: "a=1&b=2" },
    { data: "{}", headers: { "content-TYPE": "application/json", "x-custom-HEADER": "v" } },
    { method: "PUT", data: "put body" },
    { method: "DELETE" },
    { chunks: ["one", "two", "three"] },
    { headers: { Host: "example.com", Connection: "keep-alive", Accept: "*/*" } },
  ];

  test("same request line, header lines (in order, but the User-Agent value) and body", async () => {
    const script = `
import json, sys, urllib.request
base, cases = json.load(sys.stdin)
out = []
for c in cases:
    data = c.get("data")
    if data is not None: data = data.encode()
    if c.get("chunks"): data = iter([x.encode() for x in c["chunks"]])
    req = urllib.request.Request(base + "/echo", data=data, headers=c.get("headers", {}), method=c.get("method"))
    with urllib.request.urlopen(req, timeout=10) as r:
        out.append(json.loads(r.read()))
print(json.dumps(out))
`;
    const expected = await python<Array<{ headers: Array<[string, string]> }>>(script, [base, cases]);
    for (const [i, c] of cases.entries()) {
      const data =
        c.chunks !== undefined
          ? c.chunks.map((x) => Buffer.from(x))
          : c.data !== undefined
            ? Buffer.from(c.data)
            : null;
      const req = new Request(`${base}/echo`, {
        data,
        headers: c.headers ?? {},
        ...(c.method ? { method: c.method } : {}),
      });
      const got = await echoed(await urlopen(req, { timeout: 10 }));
      const norm = (h: Array<[string, string]>) =>
        h.map(([k, v]) => (k === "User-Agent" ? [k, "UA"] : [k, v]));
      assert.deepEqual(
        { ...got, headers: norm(got.headers) },
        { ...expected[i], headers: norm(expected[i]!.headers) },
        JSON.stringify(c),
      );
    }
  });
});
