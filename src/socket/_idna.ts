/**
 * Python's `idna` codec on host names: IDNA 2003 ToASCII (nameprep
 * approximated, RFC 3492 Punycode) for look-ups, and the decoding of
 * `xn--` labels for AI_CANONIDN and NI_IDN.
 *
 * @module
 */
import { domainToUnicode } from "node:url";
import { UnicodeError } from "../errors/index.js";

function idnaFailed(reason: string): UnicodeError {
  return new UnicodeError(`encoding with 'idna' codec failed (UnicodeError: ${reason})`);
}

/** RFC 3492 Punycode encoding of one label. */
function punycode(label: string): string {
  const BASE = 36;
  const T_MIN = 1;
  const T_MAX = 26;
  const codePoints = Array.from(label, (ch) => ch.codePointAt(0)!);
  let output = codePoints
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join("");
  const basic = output.length;
  if (basic > 0) output += "-";
  const digit = (d: number) => String.fromCharCode(d < 26 ? 0x61 + d : 0x30 + d - 26);
  const adapt = (delta: number, points: number, first: boolean): number => {
    let d = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
    d += Math.floor(d / points);
    let k = 0;
    while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
      d = Math.floor(d / (BASE - T_MIN));
      k += BASE;
    }
    return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + 38));
  };
  let n = 0x80;
  let delta = 0;
  let bias = 72;
  let handled = basic;
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of codePoints) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

const ASCII = /^\p{ASCII}*$/u;

/** RFC 3454 table B.1: characters nameprep maps to nothing. */
const MAPPED_TO_NOTHING = new Set([
  0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200b, 0x200c, 0x200d, 0x2060, 0xfe00, 0xfe01, 0xfe02, 0xfe03,
  0xfe04, 0xfe05, 0xfe06, 0xfe07, 0xfe08, 0xfe09, 0xfe0a, 0xfe0b, 0xfe0c, 0xfe0d, 0xfe0e, 0xfe0f, 0xfeff,
]);

/**
 * IDNA 2003 ToASCII of one non-ASCII label, as Python's `idna` codec does
 * it. Nameprep (RFC 3491) is approximated: characters mapped to nothing
 * are dropped, case is folded, NFKC applied; its prohibited-character and
 * bidi checks are not made.
 */
function labelToASCII(label: string): string {
  if (ASCII.test(label)) {
    if (label.length > 0 && label.length < 64) return label;
    throw idnaFailed("label empty or too long");
  }
  const prepared = label
    .split("")
    .filter((ch) => !MAPPED_TO_NOTHING.has(ch.charCodeAt(0)))
    .join("")
    .toLowerCase()
    .replace(/\u00df/g, "ss")
    .replace(/\u03c2/g, "\u03c3")
    .normalize("NFKC");
  if (ASCII.test(prepared)) {
    if (prepared.length > 0 && prepared.length < 64) return prepared;
    throw idnaFailed("label empty or too long");
  }
  if (prepared.toLowerCase().startsWith("xn--")) throw idnaFailed("Label starts with ACE prefix");
  const encoded = `xn--${punycode(prepared)}`;
  if (encoded.length < 64) return encoded;
  throw idnaFailed("label empty or too long");
}

/**
 * Python's `idna` codec on a host name (what `getaddrinfo`,
 * `gethostbyname` and friends do to a `str` host): ASCII names pass
 * unchanged after a label-length check; other labels become `xn--` ACE.
 */
export function idnaEncode(host: string): string {
  if (host === "") return "";
  if (ASCII.test(host)) {
    const labels = host.split(".");
    for (const label of labels.slice(0, -1)) {
      if (!(label.length > 0 && label.length < 64)) throw idnaFailed("label empty or too long");
    }
    if (labels.at(-1)!.length >= 64) throw idnaFailed("label too long");
    return host;
  }
  const labels = host.split(/[.\u3002\uff0e\uff61]/);
  let trailingDot = "";
  if (labels.length > 0 && labels.at(-1) === "") {
    trailingDot = ".";
    labels.pop();
  }
  return labels.map(labelToASCII).join(".") + trailingDot;
}

/** Decodes the `xn--` labels of a name (AI_CANONIDN, NI_IDN). */
export function idnaToUnicode(name: string): string {
  return name
    .split(".")
    .map((label) => {
      if (!label.toLowerCase().startsWith("xn--")) return label;
      const decoded = domainToUnicode(label);
      return decoded === "" ? label : decoded;
    })
    .join(".");
}
