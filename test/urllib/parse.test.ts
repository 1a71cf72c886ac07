/**
 * Unit tests for netkit/urllib/parse: tables of cases per function (expected
 * values are what python3.11's urllib.parse returns for them, many taken from
 * the shapes of CPython's Lib/test/test_urlparse.py), every error path, the
 * bytes variants and the result types. The differential test in
 * test/conformance/urllib-parse.test.ts covers generated inputs.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import fc from "fast-check";
import { UnicodeError, ValueError } from "../../src/errors/index.js";
import {
  DefragResult,
  DefragResultBytes,
  LookupError,
  ParseResult,
  ParseResultBytes,
  parseQs,
  parseQsl,
  quote,
  quoteFromBytes,
  quotePlus,
  SplitResult,
  SplitResultBytes,
  UnicodeDecodeError,
  UnicodeEncodeError,
  unquote,
  unquotePlus,
  unquoteToBytes,
  unwrap,
  urldefrag,
  urlencode,
  urljoin,
  urlparse,
  urlsplit,
  urlunparse,
  urlunsplit,
  usesNetloc,
} from "../../src/urllib/parse.js";

const b = (s: string) => Buffer.from(s, "latin1");
const texts = (xs: Iterable<Buffer>) => [...xs].map((x) => x.toString("latin1"));

/** Asserts `fn` throws an error of class `name` with exactly `message`. */
function throwsExactly(fn: () => unknown, name: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, name);
    assert.equal(e.message, message);
    return true;
  });
}

const SPLIT_CASES: Array<[string, string[], string[]]> = [
  [
    "http://www.python.org",
    ["http", "www.python.org", "", "", ""],
    ["http", "www.python.org", "", "", "", ""],
  ],
  [
    "http://www.python.org#abc",
    ["http", "www.python.org", "", "", "abc"],
    ["http", "www.python.org", "", "", "", "abc"],
  ],
  [
    "http://www.python.org?q=abc",
    ["http", "www.python.org", "", "q=abc", ""],
    ["http", "www.python.org", "", "", "q=abc", ""],
  ],
  [
    "http://www.python.org/#abc",
    ["http", "www.python.org", "/", "", "abc"],
    ["http", "www.python.org", "/", "", "", "abc"],
  ],
  ["http://a/b/c/d;p?q#f", ["http", "a", "/b/c/d;p", "q", "f"], ["http", "a", "/b/c/d", "p", "q", "f"]],
  [
    "https://www.python.org/doc/?query=yes#frag",
    ["https", "www.python.org", "/doc/", "query=yes", "frag"],
    ["https", "www.python.org", "/doc/", "", "query=yes", "frag"],
  ],
  [
    "http://user:pass@Example.COM:8080/path",
    ["http", "user:pass@Example.COM:8080", "/path", "", ""],
    ["http", "user:pass@Example.COM:8080", "/path", "", "", ""],
  ],
  [
    "http://[::1]:5432/foo/",
    ["http", "[::1]:5432", "/foo/", "", ""],
    ["http", "[::1]:5432", "/foo/", "", "", ""],
  ],
  [
    "http://[dead:beef::1]/",
    ["http", "[dead:beef::1]", "/", "", ""],
    ["http", "[dead:beef::1]", "/", "", "", ""],
  ],
  [
    "http://[fe80::822a:a8ff:fe49:470c%tESt]:1234/keys",
    ["http", "[fe80::822a:a8ff:fe49:470c%tESt]:1234", "/keys", "", ""],
    ["http", "[fe80::822a:a8ff:fe49:470c%tESt]:1234", "/keys", "", "", ""],
  ],
  ["file:///tmp/junk.txt", ["file", "", "/tmp/junk.txt", "", ""], ["file", "", "/tmp/junk.txt", "", "", ""]],
  [
    "imap://mail.python.org/mbox1",
    ["imap", "mail.python.org", "/mbox1", "", ""],
    ["imap", "mail.python.org", "/mbox1", "", "", ""],
  ],
  [
    "mms://wms.sys.hinet.net/cts/Drama/09006251100.asf",
    ["mms", "wms.sys.hinet.net", "/cts/Drama/09006251100.asf", "", ""],
    ["mms", "wms.sys.hinet.net", "/cts/Drama/09006251100.asf", "", "", ""],
  ],
  [
    "nfs://server/path/to/file.txt",
    ["nfs", "server", "/path/to/file.txt", "", ""],
    ["nfs", "server", "/path/to/file.txt", "", "", ""],
  ],
  [
    "svn+ssh://svn.zope.org/repo/Zope/trunk/",
    ["svn+ssh", "svn.zope.org", "/repo/Zope/trunk/", "", ""],
    ["svn+ssh", "svn.zope.org", "/repo/Zope/trunk/", "", "", ""],
  ],
  [
    "git+ssh://git@github.com/user/project.git",
    ["git+ssh", "git@github.com", "/user/project.git", "", ""],
    ["git+ssh", "git@github.com", "/user/project.git", "", "", ""],
  ],
  [
    "mailto:1337@example.org",
    ["mailto", "", "1337@example.org", "", ""],
    ["mailto", "", "1337@example.org", "", "", ""],
  ],
  ["path/to/file", ["", "", "path/to/file", "", ""], ["", "", "path/to/file", "", "", ""]],
  ["//netloc/path", ["", "netloc", "/path", "", ""], ["", "netloc", "/path", "", "", ""]],
  ["/path?query#frag", ["", "", "/path", "query", "frag"], ["", "", "/path", "", "query", "frag"]],
  ["a+b.c-d:rest", ["a+b.c-d", "", "rest", "", ""], ["a+b.c-d", "", "rest", "", "", ""]],
  ["1abc:rest", ["", "", "1abc:rest", "", ""], ["", "", "1abc:rest", "", "", ""]],
  [":x", ["", "", ":x", "", ""], ["", "", ":x", "", "", ""]],
  ["  \u0000http://host/p", ["http", "host", "/p", "", ""], ["http", "host", "/p", "", "", ""]],
  ["ht\ttp://ho\nst/p\r", ["http", "host", "/p", "", ""], ["http", "host", "/p", "", "", ""]],
  ["http://host/p ", ["http", "host", "/p ", "", ""], ["http", "host", "/p ", "", "", ""]],
  ["HTTP://HOST/P", ["http", "HOST", "/P", "", ""], ["http", "HOST", "/P", "", "", ""]],
  ["http:80", ["http", "", "80", "", ""], ["http", "", "80", "", "", ""]],
  ["javascript:alert(1)", ["javascript", "", "alert(1)", "", ""], ["javascript", "", "alert(1)", "", "", ""]],
  ["http://a@b@c/", ["http", "a@b@c", "/", "", ""], ["http", "a@b@c", "/", "", "", ""]],
  ["http://:@host/", ["http", ":@host", "/", "", ""], ["http", ":@host", "/", "", "", ""]],
  ["http://host:/", ["http", "host:", "/", "", ""], ["http", "host:", "/", "", "", ""]],
  ["http://host:0/", ["http", "host:0", "/", "", ""], ["http", "host:0", "/", "", "", ""]],
  [
    "sip:alice@atlanta.com;maddr=239.255.255.1;ttl=15",
    ["sip", "", "alice@atlanta.com;maddr=239.255.255.1;ttl=15", "", ""],
    ["sip", "", "alice@atlanta.com", "maddr=239.255.255.1;ttl=15", "", ""],
  ],
  ["tel:+1-816-555-1212", ["tel", "", "+1-816-555-1212", "", ""], ["tel", "", "+1-816-555-1212", "", "", ""]],
  ["http://[v1.fe]/", ["http", "[v1.fe]", "/", "", ""], ["http", "[v1.fe]", "/", "", "", ""]],
  [
    "data:text/plain;base64,SGVsbG8=",
    ["data", "", "text/plain;base64,SGVsbG8=", "", ""],
    ["data", "", "text/plain;base64,SGVsbG8=", "", "", ""],
  ],
  ["http://h/p;a;b?q;r", ["http", "h", "/p;a;b", "q;r", ""], ["http", "h", "/p", "a;b", "q;r", ""]],
  ["/a/b;c/d;e", ["", "", "/a/b;c/d;e", "", ""], ["", "", "/a/b;c/d", "e", "", ""]],
];

