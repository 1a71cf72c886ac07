/**
 * Unit tests of netkit/http/cookiejar: the jar with small fake requests and
 * responses (and netkit's own Request and HTTPMessage), the public-suffix
 * rule, clear() and its errors, iteration order, and the file jars (atomic
 * save, limits, LoadError, revert). python3 agreement is in
 * test/conformance/http-cookiejar*.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FileNotFoundError, ValueError } from "../../src/errors/index.js";
import {
  Cookie,
  CookieJar,
  type CookieRequest,
  DefaultCookiePolicy,
  isPublicSuffix,
  KeyError,
  LoadError,
  LWPCookieJar,
  MozillaCookieJar,
} from "../../src/http/cookiejar.js";
import { HTTPMessage } from "../../src/http/message.js";
import { Request } from "../../src/urllib/request.js";

class FakeRequest implements CookieRequest {
  readonly headers = new Map<string, string>();
  readonly fullUrl: string;
  readonly host: string;
  readonly type: string;
  readonly originReqHost: string;
  constructor(
    url: string,
    readonly unverifiable = false,
    origin?: string,
  ) {
    const u = new globalThis.URL(url);
    this.fullUrl = url;
    this.host = u.host;
    this.type = u.protocol.slice(0, -1);
    this.originReqHost = origin ?? u.hostname;
  }
  hasHeader(name: string) {
    return this.headers.has(name);
  }
  getHeader(name: string, defaultValue?: string) {
    return this.headers.get(name) ?? defaultValue;
  }
  addUnredirectedHeader(key: string, value: string) {
    this.headers.set(key, value);
  }
}

function response(...setCookies: string[]) {
  const msg = new HTTPMessage();
  for (const v of setCookies) msg.add("Set-Cookie", v);
  return { info: () => msg };
}

function cookieHeader(jar: CookieJar, url: string): string | undefined {
  const req = new FakeRequest(url);
  jar.addCookieHeader(req);
  return req.getHeader("Cookie");
}

describe("CookieJar", () => {
  test("extractCookies() then addCookieHeader() sends the cookie back to the same site only", () => {
    const jar = new CookieJar();
    jar.extractCookies(response("sid=1; Path=/", "lang=en"), new FakeRequest("http://www.example.com/a/b"));
    assert.equal(jar.size, 2);
    assert.equal(
      cookieHeader(jar, "http://www.example.com/a/c"),
      "lang=en; sid=1",
      "lang has the longer default path /a",
    );
    assert.equal(cookieHeader(jar, "http://www.example.com/"), "sid=1");
    assert.equal(cookieHeader(jar, "http://other.example/"), undefined);
  });

  test("addCookieHeader() sends the longest path first and keeps an existing Cookie header", () => {
    const jar = new CookieJar();
    const req = new FakeRequest("http://example.com/a/b/c");
    jar.extractCookies(response("short=1; Path=/", "long=2; Path=/a/b"), req);
    assert.equal(cookieHeader(jar, "http://example.com/a/b/c"), "long=2; short=1");
    const preset = new FakeRequest("http://example.com/a/b/c");
    preset.headers.set("Cookie", "mine=1");
    jar.addCookieHeader(preset);
    assert.equal(preset.getHeader("Cookie"), "mine=1");
  });

  test("secure cookies go only over https", () => {
    const jar = new CookieJar();
    jar.extractCookies(response("s=1; Secure"), new FakeRequest("https://example.com/"));
    assert.equal(cookieHeader(jar, "http://example.com/"), undefined);
    assert.equal(cookieHeader(jar, "https://example.com/"), "s=1");
  });

  test("Max-Age=0 deletes a stored cookie; an expired cookie is not sent", () => {
    const jar = new CookieJar();
    const req = new FakeRequest("http://example.com/");
    jar.extractCookies(response("a=1; Max-Age=100", "b=2"), req);
    assert.equal(jar.size, 2);
    jar.extractCookies(response("a=gone; Max-Age=0"), req);
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["b"],
    );
    jar.setCookie(new Cookie({ name: "old", value: "x", domain: "example.com", path: "/", expires: 1 }));
    assert.equal(cookieHeader(jar, "http://example.com/"), "b=2");
    assert.equal(jar.size, 1, "addCookieHeader() cleared the expired cookie");
  });

  test("works with netkit's urllib.request.Request and HTTPMessage", () => {
    const jar = new CookieJar();
    const req = new Request("http://www.example.com/shop/");
    jar.extractCookies(response("cart=3; Domain=.example.com; Path=/"), req);
    const next = new Request("http://api.example.com/v1");
    jar.addCookieHeader(next);
    assert.equal(next.getHeader("Cookie"), "cart=3");
    assert.ok(next.unredirectedHdrs.has("Cookie"), "the Cookie header is unredirected");
  });

  test("RFC 2965 cookies are refused unless enabled, then sent with $Version and Cookie2 is advertised", () => {
    const msg = new HTTPMessage();
    msg.add("Set-Cookie2", 'v1="x y"; Version=1; Path="/"');
    msg.add("Set-Cookie", "ns=1");
    const resp = { info: () => msg };
    const off = new CookieJar();
    off.extractCookies(resp, new FakeRequest("http://example.com/"));
    assert.deepEqual(
      [...off].map((c) => c.name),
      ["ns"],
    );
    const on = new CookieJar(new DefaultCookiePolicy({ rfc2965: true }));
    on.extractCookies(resp, new FakeRequest("http://example.com/"));
    const req = new FakeRequest("http://example.com/");
    on.addCookieHeader(req);
    assert.equal(req.getHeader("Cookie"), '$Version=1; v1=x y; $Path="/"; ns=1');
    assert.equal(req.getHeader("Cookie2"), '$Version="1"');
  });

  test("clear() removes by domain, path and name, and raises as Python does", () => {
    const jar = new CookieJar();
    const add = (domain: string, path: string, name: string) =>
      jar.setCookie(new Cookie({ name, value: "v", domain, path }));
    add("a.com", "/", "x");
    add("a.com", "/p", "y");
    add("b.com", "/", "z");
    add("a.com", "/", "w");
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["x", "w", "y", "z"],
      "iteration is domain, then path, then name, in insertion order",
    );
    assert.throws(() => jar.clear(undefined, undefined, "x"), ValueError);
    assert.throws(() => jar.clear(undefined, "/"), ValueError);
    assert.throws(() => jar.clear("a.com", "/", "nope"), KeyError);
    assert.throws(
      () => jar.clear("nope.com"),
      (e: unknown) => e instanceof KeyError && e.message === "'nope.com'",
    );
    jar.clear("a.com", "/", "x");
    jar.clear("a.com", "/p");
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["w", "z"],
    );
    jar.clear("b.com");
    assert.equal(jar.size, 1);
    jar.clear();
    assert.equal(jar.size, 0);
  });

  test("clearSessionCookies() keeps only persistent cookies; clearExpiredCookies() drops expired ones", () => {
    const jar = new CookieJar();
    const now = Date.now() / 1000;
    jar.setCookie(new Cookie({ name: "session", value: "1", domain: "a.com", path: "/", discard: true }));
    jar.setCookie(new Cookie({ name: "kept", value: "1", domain: "a.com", path: "/", expires: now + 3600 }));
    jar.setCookie(new Cookie({ name: "stale", value: "1", domain: "a.com", path: "/", expires: now - 10 }));
    jar.clearExpiredCookies();
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["session", "kept"],
    );
    jar.clearSessionCookies();
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["kept"],
    );
    assert.match(String(jar), /^<CookieJar\[<Cookie kept=1 for a\.com\/>\]>$/);
  });

  test("Cookie() refuses portSpecified without a port, lower-cases the domain, truncates expires", () => {
    assert.throws(
      () => new Cookie({ name: "a", value: "b", domain: "x", path: "/", portSpecified: true }),
      ValueError,
    );
    const c = new Cookie({
      name: "a",
      value: null,
      domain: "EXAMPLE.com",
      path: "/",
      expires: 10.9,
      port: "80",
    });
    assert.equal(c.domain, "example.com");
    assert.equal(c.expires, 10);
    assert.equal(String(c), "<Cookie a for example.com:80/>");
    assert.match(c.repr(), /^Cookie\(version=0, name='a', value=None, port='80'/);
  });
});

describe("DefaultCookiePolicy", () => {
  test("refuses a Domain attribute that is a public suffix (Python accepts it)", () => {
    const req = new FakeRequest("http://www.example.co.uk/");
    const strict = new CookieJar();
    strict.extractCookies(response("evil=1; Domain=.co.uk", "good=1; Domain=.example.co.uk"), req);
    assert.deepEqual(
      [...strict].map((c) => `${c.name}@${c.domain}`),
      ["good@.example.co.uk"],
    );
    const python = new CookieJar(new DefaultCookiePolicy({ publicSuffixes: false }));
    python.extractCookies(response("evil=1; Domain=.co.uk"), req);
    assert.equal(python.size, 1, "Python's policy stores it");
  });

  test("refuses private-section suffixes such as github.io, but lets the suffix host set its own", () => {
    const jar = new CookieJar();
    jar.extractCookies(response("a=1; Domain=github.io"), new FakeRequest("https://someone.github.io/"));
    assert.equal(jar.size, 0);
    jar.extractCookies(response("b=1; Domain=github.io"), new FakeRequest("https://github.io/"));
    assert.equal(jar.size, 1);
  });

  test("a host without dots cannot set cookies for all of .local", () => {
    const jar = new CookieJar();
    jar.extractCookies(response("a=1; Domain=.local", "b=2"), new FakeRequest("http://myhost/"));
    assert.deepEqual(
      [...jar].map((c) => `${c.name}@${c.domain}`),
      ["b@myhost.local"],
    );
  });

  test("isPublicSuffix() knows ICANN and private suffixes, not registrable names or IPs", () => {
    assert.equal(isPublicSuffix("co.uk"), true);
    assert.equal(isPublicSuffix("com"), true);
    assert.equal(isPublicSuffix("github.io"), true);
    assert.equal(isPublicSuffix("example.co.uk"), false);
    assert.equal(isPublicSuffix("127.0.0.1"), false);
    assert.equal(isPublicSuffix(""), false);
  });

  test("blocked and allowed domains apply on the way in and out", () => {
    const policy = new DefaultCookiePolicy({ blockedDomains: [".ads.example"], allowedDomains: null });
    const jar = new CookieJar(policy);
    jar.extractCookies(response("t=1"), new FakeRequest("http://x.ads.example/"));
    jar.extractCookies(response("ok=1"), new FakeRequest("http://site.example/"));
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["ok"],
    );
    policy.setAllowedDomains(["other.example"]);
    assert.equal(cookieHeader(jar, "http://site.example/"), undefined);
    assert.deepEqual(policy.allowedDomains(), ["other.example"]);
    assert.equal(policy.isNotAllowed("site.example"), true);
  });

  test("third-party cookies in unverifiable requests follow strictNsUnverifiable", () => {
    const req = new FakeRequest("http://tracker.example/pixel", true, "news.example");
    const lax = new CookieJar();
    lax.extractCookies(response("t=1"), req);
    assert.equal(lax.size, 1);
    const strict = new CookieJar(new DefaultCookiePolicy({ strictNsUnverifiable: true }));
    strict.extractCookies(response("t=1"), req);
    assert.equal(strict.size, 0);
  });
});

describe("FileCookieJar", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "netkit-cookiejar-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sample = () => {
    const far = Math.floor(Date.now() / 1000) + 86400 * 30;
    return [
      new Cookie({
        name: "sid",
        value: "abc",
        domain: ".example.com",
        domainSpecified: true,
        domainInitialDot: true,
        path: "/",
        expires: far,
      }),
      new Cookie({
        name: "flag",
        value: null,
        domain: "www.example.com",
        path: "/a",
        secure: true,
        expires: far,
      }),
      new Cookie({
        name: "h",
        value: "1",
        domain: "example.com",
        path: "/",
        expires: far,
        rest: { HTTPOnly: "" },
      }),
      new Cookie({ name: "sess", value: "2", domain: "example.com", path: "/", discard: true }),
    ];
  };

  test("MozillaCookieJar save() then load() gives the same cookies; session cookies only when asked", async () => {
    const file = join(dir, "moz.txt");
    const jar = new MozillaCookieJar(file);
    for (const c of sample()) jar.setCookie(c);
    await jar.save();
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const back = new MozillaCookieJar(file);
    await back.load();
    assert.deepEqual(
      [...back].map((c) => [c.name, c.value, c.domain, c.path, c.secure, c.hasNonstandardAttr("HTTPOnly")]),
      [
        ["sid", "abc", ".example.com", "/", false, false],
        ["flag", null, "www.example.com", "/a", true, false],
        ["h", "1", "example.com", "/", false, true],
      ],
    );
    await jar.save(undefined, { ignoreDiscard: true });
    const all = new MozillaCookieJar();
    await all.load(file, { ignoreDiscard: true });
    assert.equal(all.size, 4);
  });

  test("save() is atomic: no temporary file is left and a failed save keeps the old file", async () => {
    const file = join(dir, "atomic.txt");
    const jar = new MozillaCookieJar(file);
    for (const c of sample()) jar.setCookie(c);
    await jar.save();
    const before = await readdir(dir);
    assert.ok(!before.some((n) => n.endsWith(".tmp")));
    await assert.rejects(jar.save(join(dir, "missing-dir", "x.txt")), FileNotFoundError);
    assert.deepEqual(await readdir(dir), before);
  });

  test("load() raises LoadError for a wrong format and a file too large, and skips a line too long or not UTF-8", async () => {
    const write = async (name: string, data: string | Buffer) => {
      const f = join(dir, name);
      await writeFile(f, data);
      return f;
    };
    const jar = new MozillaCookieJar();
    await assert.rejects(
      jar.load(await write("nomagic.txt", "example.com\tFALSE\t/\tFALSE\t0\ta\tb\n")),
      LoadError,
    );
    const big = await write("big.txt", `# Netscape HTTP Cookie File\n${"#".repeat(2000)}\n`);
    await assert.rejects(jar.load(big, { maxBytes: 1000 }), LoadError);
    await jar.load(big, { maxLineLength: 1000 });
    await jar.load(big);
    await jar.load(await write("latin1.txt", Buffer.from("# Netscape HTTP Cookie File\n\xe9\n", "latin1")));
    await assert.rejects(jar.load(join(dir, "absent.txt")), FileNotFoundError);
    await assert.rejects(new MozillaCookieJar().load(), ValueError);
    assert.equal(jar.size, 0);
  });

  test("load() reads curl's session cookies (expiry 0) as session cookies", async () => {
    const f = join(dir, "curl.txt");
    await writeFile(f, "# Netscape HTTP Cookie File\n#HttpOnly_.example.com\tTRUE\t/\tFALSE\t0\tsid\t1\n");
    const jar = new MozillaCookieJar(f);
    await jar.load();
    assert.equal(jar.size, 0, "a session cookie is skipped without ignoreDiscard");
    await jar.load(f, { ignoreDiscard: true });
    const [c] = [...jar];
    assert.equal(c?.expires, null);
    assert.equal(c?.discard, true);
    assert.equal(c?.hasNonstandardAttr("HTTPOnly"), true);
  });

  test("a cookie whose value holds a tab or line break is left out of the file", async () => {
    const f = join(dir, "inject.txt");
    const jar = new MozillaCookieJar(f);
    const far = Math.floor(Date.now() / 1000) + 3600;
    jar.setCookie(
      new Cookie({
        name: "a",
        value: "x\nevil.com\tTRUE\t/\tFALSE\t0\tpwn\t1",
        domain: "example.com",
        path: "/",
        expires: far,
      }),
    );
    jar.setCookie(new Cookie({ name: "b", value: "ok", domain: "example.com", path: "/", expires: far }));
    await jar.save();
    const back = new MozillaCookieJar(f);
    await back.load(undefined, { ignoreDiscard: true });
    assert.deepEqual(
      [...back].map((c) => c.name),
      ["b"],
    );
  });

  test("revert() replaces the cookies, and keeps them when the file is bad", async () => {
    const good = join(dir, "revert.txt");
    const jar = new MozillaCookieJar(good);
    for (const c of sample()) jar.setCookie(c);
    await jar.save();
    jar.setCookie(new Cookie({ name: "extra", value: "1", domain: "x.com", path: "/" }));
    await jar.revert();
    assert.equal(jar.size, 3);
    const bad = join(dir, "revert-bad.txt");
    await writeFile(bad, "not a cookie file\n");
    await assert.rejects(jar.revert(bad), LoadError);
    assert.equal(jar.size, 3);
  });

  test("LWPCookieJar save() then load() keeps the RFC 2965 details", async () => {
    const f = join(dir, "lwp.txt");
    const jar = new LWPCookieJar(f);
    const far = Math.floor(Date.now() / 1000) + 86400;
    jar.setCookie(
      new Cookie({
        version: 1,
        name: "v1",
        value: "a b",
        port: "80,8080",
        portSpecified: true,
        domain: ".example.com",
        domainSpecified: true,
        domainInitialDot: true,
        path: "/p",
        pathSpecified: true,
        secure: true,
        expires: far,
        comment: "c",
        commentUrl: "http://x/",
        rest: { HttpOnly: null },
      }),
    );
    await jar.save();
    const back = new LWPCookieJar(f);
    await back.load();
    const [c] = [...back];
    assert.ok(c);
    assert.deepEqual(
      [
        c.version,
        c.name,
        c.value,
        c.port,
        c.portSpecified,
        c.domain,
        c.domainInitialDot,
        c.path,
        c.pathSpecified,
        c.secure,
        c.expires,
        c.comment,
        c.commentUrl,
      ],
      [1, "v1", "a b", "80,8080", true, ".example.com", true, "/p", true, true, far, "c", "http://x/"],
    );
    assert.equal(c.getNonstandardAttr("HttpOnly"), "None", "Python writes a flag's None as text");
    assert.match(
      back.asLwpStr(),
      /^Set-Cookie3: v1="a b"; path="\/p"; domain="\.example\.com"; port="80,8080"; path_spec;/,
    );
    await writeFile(f, "#LWP-Cookies-2.0\nSet-Cookie3: a=b; path=/; version=x\n");
    await back.load(f); // the malformed line is skipped (Python raises LoadError)
  });
});
