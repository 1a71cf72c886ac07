/**
 * The harness of the urllib.parse differential tests
 * (test/conformance/urllib-parse*.test.ts): the python3 side (with its model
 * of the later CPython security releases), the value transport, the runner
 * that compares every case, and the input generators. See
 * test/conformance/urllib-parse.test.ts for what is compared.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import * as P from "../../src/urllib/parse.js";
import { ENCODE_HANDLERS } from "./codec-diff.js";
import { hasCommand, peerSkip } from "./peers.js";
import { python } from "./python.js";

export const skip = peerSkip("python3", hasCommand("python3"));
export const SEED = 20250611;
export const RUNS = 10_000;
/** Each test runs python3 over 10,000+ cases: on a loaded machine that takes minutes, not seconds. */
export const SLOW = { timeout: 600_000 };

// ---------------------------------------------------------------------------
// Transport

type Wire = unknown;

export const PY = `
import json, sys, urllib.parse as P

def dec(x):
    if isinstance(x, list): return [dec(i) for i in x]
    if isinstance(x, dict):
        if '$b' in x: return bytes.fromhex(x['$b'])
        if '$f' in x: return float(x['$f'])
        if '$t' in x: return tuple(dec(i) for i in x['$t'])
        if '$d' in x: return {dec(k): dec(v) for k, v in x['$d']}
        if '$fn' in x: return getattr(P, x['$fn'])
        return {k: dec(v) for k, v in x.items()}
    return x

def enc(x):
    if isinstance(x, (bytes, bytearray)): return {'$b': bytes(x).hex()}
    if isinstance(x, tuple) and hasattr(x, '_fields'): return {'$r': type(x).__name__, 'f': [enc(i) for i in x]}
    if isinstance(x, (list, tuple)): return [enc(i) for i in x]
    if isinstance(x, dict): return {'$d': [[enc(k), enc(v)] for k, v in x.items()]}
    return x

def call(f, a, k):
    try:
        if f.endswith('+props'):
            r = getattr(P, f[:-6])(*a, **k)
            out = [enc(r)]
            for name in ('hostname', 'port', 'username', 'password'):
                try: out.append(enc(getattr(r, name)))
                except Exception as e: out.append({'$e': [type(e).__name__, str(e)]})
            out.append(enc(r.geturl()))
            return out
        return enc(getattr(P, f)(*a, **k))
    except Exception as e:
        return {'$e': [type(e).__name__, str(e)]}

# LATER: the CPython security releases after 3.11.7 that netkit follows, modelled here
# on python3 3.11.7 by swapping the module's own helpers for the duration of a call.
_host_check = P._check_bracketed_host
_split_netloc = P._splitnetloc
_unsplit = P.urlunsplit
_netloc = ['']

def _recording_split_netloc(url, start=0):
    netloc, rest = _split_netloc(url, start)
    _netloc[0] = netloc
    return netloc, rest

def _bracketed_netloc_check(_inner):
    # gh-105704: urlsplit calls this when the netloc holds both brackets.
    host_port = _netloc[0].rpartition('@')[2]
    before, bracket, rest = host_port.partition('[')
    if bracket:
        if before:
            raise ValueError('Invalid IPv6 URL')
        host, _, after = rest.partition(']')
        if after and not after.startswith(':'):
            raise ValueError('Invalid IPv6 URL')
    else:
        host = host_port.partition(':')[0]
    _host_check(host)

def _unsplit_keeping_authority(components):
    # gh-67693: a path starting with '//' gets the empty authority '//' before it.
    scheme, netloc, url, query, fragment, coerce = P._coerce_args(*components)
    if netloc or (scheme and scheme in P.uses_netloc) or url[:2] == '//':
        if url and url[:1] != '/':
            url = '/' + url
        url = '//' + (netloc or '') + url
    if scheme:
        url = scheme + ':' + url
    if query:
        url = url + '?' + query
    if fragment:
        url = url + '#' + fragment
    return coerce(url)

LATER = {
    'gh-105704': {'_splitnetloc': _recording_split_netloc, '_check_bracketed_host': _bracketed_netloc_check},
    'gh-67693': {'urlunsplit': _unsplit_keeping_authority},
}
ORIGINAL = {'_splitnetloc': _split_netloc, '_check_bracketed_host': _host_check, 'urlunsplit': _unsplit}

def call_as(issues, f, a, k):
    for issue in issues:
        for name, fn in LATER[issue].items():
            setattr(P, name, fn)
    P.clear_cache()
    try:
        return call(f, a, k)
    finally:
        for name, fn in ORIGINAL.items():
            setattr(P, name, fn)
        P.clear_cache()

def slashes(x):
    return isinstance(x, (str, bytes)) and x[:2] in ('//', b'//')

def may_differ(f, a, now):
    # Only a netloc with '[' (gh-105704) or a '//' path without a netloc (gh-67693) reaches
    # the changed helpers: other cases skip the second run, which would cost minutes.
    text = repr(a)
    if f in ('urlsplit+props', 'urlparse+props'):
        if '[' in text:
            return True
        parts = now[0]['f'] if isinstance(now, list) else None
        return parts is not None and slashes(dec(parts[2])) and not dec(parts[1])
    if f in ('urlunsplit', 'urlunparse'):
        parts = list(a[0]) if a and isinstance(a[0], (list, tuple)) else []
        return len(parts) > 2 and slashes(parts[2]) and not parts[1]
    if f == 'urldefrag':
        return '[' in text or ('#' in text and '//' in text)
    if f == 'urljoin':
        return '[' in text or '//' in text
    return False

def answer(c):
    f, a, k = c['f'], dec(c['a']), dec(c['k'])
    now = call(f, a, k)
    if not may_differ(f, a, now):
        return now
    later = call_as(list(LATER), f, a, k)
    if later == now:
        return now
    issues = [i for i in LATER if call_as([i], f, a, k) != now]
    return {'$later': issues, 'answer': later}

req = json.load(sys.stdin)
print(json.dumps([answer(c) for c in req]))
`;