const NETLOC_CASES: Array<[string, string | null, string | null, string | null, number | null]> = [
  ["http://User:Pass@Host.Example:8080/", "User", "Pass", "host.example", 8080],
  ["http://[::1]:80/", null, null, "::1", 80],
  ["http://[FE80::1%TeSt]:99/", null, null, "fe80::1%TeSt", 99],
  ["http://host", null, null, "host", null],
  ["http://@host", "", null, "host", null],
  ["http://user@", "user", null, null, null],
  ["http://u:@h:", "u", "", "h", null],
  ["http://h:00080/", null, null, "h", 80],
  ["//a:b@c:1", "a", "b", "c", 1],
  ["http:///x", null, null, null, null],
  ["http://h:65535", null, null, "h", 65535],
  ["http://İ.com/", null, null, "i̇.com", null],
];

const SPLIT_ERRORS: Array<[string, string | null]> = [
  ["http://[::1/", "Invalid IPv6 URL"],
  ["http://::1]/", "Invalid IPv6 URL"],
  ["http://[1.2.3.4]/", "An IPv4 address cannot be in brackets"],
  ["http://[v1]/", "IPvFuture address is invalid"],
  ["http://[abc]/", "'abc' does not appear to be an IPv4 or IPv6 address"],
  ["http://[::1%]/", "'::1%' does not appear to be an IPv4 or IPv6 address"],
  ["http://＃/", "netloc '＃' contains invalid characters under NFKC normalization"],
  ["http://a℀b/", "netloc 'a℀b' contains invalid characters under NFKC normalization"],
  ["http://u@[::1:80", "Invalid IPv6 URL"],
  ["http://[00000::]/", "'00000::' does not appear to be an IPv4 or IPv6 address"],
  ["http://[::ffff:1.2.3.04]/", "'::ffff:1.2.3.04' does not appear to be an IPv4 or IPv6 address"],
];

const PORT_CASES: Array<[string, number | string]> = [
  ["http://h:abc/", "Port could not be cast to integer value as 'abc'"],
  ["http://h:-1/", "Port could not be cast to integer value as '-1'"],
  ["http://h:65536/", "Port out of range 0-65535"],
  ["http://h:٣/", "Port could not be cast to integer value as '٣'"],
  ["http://h: 1/", "Port could not be cast to integer value as ' 1'"],
  ["http://h:99999999999999999999/", "Port out of range 0-65535"],
  ["http://h:+1/", "Port could not be cast to integer value as '+1'"],
];

/** RFC 3986 section 5.4 (normal and abnormal examples) against base http://a/b/c/d;p?q, as CPython resolves them. */
const RFC3986_JOINS: Array<[string, string]> = [
  ["g:h", "g:h"],
  ["g", "http://a/b/c/g"],
  ["./g", "http://a/b/c/g"],
  ["g/", "http://a/b/c/g/"],
  ["/g", "http://a/g"],
  ["//g", "http://g"],
  ["?y", "http://a/b/c/d;p?y"],
  ["g?y", "http://a/b/c/g?y"],
  ["#s", "http://a/b/c/d;p?q#s"],
  ["g#s", "http://a/b/c/g#s"],
  ["g?y#s", "http://a/b/c/g?y#s"],
  [";x", "http://a/b/c/;x"],
  ["g;x", "http://a/b/c/g;x"],
  ["g;x?y#s", "http://a/b/c/g;x?y#s"],
  ["", "http://a/b/c/d;p?q"],
  [".", "http://a/b/c/"],
  ["./", "http://a/b/c/"],
  ["..", "http://a/b/"],
  ["../", "http://a/b/"],
  ["../g", "http://a/b/g"],
  ["../..", "http://a/"],
  ["../../", "http://a/"],
  ["../../g", "http://a/g"],
  ["../../../g", "http://a/g"],
  ["../../../../g", "http://a/g"],
  ["/./g", "http://a/g"],
  ["/../g", "http://a/g"],
  ["g.", "http://a/b/c/g."],
  [".g", "http://a/b/c/.g"],
  ["g..", "http://a/b/c/g.."],
  ["..g", "http://a/b/c/..g"],
  ["./../g", "http://a/b/g"],
  ["./g/.", "http://a/b/c/g/"],
  ["g/./h", "http://a/b/c/g/h"],
  ["g/../h", "http://a/b/c/h"],
  ["g;x=1/./y", "http://a/b/c/g;x=1/y"],
  ["g;x=1/../y", "http://a/b/c/y"],
  ["g?y/./x", "http://a/b/c/g?y/./x"],
  ["g?y/../x", "http://a/b/c/g?y/../x"],
  ["g#s/./x", "http://a/b/c/g#s/./x"],
  ["g#s/../x", "http://a/b/c/g#s/../x"],
  ["http:g", "http://a/b/c/g"],
];

const OTHER_JOINS: Array<[string, string, string]> = [
  ["http://a/b/c/d", "../../../../../g", "http://a/g"],
  ["mailto:x@y", "z", "z"],
  ["http://a/b", "https://c/d", "https://c/d"],
  ["svn+ssh://h/a/b", "c", "svn+ssh://h/a/c"],
  ["http://a/b/", "//[::1]/x", "http://[::1]/x"],
  ["", "x", "x"],
  ["x", "", "x"],
  ["http://a/b?q", ";p", "http://a/;p"],
  ["http://a/b;p?q", "?", "http://a/b;p?q"],
  ["a/b/c", "../d", "a/d"],
  ["http://a", "b", "http://a/b"],
  ["http://a/b/c/", "..", "http://a/b/"],
  ["file:///x/y", "z", "file:///x/z"],
  ["http://a/b#f", "#g", "http://a/b#g"],
];

