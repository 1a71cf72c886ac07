/**
 * Differential: urllib.request's pure parts against python3's: Request's
 * URL parsing (and set_proxy), data: URLs, parse_http_list / parse_keqv_list,
 * getproxies / proxy_bypass over generated environments, and the password
 * manager's matching.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  getproxies,
  HTTPPasswordMgrWithDefaultRealm,
  parseHttpList,
  parseKeqvList,
  parseProxy,
  proxyBypass,
  Request,
  urlopen,
} from "../../src/urllib/request.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const RUNS = 1500;

/** Python's outcome as JSON: the value, or the exception's class name. */
function outcome<T>(run: () => T): T | { error: string } {
  try {
    return run();
  } catch (err) {
    return { error: (err as Error).constructor.name };
  }
}

const urlPiece = fc.constantFrom(
  "http:",
  "HTTPS:",
  "file:",
  "data:",
  "//",
  "/",
  "a",
  "b.c",
  ":",
  "80",
  "@",
  "user",
  "%41",
  "%zz",
  "#",
  "frag",
  "?",
  "q=1",
  "[::1]",
  " ",
  "é",
  "<URL:",
  ">",
  "localhost",
  ":8080",
  "\t",
);
const urls = fc.array(urlPiece, { maxLength: 10 }).map((parts) => parts.join(""));

