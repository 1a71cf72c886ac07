/**
 * ftplib's pure parsers (parse150, parse227, parse229, parse257, MLSD
 * facts, sanitize, the listing-line splitter) against python3's ftplib on
 * the same inputs: tables of the known cases, and fast-check inputs made
 * of the characters the parsers care about (fixed seed, bounded runs).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { splitTextLines } from "../../src/ftplib/ftp.js";
import {
  error_proto,
  error_reply,
  formatEprt,
  formatPort,
  parse150,
  parse227,
  parse229,
  parse257,
  parseMlsdLine,
} from "../../src/ftplib/index.js";
import { sanitize } from "../../src/ftplib/parse.js";
import { python } from "../_support/python.js";

type Result = { ok: unknown } | { err: string };

function attempt(f: () => unknown): Result {
  try {
    return { ok: f() };
  } catch (err) {
    return { err: (err as Error).name };
  }
}

/** The same calls in python3: `[fn, args]` each; errors as their class names (ValueError for int()). */
const PY = `
import ftplib, json, sys
def mlsd_line(line):
    facts_found, _, name = line.rstrip('\\r\\n').partition(' ')
    entry = {}
    for fact in facts_found[:-1].split(";"):
        key, _, value = fact.partition("=")
        entry[key.lower()] = value
    return [name, entry]
def universal(raw):
    import io
    return [l.rstrip('\\n') for l in io.TextIOWrapper(io.BytesIO(raw.encode('latin-1')), encoding='latin-1', newline=None)]
fns = {
  'parse150': ftplib.parse150, 'parse227': lambda r: list(ftplib.parse227(r)),
  'parse229': lambda r: list(ftplib.parse229(r, ('h', 21))), 'parse257': ftplib.parse257,
  'mlsd': mlsd_line, 'sanitize': ftplib.FTP().sanitize, 'lines': universal,
}
out = []
for fn, arg in json.load(sys.stdin):
    try:
        out.append({'ok': fns[fn](arg)})
    except Exception as e:
        out.append({'err': type(e).__name__})
print(json.dumps(out))
`;

function netkit(fn: string, arg: string): Result {
  switch (fn) {
    case "parse150":
      return attempt(() => parse150(arg));
    case "parse227":
      return attempt(() => parse227(arg));
    case "parse229":
      return attempt(() => parse229(arg, ["h", 21]));
    case "parse257":
      return attempt(() => parse257(arg));
    case "mlsd":
      return attempt(() => {
        const [name, facts] = parseMlsdLine(arg);
        return [name, { ...facts }];
      });
    case "sanitize":
      return attempt(() => sanitize(arg));
    case "lines":
      // A whole listing, line by line as retrlines reads it (one raw line at a time, split at LF).
      return attempt(() => {
        const raw = Buffer.from(arg, "latin1");
        const out: string[] = [];
        let start = 0;
        while (start < raw.length) {
          const lf = raw.indexOf(0x0a, start);
          const end = lf < 0 ? raw.length : lf + 1;
          for (const l of splitTextLines(raw.subarray(start, end))) out.push(l.toString("latin1"));
          start = end;
        }
        return out;
      });
    default:
      throw new Error(fn);
  }
}

/** netkit's deliberate deviations: where Python raises ValueError from int(), netkit raises error_proto. */
function expected(fn: string, py: Result): Result {
  if (fn === "parse229" && "err" in py && py.err === "ValueError") return { err: "error_proto" };
  return py;
}

async function compare(cases: Array<[string, string]>): Promise<void> {
  const py = await python<Result[]>(PY, cases);
  cases.forEach(([fn, arg], i) => {
    const nk = netkit(fn, arg);
    assert.deepEqual(
      nk,
      expected(fn, py[i]!),
      `${fn}(${JSON.stringify(arg)})\npython: ${JSON.stringify(py[i])}\nnetkit: ${JSON.stringify(nk)}`,
    );
  });
}