/** input, quote(), quote(safe=''), quote_plus(), quote_plus(safe='/+') */
const QUOTE_CASES: Array<[string, string, string, string, string]> = [
  ["", "", "", "", ""],
  ["abc", "abc", "abc", "abc", "abc"],
  ["a b", "a%20b", "a%20b", "a+b", "a+b"],
  ["/a/b c", "/a/b%20c", "%2Fa%2Fb%20c", "%2Fa%2Fb+c", "/a/b+c"],
  ["~user", "~user", "~user", "~user", "~user"],
  ["a+b", "a%2Bb", "a%2Bb", "a%2Bb", "a+b"],
  ["é", "%C3%A9", "%C3%A9", "%C3%A9", "%C3%A9"],
  ["😀", "%F0%9F%98%80", "%F0%9F%98%80", "%F0%9F%98%80", "%F0%9F%98%80"],
  ["!*'()", "%21%2A%27%28%29", "%21%2A%27%28%29", "%21%2A%27%28%29", "%21%2A%27%28%29"],
  ["%", "%25", "%25", "%25", "%25"],
  [
    "a/b?c=d&e#f",
    "a/b%3Fc%3Dd%26e%23f",
    "a%2Fb%3Fc%3Dd%26e%23f",
    "a%2Fb%3Fc%3Dd%26e%23f",
    "a/b%3Fc%3Dd%26e%23f",
  ],
  ["\u0000\u007f", "%00%7F", "%00%7F", "%00%7F", "%00%7F"],
  ["日本", "%E6%97%A5%E6%9C%AC", "%E6%97%A5%E6%9C%AC", "%E6%97%A5%E6%9C%AC", "%E6%97%A5%E6%9C%AC"],
];

/** input, unquote(), unquote_plus(), unquote_to_bytes() as hex */
const UNQUOTE_CASES: Array<[string, string, string, string]> = [
  ["abc", "abc", "abc", "616263"],
  ["%41%42", "AB", "AB", "4142"],
  ["%zz", "%zz", "%zz", "257a7a"],
  ["%", "%", "%", "25"],
  ["%4", "%4", "%4", "2534"],
  ["%e2%82", "�", "�", "e282"],
  ["%E2%82%AC", "€", "€", "e282ac"],
  ["a+b%20c", "a+b c", "a b c", "612b622063"],
  ["%C3%A9é%C3", "éé�", "éé�", "c3a9c3a9c3"],
  ["%ff%fe", "��", "��", "fffe"],
  ["%ed%a0%80", "���", "���", "eda080"],
  ["%F0%9F%98%80", "😀", "😀", "f09f9880"],
  ["%e2%82é%ac", "�é�", "�é�", "e282c3a9ac"],
  ["100%", "100%", "100%", "31303025"],
  ["%%41", "%A", "%A", "2541"],
];

/** query, parse_qsl(), parse_qsl(keep_blank_values=True), parse_qs() */
const QS_CASES: Array<[string, Array<[string, string]>, Array<[string, string]>, Record<string, string[]>]> =
  [
    [
      "a=1&b=2&a=3",
      [
        ["a", "1"],
        ["b", "2"],
        ["a", "3"],
      ],
      [
        ["a", "1"],
        ["b", "2"],
        ["a", "3"],
      ],
      { a: ["1", "3"], b: ["2"] },
    ],
    [
      "a=&b",
      [],
      [
        ["a", ""],
        ["b", ""],
      ],
      {},
    ],
    ["a=1;b=2", [["a", "1;b=2"]], [["a", "1;b=2"]], { a: ["1;b=2"] }],
    ["=x", [["", "x"]], [["", "x"]], { "": ["x"] }],
    ["a==b", [["a", "=b"]], [["a", "=b"]], { a: ["=b"] }],
    ["+a+=+b+", [[" a ", " b "]], [[" a ", " b "]], { " a ": [" b "] }],
    ["%zz=%e2%82", [["%zz", "�"]], [["%zz", "�"]], { "%zz": ["�"] }],
    ["&&a=1&&", [["a", "1"]], [["a", "1"]], { a: ["1"] }],
    ["a", [], [["a", ""]], {}],
    [
      "name=%C3%A9t%C3%A9&x=caf%E9",
      [
        ["name", "été"],
        ["x", "caf�"],
      ],
      [
        ["name", "été"],
        ["x", "caf�"],
      ],
      { name: ["été"], x: ["caf�"] },
    ],
  ];

describe("urlsplit() and urlparse()", () => {
  test("urlsplit() and urlparse() split a table of URLs as python3 does", () => {
    for (const [url, split, parsed] of SPLIT_CASES) {
      assert.deepEqual([...urlsplit(url)], split, `urlsplit(${JSON.stringify(url)})`);
      assert.deepEqual([...urlparse(url)], parsed, `urlparse(${JSON.stringify(url)})`);
    }
  });

  test("urlsplit() and urlparse() give the same parts for bytes, as Buffers", () => {
    for (const [url, split, parsed] of SPLIT_CASES) {
      if (/[\u0080-\uffff]/.test(url)) continue;
      const rs = urlsplit(b(url));
      const rp = urlparse(b(url));
      assert.ok(rs instanceof SplitResultBytes);
      assert.ok(rp instanceof ParseResultBytes);
      assert.ok([...rs].every((x) => Buffer.isBuffer(x)));
      assert.deepEqual(texts(rs), split);
      assert.deepEqual(texts(rp), parsed);
    }
  });

  test("urlsplit() accepts any Uint8Array as bytes", () => {
    const r = urlsplit(new Uint8Array(Buffer.from("http://h/p?q")));
    assert.deepEqual(texts(r), ["http", "h", "/p", "q", ""]);
  });

  test("urlsplit() keeps '#' in the path or query when allowFragments is false", () => {
    assert.deepEqual([...urlsplit("http://a/b#c", { allowFragments: false })], ["http", "a", "/b#c", "", ""]);
    assert.deepEqual(
      [...urlsplit("http://a/b?q#c", { allowFragments: false })],
      ["http", "a", "/b", "q#c", ""],
    );
  });

  test("urlsplit() uses the scheme option only when the URL has none, stripped like the URL", () => {
    assert.equal(urlsplit("//a/b", { scheme: "https" }).scheme, "https");
    assert.equal(urlsplit("ftp://a/b", { scheme: "https" }).scheme, "ftp");
    assert.equal(urlsplit("x", { scheme: " ht\ntp " }).scheme, "http");
    assert.equal(urlsplit(b("//a"), { scheme: b("https") }).scheme.toString(), "https");
    // An empty scheme of the other type is allowed, as Python's default argument is.
    assert.equal(urlsplit(b("//a"), { scheme: "" }).netloc.toString(), "a");
  });

  test("urlsplit() strips leading C0 controls and spaces and removes tab, CR, LF anywhere (WHATWG)", () => {
    assert.deepEqual([...urlsplit("\x00\x1f http://h/p")], ["http", "h", "/p", "", ""]);
    assert.deepEqual([...urlsplit("h\tt\rt\np://e\nx/a\tb")], ["http", "ex", "/ab", "", ""]);
    // Trailing spaces stay: only leading ones are stripped.
    assert.equal(urlsplit("http://h/p  ").path, "/p  ");
  });

  test("urlsplit() raises python3's ValueError for bad brackets and NFKC-unsafe netlocs", () => {
    for (const [url, message] of SPLIT_ERRORS) {
      if (message === null) {
        assert.doesNotThrow(() => urlsplit(url), url);
        continue;
      }
      throwsExactly(() => urlsplit(url), "ValueError", message);
      throwsExactly(() => urlparse(url), "ValueError", message);
    }
  });

  test("urlsplit() allows brackets only around the whole host, as CPython 3.12.9 and 3.13.2 (gh-105704)", () => {
    // Python 3.11.7 checks only the text between the first "[" and "]", and accepts all of these.
    for (const netloc of ["[::1]x", "[::1]]", "[::1]x:80", "x[::1]", "x.[v1.y]", "[v1.y].x", "u@x[::1]"]) {
      throwsExactly(() => urlsplit(`http://${netloc}/`), "ValueError", "Invalid IPv6 URL");
      throwsExactly(() => urlparse(`//${netloc}`), "ValueError", "Invalid IPv6 URL");
    }
    // Brackets in the userinfo leave the host to be checked as an address.
    throwsExactly(
      () => urlsplit("http://[a]@host/"),
      "ValueError",
      "'host' does not appear to be an IPv4 or IPv6 address",
    );
    for (const [netloc, hostname, port] of [
      ["[::1]:80", "::1", 80],
      ["u@[::1]", "::1", null],
      ["u[x]@[::1]:8", "::1", 8],
      ["[v1.y]:", "v1.y", null],
    ] as const) {
      const r = urlsplit(`http://${netloc}/p`);
      assert.equal(r.hostname, hostname, netloc);
      assert.equal(r.port, port, netloc);
    }
  });

  test("urlsplit() errors are ValueErrors with a stable code", () => {
    assert.throws(
      () => urlsplit("http://[x/"),
      (e: unknown) => e instanceof ValueError && e.code === "ERR_VALUE",
    );
  });

  test("urlsplit() accepts valid IPv6 literals: zones, embedded IPv4, ::", () => {
    for (const host of [
      "::",
      "::1",
      "1:2:3:4:5:6:7:8",
      "::ffff:1.2.3.4",
      "fe80::1%25en0",
      "1::",
      "1:2:3:4:5:6:7::",
    ]) {
      assert.equal(urlsplit(`http://[${host}]/`).hostname, host.toLowerCase());
    }
    for (const host of [
      "1:2:3:4:5:6:7:8:9",
      ":1::",
      "1::2::3",
      "1:2",
      "::1.2.3",
      "::12345",
      "::1/64",
      "v1.",
      "::1%a%b",
    ]) {
      assert.throws(() => urlsplit(`http://[${host}]/`), ValueError, host);
    }
  });

  test("urlsplit() raises TypeError when url and scheme mix str and bytes", () => {
    throwsExactly(
      () => urlsplit(b("http://a"), { scheme: "x" }),
      "TypeError",
      "Cannot mix str and non-str arguments",
    );
    throwsExactly(
      () => urlsplit("http://a", { scheme: b("x") }),
      "TypeError",
      "Cannot mix str and non-str arguments",
    );
  });

  test("urlsplit() raises UnicodeDecodeError for non-ASCII bytes", () => {
    throwsExactly(
      () => urlsplit(Buffer.from("http://\xff/", "latin1")),
      "UnicodeDecodeError",
      "'ascii' codec can't decode byte 0xff in position 7: ordinal not in range(128)",
    );
    assert.throws(
      () => urlsplit(Buffer.from([0x80])),
      (e: unknown) => e instanceof UnicodeError,
    );
  });

  test("urlparse() splits params only for schemes in uses_params, and only from the last segment", () => {
    assert.deepEqual([...urlparse("http://h/a;x/b;y")], ["http", "h", "/a;x/b", "y", "", ""]);
    assert.deepEqual([...urlparse("mailto:a;b")], ["mailto", "", "a;b", "", "", ""]);
    assert.deepEqual([...urlparse("a;b/c")], ["", "", "a;b/c", "", "", ""]);
  });
});

