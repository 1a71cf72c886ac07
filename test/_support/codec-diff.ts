/**
 * The case runner of the codec differential tests
 * (test/conformance/codecs.test.ts, codecs-utf7.test.ts, and test/_support/cjk-codecs.ts for the East Asian ones): a case is
 * `[op, codec, data, errors]`, `op` `"decode"` (data in hex) or `"encode"`
 * (data a string); both sides give `{ ok }` (the text, or the bytes in hex)
 * or `{ err: [class name, message] }`, and `compareCodecs` fails with the
 * first ten cases that differ, both answers printed.
 */
import assert from "node:assert/strict";
import { lookupCodec } from "../../src/_codecs.js";
import { python } from "./python.js";

/** One case: `[op, codec, data, errors]`. */
export type CodecCase = [op: string, codec: string, data: string, errors: string];

/** Python's decode error handlers (namereplace aside: netkit has no name table), in the order tests rotate through them. */
export const DECODE_HANDLERS: readonly string[] = [
  "strict",
  "replace",
  "ignore",
  "backslashreplace",
  "surrogateescape",
  "surrogatepass",
  "xmlcharrefreplace",
];

/** Python's encode error handlers (namereplace aside), in the order tests rotate through them. */
export const ENCODE_HANDLERS: readonly string[] = [
  "strict",
  "replace",
  "ignore",
  "backslashreplace",
  "xmlcharrefreplace",
  "surrogateescape",
  "surrogatepass",
];

/**
 * Cases for each codec: the i-th byte string decoded and the i-th text
 * encoded, the handler rotating with the case and shifted by one per codec,
 * so every codec meets every handler on different inputs.
 */
export function rotatingCases(
  codecs: readonly string[],
  bytes: readonly string[],
  texts: readonly string[],
  decodeHandlers: readonly string[] = DECODE_HANDLERS,
  encodeHandlers: readonly string[] = ENCODE_HANDLERS,
): CodecCase[] {
  const cases: CodecCase[] = [];
  codecs.forEach((codec, k) => {
    for (let i = 0; i < bytes.length; i++) {
      cases.push(["decode", codec, bytes[i]!, decodeHandlers[(i + k) % decodeHandlers.length]!]);
      cases.push(["encode", codec, texts[i]!, encodeHandlers[(i + k) % encodeHandlers.length]!]);
    }
  });
  return cases;
}

/** What `str.encode` / `bytes.decode` gave: the text or hex bytes, or the exception's class and message. */
export type Outcome = { ok: string } | { err: [string, string] };

const PY = `
import json, sys
def run(op, codec, data, errors):
    try:
        if op == 'decode':
            return {'ok': bytes.fromhex(data).decode(codec, errors)}
        return {'ok': data.encode(codec, errors).hex()}
    except Exception as e:
        return {'err': [type(e).__name__, str(e)]}
print(json.dumps([run(*c) for c in json.load(sys.stdin)]))
`;

/** netkit's answer to one case, as python3's script above gives it. */
export function netkitOutcome(op: string, codec: string, data: string, errors: string): Outcome {
  try {
    const c = lookupCodec(codec);
    return op === "decode"
      ? { ok: c.decode(Buffer.from(data, "hex"), errors) }
      : { ok: c.encode(data, errors).toString("hex") };
  } catch (e) {
    return { err: [(e as Error).name, (e as Error).message] };
  }
}

/**
 * Runs every case through python3 (one run) and netkit and fails unless all
 * agree; returns python3's outcomes, for the caller's own checks.
 * @param timeoutMs how long python3 may take (see `python`)
 */
export async function compareCodecs(cases: CodecCase[], timeoutMs: number): Promise<Outcome[]> {
  const expected = await python<Outcome[]>(PY, cases, timeoutMs);
  const report: string[] = [];
  let failures = 0;
  cases.forEach((c, i) => {
    const got = netkitOutcome(...c);
    // Outcomes are one-key plain objects of strings: their JSON is equal exactly when they are
    // (JSON.stringify escapes lone surrogates), and comparing it is much faster than deepStrictEqual.
    if (JSON.stringify(got) === JSON.stringify(expected[i])) return;
    failures++;
    if (report.length < 10) {
      report.push(
        `${c[0]}(${c[1]}, ${JSON.stringify(c[2])}, ${c[3]})\n   python: ${JSON.stringify(expected[i])}\n   netkit: ${JSON.stringify(got)}`,
      );
    }
  });
  assert.equal(failures, 0, `${failures} of ${cases.length} cases differ:\n${report.join("\n")}`);
  return expected;
}