const TABLE: Array<[string, string]> = [
  ["parse150", "150 Opening BINARY mode data connection for a.bin (1024 bytes)"],
  ["parse150", "150 Opening data connection (12 BYTES)"],
  ["parse150", "150 Accepted data connection"],
  ["parse150", "150-multi\n150 line (5 bytes)"],
  ["parse150", "125 Data connection already open"],
  ["parse227", "227 Entering Passive Mode (127,0,0,1,195,80)."],
  ["parse227", "227 =127,0,0,1,4,1"],
  ["parse227", "227 Entering Passive Mode (010,001,0,1,999,999)"],
  ["parse227", "227 no address"],
  ["parse227", "228 (1,2,3,4,5,6)"],
  ["parse229", "229 Extended Passive Mode Entered (|||50000|)"],
  ["parse229", "229 (!!!21!)"],
  ["parse229", "229 (|||x|)"],
  ["parse229", "229 (||50000|)"],
  ["parse229", "229 ()"],
  ["parse229", "229 no parens"],
  ["parse229", "229 (|||  42 |)"],
  ["parse257", '257 "/home/a ""quoted"" dir" is current'],
  ["parse257", '257 "/unterminated'],
  ["parse257", "257 /not/quoted"],
  ["parse257", '257 ""'],
  ["parse257", '250 "/x"'],
  ["mlsd", "type=file;size=1024;modify=20261207120000; a b.txt"],
  ["mlsd", "Type=dir;Perm=el; sub"],
  ["mlsd", "type=file;size=1; name\r\n"],
  ["mlsd", "novalue;x=1; n"],
  ["mlsd", ""],
  ["mlsd", "no-space"],
  ["mlsd", "__proto__=x;constructor=y; evil"],
  ["sanitize", "PASS secret"],
  ["sanitize", "pass secret\r\n"],
  ["sanitize", "PASS"],
  ["sanitize", "USER 'alice' \\ \u00e9"],
  ["lines", "a\r\nb\nc\rd\r\r\ne"],
  ["lines", "only\r"],
  ["lines", "\n\n"],
];

describe("ftplib parsers", () => {
  test("parse150(), parse227(), parse229(), parse257(), MLSD facts and sanitize() give python3's answers for the known cases", async () => {
    await compare(TABLE);
  });

  test("the parsers give python3's answers for fast-check inputs (seeded)", async () => {
    const chars = fc.constantFrom(..."0123456789,|()\"' ;=-!xX\r\n(bytes)150227229257 ".split(""));
    const text = fc.array(chars, { maxLength: 40 }).map((a) => a.join(""));
    const withCode = (code: string) =>
      fc.tuple(fc.constantFrom(code, `${code} `, `${code}-`, "200 "), text).map(([c, t]) => c + t);
    const pasv = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 6, maxLength: 6 }), text)
      .map(([n, t]) => `227 Entering Passive Mode (${n.join(",")})${t}`);
    const epsv = fc
      .tuple(fc.constantFrom("|", "!", "#"), fc.integer({ min: 0, max: 70000 }), text)
      .map(([d, p, t]) => `229 x (${d}${d}${d}${p}${d})${t}`);
    const cases = fc.sample(
      fc.oneof(
        withCode("150").map((a) => ["parse150", a] as [string, string]),
        fc
          .tuple(withCode("150"), fc.integer({ min: 0, max: 1e9 }))
          .map(([a, n]) => ["parse150", `${a} (${n} bytes)`] as [string, string]),
        fc.oneof(withCode("227"), pasv).map((a) => ["parse227", a] as [string, string]),
        fc.oneof(withCode("229"), epsv).map((a) => ["parse229", a] as [string, string]),
        withCode("257").map((a) => ["parse257", a] as [string, string]),
        fc.tuple(withCode("257"), text).map(([a, t]) => ["parse257", `257 "${t}"${a}`] as [string, string]),
        text.map((a) => ["mlsd", a] as [string, string]),
        text.map((a) => ["sanitize", `PASS ${a}`] as [string, string]),
        text.map((a) => ["lines", a] as [string, string]),
      ),
      { seed: 959, numRuns: 3000 },
    );
    await compare(cases);
  });

  test("parse227() and parse229() throw error_reply for another code and error_proto without an address", () => {
    assert.throws(() => parse227("200 (1,2,3,4,5,6)"), error_reply);
    assert.throws(() => parse227("227 nothing"), error_proto);
    assert.throws(() => parse229("227 (|||1|)", ["h", 21]), error_reply);
    assert.throws(() => parse229("229 (|||1)", ["h", 21]), error_proto);
    assert.throws(() => parse229("229 (|||port|)", ["h", 21]), { code: "ERR_FTP_PROTO" });
  });

  test("formatPort() and formatEprt() round-trip through parse227() and parse229() (fast-check)", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (host, port) => {
        assert.deepEqual(parse227(`227 Entering Passive Mode (${formatPort(host, port)}).`), [host, port]);
        assert.deepEqual(
          parse229(`229 (${formatEprt(1, host, port).replace(/\|1\|[^|]*/, "||")})`, [host, 21]),
          [host, port],
        );
      }),
      { seed: 2428, numRuns: 500 },
    );
  });

  test("parseMlsdLine() keeps a fact named __proto__ as a plain fact", () => {
    const [, facts] = parseMlsdLine("__proto__=x;type=file; evil");
    assert.equal(Object.getOwnPropertyDescriptor(facts, "__proto__")?.value, "x");
    assert.equal(facts.type, "file");
    assert.equal(Object.getPrototypeOf(facts), null);
  });
});