describe("result types", () => {
  test("SplitResult.username, .password, .hostname and .port follow python3", () => {
    for (const [url, user, password, host, port] of NETLOC_CASES) {
      const r = urlsplit(url);
      assert.deepEqual([r.username, r.password, r.hostname, r.port], [user, password, host, port], url);
      const p = urlparse(url);
      assert.deepEqual([p.username, p.password, p.hostname, p.port], [user, password, host, port], url);
    }
  });

  test("SplitResultBytes.hostname and the other netloc properties are Buffers, the host lower-cased in ASCII only", () => {
    const r = urlsplit(b("http://User:Pw@[FE80::A%TeSt]:81/"));
    assert.equal(r.username!.toString(), "User");
    assert.equal(r.password!.toString(), "Pw");
    assert.equal(r.hostname!.toString(), "fe80::a%TeSt");
    assert.equal(r.port, 81);
    assert.equal(urlsplit(b("http://h")).username, null);
    assert.equal(urlsplit(b("http:///p")).hostname, null);
  });

  test("SplitResult.port raises python3's ValueError for bad or out-of-range ports", () => {
    for (const [url, expected] of PORT_CASES) {
      if (typeof expected === "number") assert.equal(urlsplit(url).port, expected);
      else throwsExactly(() => urlsplit(url).port, "ValueError", expected);
    }
    throwsExactly(
      () => urlsplit(b("http://h:9x/")).port,
      "ValueError",
      "Port could not be cast to integer value as b'9x'",
    );
    throwsExactly(() => urlsplit(b("http://h:70000/")).port, "ValueError", "Port out of range 0-65535");
  });

  test("SplitResult() and the other results are tuples: index, length, iteration, destructuring", () => {
    const r = urlsplit("http://h/p?q#f");
    assert.equal(r.length, 5);
    assert.deepEqual([r[0], r[1], r[2], r[3], r[4]], ["http", "h", "/p", "q", "f"]);
    const [scheme, netloc, path] = r;
    assert.deepEqual([scheme, netloc, path], ["http", "h", "/p"]);
    assert.deepEqual(r.toArray(), ["http", "h", "/p", "q", "f"]);
    assert.deepEqual(r.asDict(), { scheme: "http", netloc: "h", path: "/p", query: "q", fragment: "f" });
    const p = urlparse("http://h/p;a");
    assert.equal(p.length, 6);
    assert.equal(p[3], "a");
    assert.deepEqual(SplitResult.fields, ["scheme", "netloc", "path", "query", "fragment"]);
    assert.deepEqual(ParseResult.fields, ["scheme", "netloc", "path", "params", "query", "fragment"]);
    assert.equal(urldefrag("a#b").length, 2);
    assert.equal(urldefrag("a#b")[1], "b");
  });

  test("SplitResult.toString() and util.inspect() print python3's repr", () => {
    assert.equal(
      String(urlsplit("http://h/it's")),
      `SplitResult(scheme='http', netloc='h', path="/it's", query='', fragment='')`,
    );
    assert.equal(
      inspect(urldefrag(b("a#\xff".replace("\xff", "")))),
      "DefragResultBytes(url=b'a', fragment=b'')",
    );
    assert.equal(
      inspect(new ParseResultBytes(b("x"), b(""), b("\n"), b(""), b(""), b("'"))),
      `ParseResultBytes(scheme=b'x', netloc=b'', path=b'\\n', params=b'', query=b'', fragment=b"'")`,
    );
  });

  test("geturl() puts the URL back together for every result type", () => {
    assert.equal(urlsplit("HTTP://h/p?#").geturl(), "http://h/p");
    assert.equal(urlparse("http://h/p;a?q#f").geturl(), "http://h/p;a?q#f");
    assert.equal(urldefrag("http://h/p#f").geturl(), "http://h/p#f");
    assert.equal(urldefrag("http://h/p").geturl(), "http://h/p");
    assert.equal(urlsplit(b("http://h/p?q")).geturl().toString(), "http://h/p?q");
    assert.equal(urlparse(b("http://h/p;a")).geturl().toString(), "http://h/p;a");
    assert.equal(urldefrag(b("x#y")).geturl().toString(), "x#y");
    assert.equal(urldefrag(b("x")).geturl().toString(), "x");
  });

  test("encode() and decode() convert between the str and bytes twins", () => {
    const r = urlsplit("http://a/b").encode();
    assert.ok(r instanceof SplitResultBytes);
    assert.deepEqual(texts(r), ["http", "a", "/b", "", ""]);
    const back = r.decode();
    assert.ok(back instanceof SplitResult);
    assert.deepEqual([...back], ["http", "a", "/b", "", ""]);
    assert.ok(urlparse("x").encode() instanceof ParseResultBytes);
    assert.ok(urlparse(b("x")).decode() instanceof ParseResult);
    assert.ok(urldefrag("x#y").encode() instanceof DefragResultBytes);
    assert.ok(urldefrag(b("x#y")).decode() instanceof DefragResult);
    assert.equal(urlsplit("http://h/é").encode({ encoding: "utf-8" }).path.toString("hex"), "2fc3a9");
    const latin = new SplitResultBytes(b("http"), b("h"), b("/\xe9"), b(""), b(""));
    assert.equal(latin.decode({ encoding: "latin-1" }).path, "/é");
    throwsExactly(
      () => urlsplit("http://h/é").encode(),
      "UnicodeEncodeError",
      "'ascii' codec can't encode character '\\xe9' in position 1: ordinal not in range(128)",
    );
    throwsExactly(
      () => latin.decode(),
      "UnicodeDecodeError",
      "'ascii' codec can't decode byte 0xe9 in position 1: ordinal not in range(128)",
    );
    assert.equal(urlsplit("http://h/é").encode({ errors: "replace" }).path.toString(), "/?");
  });

  test("replace() returns a copy with fields changed, like _replace()", () => {
    const r = urlsplit("http://h/p");
    const s = r.replace({ scheme: "https", query: "x=1" });
    assert.ok(s instanceof SplitResult);
    assert.equal(s.geturl(), "https://h/p?x=1");
    assert.equal(r.geturl(), "http://h/p");
    assert.equal(urlparse("http://h/p").replace({ params: "a" }).geturl(), "http://h/p;a");
    assert.equal(urldefrag("a#b").replace({ fragment: "c" }).geturl(), "a#c");
    assert.equal(
      urlsplit(b("http://h"))
        .replace({ path: b("/x") })
        .geturl()
        .toString(),
      "http://h/x",
    );
    throwsExactly(
      () => r.replace({ x: "1" } as unknown as { scheme: string }),
      "ValueError",
      "Got unexpected field names: ['x']",
    );
  });

  test("new SplitResult() builds a result read like Python's named tuple", () => {
    const r = new SplitResult("http", "u@h:1", "/", "", "");
    assert.equal(r.username, "u");
    assert.equal(r.port, 1);
    const rb = new SplitResultBytes(b("http"), b("h"), new Uint8Array([0x2f]), b(""), b(""));
    assert.ok(Buffer.isBuffer(rb.path));
    assert.equal(rb.geturl().toString(), "http://h/");
  });
});