test("Request parses URLs as python3's does (type, host, selector, fragment, origin_req_host, set_proxy)", {
  skip,
}, async () => {
  const inputs = fc.sample(urls, { numRuns: RUNS, seed: 20250724 });
  // netkit follows CPython 3.12.9 / 3.13.2 on brackets in a netloc (gh-105704, CVE-2025-0938):
  // Request's urlparse refuses text around them, where 3.11.7 reads the host between them.
  const script = `
import json, sys, urllib.parse, urllib.request

def later_refuses(url):
    netloc = urllib.parse.urlsplit(url).netloc
    if '[' not in netloc or ']' not in netloc:
        return False
    host_port = netloc.rpartition('@')[2]
    before, bracket, rest = host_port.partition('[')
    after = rest.partition(']')[2]
    return bool(before) or not bracket or bool(after and not after.startswith(':'))

out = []
for url in json.load(sys.stdin):
    try:
        if later_refuses(url):
            raise ValueError('Invalid IPv6 URL')
        r = urllib.request.Request(url)
        row = [r.full_url, r.type, r.host, r.selector, r.fragment, r.origin_req_host, r.get_method()]
        r.set_proxy("proxy:3128", "http")
        row += [r.type, r.host, r.selector, r.has_proxy(), r._tunnel_host]
        out.append(row)
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;
  const expected = await python<unknown[]>(script, inputs);
  for (const [i, url] of inputs.entries()) {
    const got = outcome(() => {
      const r = new Request(url);
      const row: unknown[] = [
        r.fullUrl,
        r.type,
        r.host,
        r.selector,
        r.fragment,
        r.originReqHost,
        r.getMethod(),
      ];
      r.setProxy("proxy:3128", "http");
      row.push(r.type, r.host, r.selector, r.hasProxy(), r.tunnelHost);
      return row;
    });
    assert.deepEqual(got, expected[i], JSON.stringify(url));
  }
});

test("data: URLs give python3's bytes and headers", { skip }, async () => {
  const dataUrls = fc
    .tuple(
      fc.constantFrom("", "text/html", "text/plain;charset=utf-8", "image/png", "a/b;x=y"),
      fc.boolean(),
      fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        fc.string({ maxLength: 20 }).map((s) => Buffer.from(s)),
      ),
      fc.constantFrom("", "%", "%4", "=", "\n", " ", "!"),
    )
    .map(([type, b64, bytes, junk]) => {
      const payload = b64
        ? Buffer.from(bytes).toString("base64")
        : encodeURIComponent(Buffer.from(bytes).toString("latin1"));
      return `data:${type}${b64 ? ";base64" : ""},${payload}${junk}`;
    });
  const inputs = [
    ...fc.sample(dataUrls, 400),
    "data:no-comma",
    "data:;base64,YQ",
    "data:;base64,Y",
    // Pads where binascii skips them (no group open, or one not yet complete) and where one ends the data.
    "data:;base64,=QUJD",
    "data:;base64,QUJD=QUJD",
    "data:;base64,Q=QQQ",
    "data:;base64,QQ=A=",
    "data:;base64,QUI=QUJD",
    "data:;base64,QUJDQ===",
    "data:,",
  ];
  const script = `
import json, sys, urllib.request
out = []
for url in json.load(sys.stdin):
    try:
        with urllib.request.urlopen(url) as r:
            out.append([r.read().hex(), r.headers["Content-type"], r.headers["Content-length"], r.geturl()])
    except Exception as e:
        out.append({"error": "error"})
print(json.dumps(out))
`;
  const expected = await python<unknown[]>(script, inputs);
  for (const [i, url] of inputs.entries()) {
    let got: unknown;
    try {
      const r = await urlopen(url);
      got = [
        (await r.read()).toString("hex"),
        r.headers.get("Content-type"),
        r.headers.get("Content-length"),
        r.geturl(),
      ];
    } catch {
      got = { error: "error" };
    }
    assert.deepEqual(got, expected[i], JSON.stringify(url));
  }
});

test("parseHttpList and parseKeqvList split headers as python3's do", { skip }, async () => {
  const text = fc
    .array(fc.constantFrom("a", "b=", '"', "\\", ",", " ", "x=1", 'q="v,w"', "\t", "=", "é"), {
      maxLength: 14,
    })
    .map((p) => p.join(""));
  const inputs = fc.sample(text, RUNS);
  const script = `
import json, sys, urllib.request
out = []
for s in json.load(sys.stdin):
    lst = urllib.request.parse_http_list(s)
    try:
        kv = urllib.request.parse_keqv_list(filter(None, lst))
    except Exception as e:
        kv = {"error": "ValueError"}
    out.append([lst, kv])
print(json.dumps(out))
`;
  const expected = await python<unknown[]>(script, inputs);
  for (const [i, s] of inputs.entries()) {
    const list = parseHttpList(s);
    const kv = outcome(() => parseKeqvList(list.filter(Boolean)));
    const norm = "error" in (kv as object) ? { error: "ValueError" } : kv;
    assert.deepEqual([list, norm], expected[i], JSON.stringify(s));
  }
});

test("getproxies and proxyBypass read an environment as python3's do", { skip }, async () => {
  const names = fc.constantFrom(
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "Https_Proxy",
    "no_proxy",
    "NO_PROXY",
    "ftp_proxy",
    "REQUEST_METHOD",
    "PATH",
  );
  const values = fc.constantFrom(
    "",
    "http://p:1",
    "proxy:3128",
    "*",
    "example.com,.internal",
    "localhost, 127.0.0.1",
    "GET",
  );
  const env = fc.array(fc.tuple(names, values), { maxLength: 6 });
  const hosts = fc.constantFrom(
    "example.com",
    "a.example.com",
    "x.internal",
    "localhost",
    "127.0.0.1",
    "LOCALHOST:80",
    "other.org",
  );
  const inputs = fc.sample(fc.tuple(env, hosts), RUNS);
  const script = `
import json, os, sys, urllib.request
out = []
for env, host in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(dict(env))
    p = urllib.request.getproxies_environment()
    out.append([p, urllib.request.proxy_bypass_environment(host, p)])
print(json.dumps(out))
`;
  const expected = await python<unknown[]>(script, inputs);
  for (const [i, [env, host]] of inputs.entries()) {
    const proxies = getproxies(Object.fromEntries(env));
    assert.deepEqual([proxies, proxyBypass(host, proxies)], expected[i], JSON.stringify([env, host]));
  }
});

test("HTTPPasswordMgrWithDefaultRealm finds python3's credentials", { skip }, async () => {
  const uri = fc.constantFrom(
    "http://h/",
    "http://h:80/a",
    "https://h/a/b",
    "h:8080",
    "http://h/a",
    "http://h:81/",
    "https://h:443/",
    "http://other/",
  );
  const realm = fc.constantFrom(null, "r1", "r2");
  const inputs = fc.sample(fc.tuple(fc.array(fc.tuple(realm, uri), { maxLength: 4 }), realm, uri), RUNS);
  const script = `
import json, sys, urllib.request
out = []
for adds, realm, uri in json.load(sys.stdin):
    m = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for i, (r, u) in enumerate(adds):
        m.add_password(r, u, "user%d" % i, "pw%d" % i)
    out.append(list(m.find_user_password(realm, uri)))
print(json.dumps(out))
`;
  const expected = await python<unknown[]>(script, inputs);
  for (const [i, [adds, r, u]] of inputs.entries()) {
    const m = new HTTPPasswordMgrWithDefaultRealm();
    for (const [k, [ar, au]] of adds.entries()) m.addPassword(ar, au, `user${k}`, `pw${k}`);
    assert.deepEqual(m.findUserPassword(r, u), expected[i], JSON.stringify([adds, r, u]));
  }
});

test("parseProxy() splits proxy URLs as python3's _parse_proxy does, credentials with '/' included", {
  skip,
}, async () => {
  // CPython's own test_parse_proxy cases, then generated URLs with '/', '@' and ':' in odd places.
  const fixed = [
    "proxy.example.com",
    "proxy.example.com:3128",
    "joe:password@proxy.example.com",
    "joe:password@proxy.example.com:3128",
    "http://proxy.example.com/",
    "http://proxy.example.com:3128/",
    "http://joe:password@proxy.example.com/",
    "http://joe:password@proxy.example.com:3128",
    "http://joe:password@proxy.example.com:3128/",
    "http://user/name:password@localhost:22",
    "http://user@name:password@localhost",
    "http://user:pass/word@localhost/x",
    "http://host/path@x",
    "file:/ftp.example.com",
    "http:/joe@proxy",
  ];
  const piece = fc.constantFrom(
    "http:",
    "//",
    "/",
    "@",
    ":",
    "user",
    "pw",
    "host",
    "3128",
    "a/b",
    "%40",
    "é",
  );
  const inputs = [
    ...fixed,
    ...fc.sample(
      fc.array(piece, { maxLength: 8 }).map((p) => p.join("")),
      {
        numRuns: RUNS,
        seed: 20250723,
      },
    ),
  ];
  const script = `
import json, sys, urllib.request
out = []
for proxy in json.load(sys.stdin):
    try:
        out.append(list(urllib.request._parse_proxy(proxy)))
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;
  const expected = await python<unknown[]>(script, inputs);
  assert.deepEqual(expected[fixed.indexOf("http://user/name:password@localhost:22")], [
    "http",
    "user/name",
    "password",
    "localhost:22",
  ]);
  for (const [i, proxy] of inputs.entries()) {
    assert.deepEqual(
      outcome(() => parseProxy(proxy)),
      expected[i],
      JSON.stringify(proxy),
    );
  }
});