/** A list of pairs that python receives as a list of tuples (netkit receives arrays). */
export class PyPairs {
  constructor(readonly pairs: Array<[unknown, unknown]>) {}
}

/** Python-side encoding of a JavaScript value (see the module comment). */
function wire(x: unknown): Wire {
  if (x instanceof PyPairs) return x.pairs.map((p) => ({ $t: wire(p) }));
  if (x instanceof Uint8Array) return { $b: Buffer.from(x).toString("hex") };
  if (typeof x === "number" && !Number.isSafeInteger(x)) return { $f: String(x) };
  if (Array.isArray(x)) return x.map(wire);
  if (x instanceof Map) return { $d: [...x].map(([k, v]) => [wire(k), wire(v)]) };
  if (x !== null && typeof x === "object") {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, wire(v)]));
  }
  return x;
}

/** netkit's results in the shape python's `enc` produces. */
function encode(x: unknown): Wire {
  if (
    x instanceof P.SplitResult ||
    x instanceof P.SplitResultBytes ||
    x instanceof P.ParseResult ||
    x instanceof P.ParseResultBytes ||
    x instanceof P.DefragResult ||
    x instanceof P.DefragResultBytes
  ) {
    return { $r: x.constructor.name, f: [...x].map(encode) };
  }
  if (x instanceof Uint8Array) return { $b: Buffer.from(x).toString("hex") };
  if (Array.isArray(x)) return x.map(encode);
  if (x !== null && typeof x === "object") {
    return { $d: Object.entries(x).map(([k, v]) => [k, encode(v)]) };
  }
  return x;
}

function caught(e: unknown): Wire {
  const err = e as Error;
  return { $e: [err.name, err.message] };
}

/** One case: python function name, positional arguments, keyword arguments. */
export interface Case {
  f: string;
  a: unknown[];
  k: Record<string, unknown>;
}

const KW: Record<string, string> = {
  keep_blank_values: "keepBlankValues",
  strict_parsing: "strictParsing",
  max_num_fields: "maxNumFields",
  allow_fragments: "allowFragments",
  quote_via: "quoteVia",
};

type AnyFunction = (...args: unknown[]) => unknown;
const FUNCS: Record<string, AnyFunction> = {
  quote: P.quote,
  quote_plus: P.quotePlus,
  quote_from_bytes: P.quoteFromBytes,
  unquote: P.unquote,
  unquote_plus: P.unquotePlus,
  unquote_to_bytes: P.unquoteToBytes,
  urlencode: P.urlencode,
  parse_qs: P.parseQs,
  parse_qsl: P.parseQsl,
  urlparse: P.urlparse,
  urlsplit: P.urlsplit,
  urlunparse: P.urlunparse,
  urlunsplit: P.urlunsplit,
  urljoin: P.urljoin,
  urldefrag: P.urldefrag,
  unwrap: P.unwrap,
} as unknown as Record<string, AnyFunction>;