describe("urlunsplit() and urlunparse()", () => {
  test("urlunsplit() and urlunparse() rebuild URLs from their parts", () => {
    const cases: Array<[string[], string]> = [
      [["http", "a", "b", "q", "f"], "http://a/b?q#f"],
      [["file", "", "/x", "", ""], "file:///x"],
      // A path starting with "//" keeps an empty authority before it (gh-67693, CPython 3.11.10):
      // 3.11.7 writes "http://x" and "//x", where x reads back as a host.
      [["http", "", "//x", "", ""], "http:////x"],
      [["", "", "//x", "", ""], "////x"],
      [["mailto", "", "//x", "", ""], "mailto:////x"],
      [["http", "", "x", "", ""], "http:///x"],
      [["mailto", "", "x@y", "", ""], "mailto:x@y"],
      [["", "", "p", "", ""], "p"],
      [["https", "h", "", "", ""], "https://h"],
    ];
    for (const [parts, url] of cases) assert.equal(urlunsplit(parts), url, JSON.stringify(parts));
    assert.equal(urlunparse(["http", "h", "/p", "a", "q", "f"]), "http://h/p;a?q#f");
    assert.equal(urlunparse(["http", "h", "/p", "", "", ""]), "http://h/p");
  });

  test("urlunsplit(urlsplit(x)) is stable after one round (http:80 becomes http:///80, as in python3)", () => {
    for (const [url] of SPLIT_CASES) {
      const once = urlunsplit(urlsplit(url));
      assert.equal(urlunsplit(urlsplit(once)), once, url);
      const onceP = urlunparse(urlparse(url));
      assert.equal(urlunparse(urlparse(onceP)), onceP, url);
    }
    assert.equal(urlunsplit(urlsplit("http:80")), "http:///80");
    // A "//" path survives the round trip as a path (gh-67693).
    for (const url of ["////evil.example/x", "http:////evil.example", "file:////share/x"]) {
      const back = urlsplit(urlunsplit(urlsplit(url)));
      assert.equal(back.netloc, "", url);
      assert.equal(urlunsplit(back), url);
    }
    assert.equal(urldefrag("////a/b#f").url, "////a/b");
  });

  test("urlunsplit() returns bytes for bytes parts and allows empty parts of either type", () => {
    assert.deepEqual(urlunsplit([b("http"), b("h"), b("/p"), b(""), b("")]), b("http://h/p"));
    assert.deepEqual(urlunparse([b("a"), b(""), b("c"), b(""), b(""), b("")]), b("a:c"));
    assert.equal(urlunsplit(["a", b(""), "c", "", ""] as unknown as string[]), "a:c");
  });

  test("urlunsplit() and urlunparse() raise python3's errors for wrong counts and mixed types", () => {
    throwsExactly(
      () => urlunsplit(["a", "b", "c", "d"]),
      "ValueError",
      "not enough values to unpack (expected 6, got 5)",
    );
    throwsExactly(
      () => urlunsplit(["a", "b", "c", "d", "e", "f"]),
      "ValueError",
      "too many values to unpack (expected 6)",
    );
    throwsExactly(() => urlunparse(["a"]), "ValueError", "not enough values to unpack (expected 7, got 2)");
    assert.throws(() => urlunsplit([]), ValueError);
    throwsExactly(
      () => urlunsplit(["a", b("b"), "c", "d", "e"] as unknown as string[]),
      "TypeError",
      "Cannot mix str and non-str arguments",
    );
    throwsExactly(
      () => urlunsplit([b("a"), b("\xff"), b(""), b(""), b("")]),
      "UnicodeDecodeError",
      "'ascii' codec can't decode byte 0xff in position 0: ordinal not in range(128)",
    );
  });
});

