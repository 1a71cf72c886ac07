/**
 * Runs the same POP3 session through netkit's poplib and python3's, and
 * gives both results in one JSON shape, so a test compares them with one
 * `deepEqual`: bytes as `{ b: latin1 }`, a CAPA dict or Map as
 * `{ d: [[name, args], ...] }`, an `error_proto` as `{ err: its argument }`.
 *
 * An op is a Python method name and its arguments (`["retr", 1]`,
 * `["pass_", "secret"]`); netkit's name is the camelCase one (`pass`).
 */
import { error_proto, POP3, POP3_SSL } from "../../src/poplib/index.js";
import type { SSLContext } from "../../src/ssl.js";
import { python } from "../_support/python.js";

/** One op: Python's method name and its arguments. */
export type Op = [string, ...(string | number)[]];

/** What one op returned, JSON-shaped. */
export type Encoded = unknown;

/** netkit's name for a Python method. */
const NAMES: Record<string, string> = { pass_: "pass", set_debuglevel: "setDebuglevel" };

/** A value as JSON: the shape python3's side prints. */
export function encode(v: unknown): Encoded {
  if (Buffer.isBuffer(v)) return { b: v.toString("latin1") };
  if (v instanceof Map) return { d: [...v].map(([k, x]) => [k, encode(x)]) };
  if (Array.isArray(v)) return v.map(encode);
  if (v instanceof error_proto) return { err: encode(v.response) };
  if (v === undefined) return null;
  return v;
}

/** Options for both sides. */
export interface SessionOptions {
  /** Use TLS from the start (POP3_SSL), trusting `cafile`. */
  ssl?: boolean;
  /** The CA file to trust for POP3_SSL and stls(). */
  cafile?: string;
  /** The netkit context (made from `cafile` by the caller). */
  context?: SSLContext;
  /** Host to connect to. @default "127.0.0.1" */
  host?: string;
}

/** Runs `ops` with netkit's poplib; the first entry is the greeting. */
export async function netkitSession(
  port: number,
  ops: Op[],
  options: SessionOptions = {},
): Promise<Encoded[]> {
  const host = options.host ?? "127.0.0.1";
  const ctx = options.context ? { context: options.context } : {};
  const pop = options.ssl
    ? await POP3_SSL.open(host, port, { timeout: 20, ...ctx })
    : await POP3.open(host, port, { timeout: 20 });
  const out: Encoded[] = [encode(pop.getwelcome())];
  try {
    for (const [name, ...args] of ops) {
      const method = NAMES[name] ?? name;
      const fn = (pop as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!;
      const callArgs = method === "stls" ? [ctx] : args;
      try {
        out.push(encode(await fn.apply(pop, callArgs)));
      } catch (err) {
        if (!(err instanceof error_proto)) throw err;
        out.push(encode(err));
      }
    }
  } finally {
    pop.close();
  }
  return out;
}

const PY = `
import json, sys, poplib, ssl
cfg = json.load(sys.stdin)
ctx = None
if cfg.get('cafile'):
    ctx = ssl.create_default_context(cafile=cfg['cafile'])
if cfg.get('ssl'):
    p = poplib.POP3_SSL(cfg['host'], cfg['port'], timeout=20, context=ctx)
else:
    p = poplib.POP3(cfg['host'], cfg['port'], timeout=20)
def enc(v):
    if isinstance(v, bytes): return {'b': v.decode('latin1')}
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    if isinstance(v, dict): return {'d': [[k, enc(x)] for k, x in v.items()]}
    return v
out = [enc(p.getwelcome())]
for name, *args in cfg['ops']:
    try:
        if name == 'stls':
            out.append(enc(p.stls(context=ctx)))
        else:
            out.append(enc(getattr(p, name)(*args)))
    except poplib.error_proto as e:
        out.append({'err': enc(e.args[0])})
p.close()
print(json.dumps(out))
`;

/** Runs `ops` with python3's poplib; the first entry is the greeting. */
export function pythonSession(port: number, ops: Op[], options: SessionOptions = {}): Promise<Encoded[]> {
  return python<Encoded[]>(PY, {
    port,
    ops,
    host: options.host ?? "127.0.0.1",
    ssl: options.ssl ?? false,
    cafile: options.cafile ?? null,
  });
}