/** Runs one case through netkit, shaped like python's answer. */
function local(c: Case): Wire {
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.k)) {
    const value = v && typeof v === "object" && "$fn" in v ? FUNCS[(v as { $fn: string }).$fn] : v;
    options[KW[k] ?? k] = value;
  }
  const props = c.f.endsWith("+props");
  const fn = FUNCS[props ? c.f.slice(0, -6) : c.f]!;
  const plain = c.a.map((x) => (x instanceof PyPairs ? x.pairs : x));
  const args = Object.keys(options).length ? [...plain, options] : plain;
  try {
    const r = fn(...args) as P.SplitResult;
    if (!props) return encode(r);
    const out = [encode(r)];
    for (const name of ["hostname", "port", "username", "password"] as const) {
      try {
        out.push(encode(r[name]));
      } catch (e) {
        out.push(caught(e));
      }
    }
    out.push(encode(r.geturl()));
    return out;
  } catch (e) {
    return caught(e);
  }
}

/**
 * parse_qs: python keeps insertion order, a JS object puts integer-like keys
 * first, so entries are sorted; python's bytes keys are netkit's ASCII text keys.
 */
function normalize(f: string, w: Wire): Wire {
  if (f !== "parse_qs" || !w || typeof w !== "object" || !("$d" in w)) return w;
  const entries = (w as { $d: Array<[Wire, Wire]> }).$d.map(([k, v]): [Wire, Wire] => [
    k && typeof k === "object" && "$b" in k
      ? Buffer.from((k as { $b: string }).$b, "hex").toString("latin1")
      : k,
    v,
  ]);
  entries.sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1));
  return { $d: entries };
}

function stable(w: Wire): Wire {
  // LookupError's text names netkit's supported encodings; compare its class only.
  if (w && typeof w === "object" && "$e" in w) {
    const [cls, msg] = (w as { $e: [string, string] }).$e;
    return { $e: [cls, cls === "LookupError" ? "" : msg] };
  }
  return w;
}

/** python3's answer for a case a later CPython security release answers differently. */
interface Later {
  $later: string[];
  answer: Wire;
}

function isLater(w: Wire): w is Later {
  return w !== null && typeof w === "object" && "$later" in w;
}

/**
 * Runs every case in python3 (one process) and in netkit, and compares them one by one.
 * @returns how many cases each later CPython issue decided (compared with its model, not 3.11.7)
 */
export async function compare(cases: Case[]): Promise<Map<string, number>> {
  const expected = await python<Wire[]>(
    PY,
    cases.map((c) => ({ f: c.f, a: wire(c.a), k: wire(c.k) })),
    240_000,
  );
  assert.equal(expected.length, cases.length);
  const later = new Map<string, number>();
  let failures = 0;
  const report: string[] = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    let answer = expected[i];
    if (isLater(answer)) {
      for (const issue of answer.$later) later.set(issue, (later.get(issue) ?? 0) + 1);
      answer = answer.answer;
    }
    const want = stable(normalize(c.f, answer));
    const got = stable(normalize(c.f, local(c)));
    try {
      assert.deepEqual(got, want);
    } catch {
      failures++;
      if (report.length < 8) {
        report.push(
          `${c.f}(${JSON.stringify(wire(c.a))}, ${JSON.stringify(wire(c.k))})\n   python: ${JSON.stringify(want)}\n   netkit: ${JSON.stringify(got)}`,
        );
      }
    }
  }
  if (process.env.NETKIT_DIFF_STATS) printStats(cases, expected);
  assert.equal(failures, 0, `${failures} of ${cases.length} cases differ:\n${report.join("\n")}`);
  return later;
}