describe("urljoin()", () => {
  test("urljoin() resolves the RFC 3986 section 5.4 examples as python3 does", () => {
    for (const [ref, expected] of RFC3986_JOINS)
      assert.equal(urljoin("http://a/b/c/d;p?q", ref), expected, ref);
  });

  test("urljoin() handles other schemes, empty arguments and odd bases", () => {
    for (const [base, ref, expected] of OTHER_JOINS)
      assert.equal(urljoin(base, ref), expected, `${base} + ${ref}`);
  });

  test("urljoin() works on bytes and returns bytes", () => {
    assert.deepEqual(urljoin(b("http://a/b/c"), b("../d")), b("http://a/d"));
    assert.deepEqual(urljoin(b("http://a/b/c"), b("https://x")), b("https://x"));
    // Empty arguments are returned before any type check, as in CPython.
    assert.deepEqual(urljoin("", b("x")), b("x"));
    assert.equal(urljoin(b(""), "x"), "x");
  });

  test("urljoin() raises TypeError when base and url mix str and bytes", () => {
    throwsExactly(() => urljoin("http://a", b("b")), "TypeError", "Cannot mix str and non-str arguments");
  });

  test("urljoin() keeps '#' in the path when allowFragments is false", () => {
    assert.equal(urljoin("http://a/b#c", "d#e", { allowFragments: false }), "http://a/d#e");
    assert.equal(urljoin("http://a/b", "#e", { allowFragments: false }), "http://a/#e");
  });

  test("urljoin() propagates urlsplit's ValueError", () => {
    throwsExactly(() => urljoin("http://a/", "//[::1/"), "ValueError", "Invalid IPv6 URL");
  });
});

describe("urldefrag() and unwrap()", () => {
  test("urldefrag() splits off the fragment, re-parsing only when there is one", () => {
    const cases: Array<[string, string, string]> = [
      ["http://a/b#f", "http://a/b", "f"],
      ["http://a/b", "http://a/b", ""],
      ["http://a/b;p?q#", "http://a/b;p?q", ""],
      ["  http://a/b#x", "http://a/b", "x"],
      ["  http://a/b", "  http://a/b", ""],
      ["#only", "", "only"],
      ["a#b#c", "a", "b#c"],
    ];
    for (const [url, rest, frag] of cases) {
      const r = urldefrag(url);
      assert.ok(r instanceof DefragResult);
      assert.deepEqual([r.url, r.fragment], [rest, frag], url);
    }
    const rb = urldefrag(b("http://a/b#f"));
    assert.ok(rb instanceof DefragResultBytes);
    assert.deepEqual(texts(rb), ["http://a/b", "f"]);
    throwsExactly(() => urldefrag("http://[x#y"), "ValueError", "Invalid IPv6 URL");
  });

  test("unwrap() removes <URL:...> wrappers and Python's whitespace", () => {
    const cases: Array<[string, string]> = [
      [" <URL:http://a/b> ", "http://a/b"],
      ["<http://a>", "http://a"],
      ["URL:x", "x"],
      ["\x1c<URL: y >\x85", "y"],
      ["<>", ""],
      ["<", "<"],
      ["url:x", "url:x"],
      // JavaScript's trim() would remove U+FEFF; Python's strip() does not.
      ["\ufeffx", "\ufeffx"],
    ];
    for (const [input, expected] of cases) assert.equal(unwrap(input), expected, JSON.stringify(input));
  });
});

describe("quote(), quotePlus(), quoteFromBytes()", () => {
  test("quote() and quotePlus() escape a table of strings as python3 does", () => {
    for (const [input, q, qEmpty, qp, qpSafe] of QUOTE_CASES) {
      assert.equal(quote(input), q, `quote(${JSON.stringify(input)})`);
      assert.equal(quote(input, { safe: "" }), qEmpty);
      assert.equal(quotePlus(input), qp);
      assert.equal(quotePlus(input, { safe: "/+" }), qpSafe);
    }
  });

  test("quote() returns an already-safe string as it is", () => {
    const s = "abc/DEF-_.~123";
    assert.equal(quote(s), s);
  });

  test("quote() ignores non-ASCII characters in safe and accepts bytes safe", () => {
    assert.equal(quote("é/", { safe: "é/" }), "%C3%A9/");
    assert.equal(quote("a:b c", { safe: b(":\xff ") }), "a:b c");
    assert.equal(quote("x?", { safe: new Uint8Array([0x3f]) }), "x?");
  });

  test("quote() encodes with the encoding and errors options", () => {
    assert.equal(quote("é", { encoding: "latin-1" }), "%E9");
    assert.equal(quote("é", { encoding: "ISO-8859-1" }), "%E9");
    assert.equal(quote("a€", { encoding: "latin-1", errors: "xmlcharrefreplace" }), "a%26%238364%3B");
    assert.equal(quote("a€", { encoding: "ascii", errors: "replace" }), "a%3F");
    assert.equal(quote("a€b", { encoding: "ascii", errors: "ignore" }), "ab");
    assert.equal(quote("a\u20ac", { encoding: "ascii", errors: "backslashreplace" }), "a%5Cu20ac");
    assert.equal(quote("a\ud800", { errors: "surrogatepass" }), "a%ED%A0%80");
    assert.equal(quote("a\udcff", { errors: "surrogateescape" }), "a%FF");
    assert.equal(quote("\ud800", { errors: "replace" }), "%3F");
  });

  test("quote() raises UnicodeEncodeError for text the encoding cannot hold", () => {
    throwsExactly(
      () => quote("a\ud800b"),
      "UnicodeEncodeError",
      "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
    );
    throwsExactly(
      () => quote("\u{1F600}\ud800\udbff", { encoding: "utf-8" }),
      "UnicodeEncodeError",
      "'utf-8' codec can't encode characters in position 1-2: surrogates not allowed",
    );
    throwsExactly(
      () => quote("éé", { encoding: "ascii" }),
      "UnicodeEncodeError",
      "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)",
    );
    throwsExactly(
      () => quote("\u{1F600}", { encoding: "latin-1" }),
      "UnicodeEncodeError",
      "'latin-1' codec can't encode character '\\U0001f600' in position 0: ordinal not in range(256)",
    );
    const err = (() => {
      try {
        quote("ab\ud800", { errors: "strict" });
      } catch (e) {
        return e as UnicodeEncodeError;
      }
      return undefined;
    })();
    assert.ok(err instanceof UnicodeEncodeError);
    assert.deepEqual(
      [err.encoding, err.start, err.end, err.reason],
      ["utf-8", 2, 3, "surrogates not allowed"],
    );
  });

  test("quote() raises LookupError for unknown encodings and error handlers", () => {
    assert.throws(() => quote("x", { encoding: "bogus" }), LookupError);
    assert.equal(quote("€", { encoding: "cp1252" }), "%80");
    assert.equal(quote("€", { encoding: "windows-1252" }), "%80");
    assert.equal(quote("日本", { encoding: "shift_jis" }), "%93%FA%96%7B");
    // JIS X 0213: plane 2, and a kana with a combining mark as one character.
    assert.equal(quote("\u{20b9f}か\u309a", { encoding: "shift_jis_2004" }), "%98s%82%F5");
    // Python looks the handler up only when an error happens.
    assert.equal(quote("x", { errors: "bogus" }), "x");
    throwsExactly(
      () => quote("\ud800", { errors: "bogus" }),
      "LookupError",
      "unknown error handler name 'bogus'",
    );
    // An empty string returns before the encoding is looked up.
    assert.equal(quote("", { encoding: "bogus" }), "");
  });

  test("quote() quotes bytes byte by byte and rejects encoding or errors for them", () => {
    assert.equal(quote(Buffer.from([0xff, 0x20, 0x2f])), "%FF%20/");
    assert.equal(quotePlus(Buffer.from("a b+")), "a+b%2B");
    assert.equal(quote(new Uint8Array([0x41])), "A");
    assert.equal(quote(Buffer.alloc(0)), "");
    throwsExactly(
      () => quote(b("x"), { encoding: "utf-8" }),
      "TypeError",
      "quote() doesn't support 'encoding' for bytes",
    );
    throwsExactly(
      () => quotePlus(b("x y"), { errors: "strict" }),
      "TypeError",
      "quote() doesn't support 'errors' for bytes",
    );
  });

  test("quoteFromBytes() quotes bytes and rejects anything else", () => {
    assert.equal(quoteFromBytes(b("abc def?")), "abc%20def%3F");
    assert.equal(quoteFromBytes(b("a/b"), { safe: "" }), "a%2Fb");
    assert.equal(quoteFromBytes(b("")), "");
    throwsExactly(
      () => quoteFromBytes("x" as unknown as Uint8Array),
      "TypeError",
      "quote_from_bytes() expected bytes",
    );
  });
});

describe("unquote(), unquotePlus(), unquoteToBytes()", () => {
  test("unquote(), unquotePlus() and unquoteToBytes() decode a table of strings as python3 does", () => {
    for (const [input, u, up, bytes] of UNQUOTE_CASES) {
      assert.equal(unquote(input), u, `unquote(${JSON.stringify(input)})`);
      assert.equal(unquotePlus(input), up);
      assert.equal(unquoteToBytes(input).toString("hex"), bytes);
    }
  });

  test("unquote() decodes with the encoding and errors options", () => {
    assert.equal(unquote("%E9", { encoding: "latin-1" }), "é");
    assert.equal(unquote("%E9t%E9", { errors: "surrogateescape" }), "\udce9t\udce9");
    assert.equal(unquote("%E9", { errors: "backslashreplace" }), "\\xe9");
    assert.equal(unquote("a%E9b", { errors: "ignore" }), "ab");
    assert.equal(unquote("%ed%a0%80", { errors: "surrogatepass" }), "\ud800");
    assert.equal(unquote("%E9", { encoding: "ascii" }), "\ufffd");
  });

  test("unquote() raises UnicodeDecodeError with errors 'strict'", () => {
    assert.throws(
      () => unquote("a%C3", { errors: "strict" }),
      (e: unknown) =>
        e instanceof UnicodeDecodeError &&
        e.code === "ERR_UNICODE_DECODE" &&
        e.start === 1 &&
        e.end === 2 &&
        e.object.equals(Buffer.from([0x61, 0xc3])),
    );
    throwsExactly(
      () => unquote("%ffa", { errors: "strict" }),
      "UnicodeDecodeError",
      "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
    );
    throwsExactly(
      () => unquote("%e2%82", { errors: "strict" }),
      "UnicodeDecodeError",
      "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
    );
    throwsExactly(
      () => unquote("%e2%82A", { errors: "strict" }),
      "UnicodeDecodeError",
      "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
    );
    throwsExactly(
      () => unquote("%e9", { errors: "xmlcharrefreplace" }),
      "TypeError",
      "don't know how to handle UnicodeDecodeError in error callback",
    );
  });

  test("unquote() looks the encoding up only when there is a '%'", () => {
    assert.equal(unquote("plain", { encoding: "bogus" }), "plain");
    assert.throws(() => unquote("%41", { encoding: "bogus" }), LookupError);
    assert.equal(unquote("%41", { errors: "bogus" }), "A");
  });

  test("unquote() decodes bytes input to text", () => {
    assert.equal(unquote(b("%C3%A9+x")), "é+x");
    assert.equal(unquote(b("%E9"), { encoding: "latin-1" }), "é");
  });

  test("unquotePlus() rejects bytes as Python's bytes.replace('+', ' ') does", () => {
    throwsExactly(
      () => unquotePlus(b("a+b") as unknown as string),
      "TypeError",
      "a bytes-like object is required, not 'str'",
    );
  });

  test("unquoteToBytes() encodes text as UTF-8 first and copies bytes input", () => {
    assert.deepEqual(unquoteToBytes("é%41"), Buffer.from("éA"));
    assert.deepEqual(unquoteToBytes(""), Buffer.alloc(0));
    const input = b("abc");
    const out = unquoteToBytes(input);
    assert.deepEqual(out, input);
    out[0] = 0x7a;
    assert.equal(input.toString(), "abc");
    assert.deepEqual(unquoteToBytes(new Uint8Array([0x25, 0x34, 0x31])), b("A"));
    throwsExactly(
      () => unquoteToBytes("\ud800%41"),
      "UnicodeEncodeError",
      "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed",
    );
  });

  test("unquote(quote(s)) returns any well-formed string (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.constantFrom("", "/", ":/?#"),
        (s, safe) => {
          assert.equal(unquote(quote(s, { safe })), s);
          assert.equal(unquotePlus(quotePlus(s, { safe })), s);
        },
      ),
      { seed: 1234, numRuns: 500 },
    );
  });
});

describe("urlencode()", () => {
  test("urlencode() encodes plain objects, Maps and pair lists", () => {
    assert.equal(urlencode({ a: 1, b: "x y" }), "a=1&b=x+y");
    assert.equal(
      urlencode(
        new Map<unknown, unknown>([
          [1, "a"],
          [b("k"), b("\xff")],
        ]),
      ),
      "1=a&k=%FF",
    );
    assert.equal(
      urlencode([
        ["a", "1"],
        ["a", "2"],
      ]),
      "a=1&a=2",
    );
    assert.equal(urlencode([]), "");
    assert.equal(urlencode({}), "");
  });

  test("urlencode() converts values as Python's str() does", () => {
    assert.equal(
      urlencode({ n: null, t: true, f: false, x: 2.5, e: 1.5e-5, big: 1e16, neg: -0, i: 10n }),
      "n=None&t=True&f=False&x=2.5&e=1.5e-05&big=1e%2B16&neg=-0.0&i=10",
    );
    assert.equal(urlencode({ a: [1, "b", b("c")] }), "a=%5B1%2C+%27b%27%2C+b%27c%27%5D");
  });

  test("urlencode() with doseq expands arrays, Sets and mapping keys", () => {
    assert.equal(urlencode({ a: [1, 2] }, { doseq: true }), "a=1&a=2");
    assert.equal(urlencode({ a: new Set(["x", "y"]) }, { doseq: true }), "a=x&a=y");
    assert.equal(urlencode({ a: { x: 1, y: 2 } }, { doseq: true }), "a=x&a=y");
    assert.equal(urlencode({ a: [] }, { doseq: true }), "");
    assert.equal(urlencode({ a: "xy", b: b("z"), c: 3 }, { doseq: true }), "a=xy&b=z&c=3");
  });

  test("urlencode() passes safe, encoding and errors to quoteVia", () => {
    assert.equal(urlencode({ p: "/x y" }, { quoteVia: quote }), "p=%2Fx%20y");
    assert.equal(urlencode({ p: "/x y" }, { quoteVia: quote, safe: "/" }), "p=/x%20y");
    assert.equal(urlencode({ é: "ü" }, { encoding: "latin-1" }), "%E9=%FC");
    assert.equal(
      urlencode({ a: "€" }, { encoding: "ascii", errors: "xmlcharrefreplace" }),
      "a=%26%238364%3B",
    );
    const seen: unknown[] = [];
    const custom = (value: string | Uint8Array, options: { safe?: unknown; encoding?: unknown }) => {
      seen.push([typeof value === "string" ? "str" : "bytes", options.safe, options.encoding]);
      return "v";
    };
    assert.equal(urlencode([["k", b("x")]], { quoteVia: custom, safe: "!", encoding: "ascii" }), "v=v");
    assert.deepEqual(seen, [
      ["str", "!", "ascii"],
      ["bytes", "!", undefined],
    ]);
  });

  test("urlencode() raises python3's errors for strings and malformed pairs", () => {
    const msg = "not a valid non-string sequence or mapping object";
    throwsExactly(() => urlencode("ab" as never), "TypeError", msg);
    throwsExactly(() => urlencode(["ab"] as never), "TypeError", msg);
    throwsExactly(() => urlencode(null as never), "TypeError", msg);
    throwsExactly(
      () => urlencode([["a"]] as never),
      "ValueError",
      "not enough values to unpack (expected 2, got 1)",
    );
    throwsExactly(
      () => urlencode([["a", 1, 2]] as never),
      "ValueError",
      "too many values to unpack (expected 2)",
    );
    assert.equal(urlencode([["a", 1], "bc"] as never), "a=1&b=c");
    assert.throws(() => urlencode({ a: "\ud800" }), UnicodeEncodeError);
  });

  test("parseQsl(urlencode(pairs)) returns the pairs (property)", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 6 }), (pairs) => {
        assert.deepEqual(parseQsl(urlencode(pairs), { keepBlankValues: true }), pairs);
      }),
      { seed: 4321, numRuns: 300 },
    );
  });
});