/** With NETKIT_DIFF_STATS=1: how many cases of each function raised what, to check the generators reach the error paths. */
function printStats(cases: Case[], expected: Wire[]): void {
  const counts = new Map<string, number>();
  cases.forEach((c, i) => {
    const e = expected[i];
    const w = isLater(e) ? e.answer : e;
    let outcome = "ok";
    if (w && typeof w === "object" && "$e" in w) {
      const [cls, msg] = (w as { $e: [string, string] }).$e;
      outcome = `${cls}: ${msg.replace(/'.*'|\d+/g, "…").slice(0, 60)}`;
    } else if (Array.isArray(w)) {
      outcome = w
        .slice(1)
        .map((x) =>
          x && typeof x === "object" && "$e" in x ? (x as { $e: string[] }).$e[1]!.slice(0, 30) : "ok",
        )
        .join(" | ");
    }
    const key = `${c.f} -> ${outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  for (const [k, n] of [...counts].sort()) console.log(`${String(n).padStart(6)}  ${k}`);
}

export function sample<T>(arb: fc.Arbitrary<T>, runs = RUNS, seed = SEED): T[] {
  return fc.sample(arb, { numRuns: runs, seed });
}

// ---------------------------------------------------------------------------
// Generators

export const ASCII_WORD = fc.string({ unit: fc.constantFrom(..."abcxyzABZ0129-._~"), maxLength: 6 });
export const RESERVED = fc.constantFrom(...":/?#[]@!$&'()*+,;=");
export const PERCENT = fc.constantFrom(
  "%",
  "%4",
  "%zz",
  "%20",
  "%41",
  "%2f",
  "%2F",
  "%25",
  "%e2%82",
  "%E2%82%AC",
  "%C3%A9",
  "%c3",
  "%ff",
  "%FE%FF",
  "%ed%a0%80",
  "%F0%9F%98%80",
  "%f0%9f%98",
  "%c0%80",
  "%f4%90%80%80",
  "%%",
  "%u0041",
  "%2B",
  "%0A",
);
/** Non-ASCII characters whose behaviour differs somewhere: NFKC, case, digits, whitespace, surrogates. */
export const UNICODE = fc.constantFrom(
  "é",
  "€",
  "ß",
  "ü",
  "\u{1F600}",
  "\u{10348}",
  "\u{1D400}",
  "\uFF03",
  "\uFF0F",
  "\uFF1F",
  "\uFF20",
  "\uFF1A",
  "\u2100",
  "\u2474",
  "\uFE6B",
  "\uFF21",
  "\uFF10",
  "\u00B2",
  "\u0663",
  "\uFF18",
  "\uD800",
  "\uDBFF",
  "\uDC80",
  "\uDCFF",
  "\uDFFF",
  "\u0130",
  "\u03A3",
  "\u00A0",
  "\u0085",
  "\u2028",
  "\uFEFF",
  "\u3000",
  "\u200B",
  "\uFB00",
  "\u00AD",
  "\u0301",
  "\uE000",
  "\uFFFD",
  "\uFFFE",
  "漢",
  "한",
);
/** A character from blocks assigned long ago (identical in Python's Unicode 14 and Node's ICU). */
export const OLD_UNICODE = fc
  .oneof(
    fc.integer({ min: 0xa1, max: 0x52f }),
    fc.integer({ min: 0x4e00, max: 0x9fa5 }),
    fc.integer({ min: 0x1f300, max: 0x1f5ff }),
  )
  .map((cp) => String.fromCodePoint(cp));
export const CONTROL = fc.constantFrom(
  " ",
  "\t",
  "\r",
  "\n",
  "\x00",
  "\x01",
  "\x1f",
  "\x7f",
  "\x0b",
  "\x0c",
  "\\",
);
export const HOSTPART = fc.constantFrom(
  "[::1]",
  "[fe80::1%25en0]",
  "[fe80::1%eth0]",
  "[FE80::A%ZoNe]",
  "[v1.x]",
  "[v1a.b:c]",
  "[V1.x]",
  "[v.x]",
  "[1.2.3.4]",
  "[::ffff:1.2.3.4]",
  "[::ffff:1.2.3.04]",
  "[::1.2.3]",
  "[",
  "]",
  "[::g]",
  "[]",
  "[2001:db8::1]",
  "[1:2:3:4:5:6:7:8]",
  "[1:2:3:4:5:6:7:8:9]",
  "[1::2::3]",
  "[:1:2:3:4:5:6:7]",
  "[1:2:3:4:5:6:7:]",
  "[::]",
  "[12345::]",
  "[::1%]",
  "[::1%a%b]",
  "[a]b]",
  "]x[",
  "[::1]x[",
  "Example.COM",
  "EXAMPLE.com.",
  "xn--nxasmq6b",
  "127.0.0.1",
  "h\uFF0Fx",
  "h\u2100x",
  "ℌost",
);
export const SCHEME = fc.constantFrom(
  "http:",
  "https:",
  "HTTP:",
  "ftp:",
  "file:",
  "mailto:",
  "tel:",
  "sip:",
  "svn+ssh:",
  "a+b.c-d:",
  "1abc:",
  ":x",
  ":",
  "javascript:",
  "news:",
  "data:",
  "ws:",
  "x\u00e9:",
  "a_b:",
  " http:",
  "\x00http:",
  "ht\ttp:",
  "",
);
export const USERINFO = fc.constantFrom(
  "user@",
  "user:pass@",
  "u:p:q@",
  "@",
  "a@b@",
  ":@",
  "us%40er:p%3Ass@",
  "USER:@",
);
export const PORT = fc.constantFrom(
  ":80",
  ":",
  ":0",
  ":65535",
  ":65536",
  ":-1",
  ":abc",
  ":99999999999999999999",
  ":\u0663",
  ":\uFF18\uFF10",
  ":0080",
  ":\u00B2",
  ": 80",
  ":8 0",
  ":+1",
);
export const PATHPART = fc.constantFrom(
  "/",
  "//",
  "..",
  ".",
  "/..",
  "/./",
  "../",
  "./",
  ";",
  ";p=1",
  "a;b",
  "/x/y",
  "?",
  "#",
  "&",
  "=",
  "+",
  "g",
  "?q=1&r=2",
  "#frag",
  "\\",
);

/** Any token of the URL alphabet. */
export const TOKEN = fc.oneof(
  { weight: 4, arbitrary: ASCII_WORD },
  { weight: 3, arbitrary: RESERVED },
  { weight: 2, arbitrary: PERCENT },
  { weight: 2, arbitrary: UNICODE },
  { weight: 1, arbitrary: OLD_UNICODE },
  { weight: 1, arbitrary: CONTROL },
  { weight: 1, arbitrary: HOSTPART },
  { weight: 1, arbitrary: SCHEME },
  { weight: 1, arbitrary: USERINFO },
  { weight: 1, arbitrary: PORT },
  { weight: 2, arbitrary: PATHPART },
);
export const SOUP = fc.array(TOKEN, { maxLength: 10 }).map((t) => t.join(""));
const maybe = (arb: fc.Arbitrary<string>, freq = 2) => fc.option(arb, { nil: "", freq });
export const PATH = fc
  .array(fc.oneof(ASCII_WORD, PATHPART, PERCENT, UNICODE), { maxLength: 5 })
  .map((t) => t.join(""));

/** Structured URLs: scheme? //userinfo? host port? path ?query #fragment, each part sometimes odd. */
export const STRUCTURED = fc
  .tuple(
    fc.oneof(maybe(fc.constantFrom(" ", "\x01 ", "\t")), fc.constant("")),
    maybe(SCHEME),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant("//") },
      { weight: 1, arbitrary: fc.constantFrom("", "/", "\\\\", "/\t/") },
    ),
    maybe(USERINFO),
    fc.oneof(HOSTPART, ASCII_WORD, UNICODE, fc.constant("")),
    maybe(PORT),
    PATH,
    maybe(SOUP.map((s) => `?${s}`)),
    maybe(SOUP.map((s) => `#${s}`)),
    maybe(fc.constantFrom(" ", "\n", "\x00", "  ")),
  )
  .map((parts) => parts.join(""));

export const URL_TEXT = fc.oneof({ weight: 3, arbitrary: STRUCTURED }, { weight: 2, arbitrary: SOUP });
/** Bytes forms of a URL: ASCII-only ones parse, others raise UnicodeDecodeError as in Python. */
export const URL_ARG = fc.oneof(
  { weight: 4, arbitrary: URL_TEXT },
  {
    weight: 1,
    arbitrary: fc
      .tuple(URL_TEXT, fc.boolean())
      .map(([s, ascii]) => Buffer.from(ascii ? s.replace(/[\u0080-\uffff]/g, "") : s, "utf8")),
  },
);

export const ENCODING = fc.constantFrom<string | undefined>(
  undefined,
  undefined,
  undefined,
  "utf-8",
  "UTF8",
  "latin-1",
  "iso-8859-1",
  "ascii",
  "us-ascii",
);
export const ERRORS = fc.constantFrom<string | undefined>(undefined, undefined, ...ENCODE_HANDLERS);
export const SAFE = fc.oneof(
  fc.constantFrom<string | Uint8Array>(
    "/",
    "",
    ":/?",
    "!~*'()",
    "é/",
    "%",
    " ",
    "+",
    "@:",
    ";=&",
    "/\uD800",
    "\x00\x7f",
  ),
  fc.constantFrom<string | Uint8Array>(Buffer.from("/:"), Buffer.from([0x2f, 0xff, 0x20]), Buffer.alloc(0)),
);

export function kwargs(entries: Array<[string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

// ---------------------------------------------------------------------------
// The tests