describe("parseQs() and parseQsl()", () => {
  test("parseQsl() and parseQs() parse a table of queries as python3 does", () => {
    for (const [qs, pairs, blank, dict] of QS_CASES) {
      assert.deepEqual(parseQsl(qs), pairs, qs);
      assert.deepEqual(parseQsl(qs, { keepBlankValues: true }), blank, qs);
      assert.deepEqual({ ...parseQs(qs) }, dict, qs);
    }
  });

  test("parseQs() returns a null-prototype object, so __proto__ is an ordinary key", () => {
    const r = parseQs("__proto__=x&constructor=y&a=1");
    assert.equal(Object.getPrototypeOf(r), null);
    const proto = "__proto__";
    assert.deepEqual(r[proto], ["x"]);
    assert.ok(Object.hasOwn(r, proto));
    assert.deepEqual(r.constructor, ["y"]);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  test("parseQsl() honours separator and maxNumFields", () => {
    assert.deepEqual(parseQsl("a=1;b=2", { separator: ";" }), [
      ["a", "1"],
      ["b", "2"],
    ]);
    assert.deepEqual(parseQsl("a=1&&b=2", { separator: "&&" }), [
      ["a", "1"],
      ["b", "2"],
    ]);
    assert.deepEqual(parseQsl("a=1;b=2", { separator: b(";") }), [
      ["a", "1"],
      ["b", "2"],
    ]);
    assert.deepEqual(parseQsl("a=1&b=2", { maxNumFields: 2 }), [
      ["a", "1"],
      ["b", "2"],
    ]);
    throwsExactly(
      () => parseQsl("a=1&b=2&c=3", { maxNumFields: 2 }),
      "ValueError",
      "Max number of fields exceeded",
    );
    throwsExactly(() => parseQs("a&b", { maxNumFields: 0 }), "ValueError", "Max number of fields exceeded");
    assert.deepEqual(parseQsl("", { maxNumFields: 0 }), []);
    throwsExactly(
      () => parseQsl("a=1", { separator: "" }),
      "ValueError",
      "Separator must be of type string or bytes.",
    );
    throwsExactly(
      () => parseQsl("a=1", { separator: 5 as unknown as string }),
      "ValueError",
      "Separator must be of type string or bytes.",
    );
  });

  test("parseQsl() with strictParsing rejects empty fields and fields without '='", () => {
    throwsExactly(() => parseQsl("a=1&&b=2", { strictParsing: true }), "ValueError", "bad query field: ''");
    throwsExactly(() => parseQsl("a=1&b", { strictParsing: true }), "ValueError", "bad query field: 'b'");
    throwsExactly(() => parseQsl("it's", { strictParsing: true }), "ValueError", `bad query field: "it's"`);
    assert.deepEqual(parseQsl("a=", { strictParsing: true, keepBlankValues: true }), [["a", ""]]);
  });

  test("parseQsl() and parseQs() return Buffers for bytes, failing on non-ASCII results like python3", () => {
    assert.deepEqual(parseQsl(b("a=1&b=%41")), [
      [b("a"), b("1")],
      [b("b"), b("A")],
    ]);
    const d = parseQs(b("a=1&a=2"));
    assert.deepEqual(Object.keys(d), ["a"]);
    assert.deepEqual(d.a, [b("1"), b("2")]);
    throwsExactly(
      () => parseQsl(b("a=%C3%A9")),
      "UnicodeEncodeError",
      "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)",
    );
    throwsExactly(
      () => parseQsl(b("a=\xe9")),
      "UnicodeDecodeError",
      "'ascii' codec can't decode byte 0xe9 in position 2: ordinal not in range(128)",
    );
  });

  test("parseQsl() passes encoding and errors to unquote", () => {
    assert.deepEqual(parseQsl("a=%E9", { encoding: "latin-1" }), [["a", "é"]]);
    throwsExactly(
      () => parseQsl("a=%E9", { errors: "strict" }),
      "UnicodeDecodeError",
      "'utf-8' codec can't decode byte 0xe9 in position 0: unexpected end of data",
    );
  });
});

describe("encodings and Python's repr in messages", () => {
  test("quote() normalises encoding names as Python's codecs do", () => {
    for (const name of ["utf-8", "UTF8", "utf_8", "U8", "utf", " utf--8 "])
      assert.equal(quote("é", { encoding: name }), "%C3%A9", name);
    for (const name of ["latin-1", "Latin1", "l1", "iso8859-1", "ISO_8859-1:1987", "cp819"]) {
      assert.equal(quote("é", { encoding: name }), "%E9", name);
    }
    for (const name of ["ascii", "US-ASCII", "646", "ANSI_X3.4-1968"]) {
      assert.equal(quote("é", { encoding: name, errors: "replace" }), "%3F", name);
    }
    assert.throws(() => quote("é", { encoding: "utf.8" }), LookupError);
  });

  test("urlsplit() quotes values in messages as Python's repr() does", () => {
    const cases: Array<[string, string]> = [
      ["\x85", "'\\x85'"],
      ["a\u200bb", "'a\\u200bb'"],
      ["é\u{1F600}", "'é\u{1F600}'"],
      ["it's", `"it's"`],
      ['q"', `'q"'`],
      ["\ud800", "'\\ud800'"],
      ["\\", "'\\\\'"],
    ];
    for (const [host, repr] of cases) {
      throwsExactly(
        () => urlsplit(`http://[${host}]/`),
        "ValueError",
        `${repr} does not appear to be an IPv4 or IPv6 address`,
      );
    }
  });
});

describe("module data", () => {
  test("usesNetloc lists python3's schemes and is frozen", () => {
    assert.ok(usesNetloc.includes("svn+ssh"));
    assert.ok(Object.isFrozen(usesNetloc));
  });
});
