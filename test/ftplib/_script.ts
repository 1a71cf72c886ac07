/**
 * One FTP session, written once as a list of steps, played by netkit's
 * ftplib and by python3's (the reference) against the same server: each
 * step gives `{ ok: value }` or `{ err: [class, message] }`, and the two
 * lists must be equal. Reply texts are compared with the numbers after
 * each line's code masked (pure-ftpd's replies carry the time and the
 * transfer rate).
 */

import { ValueError } from "../../src/errors/index.js";
import { FTP, FTP_TLS, isFtpError } from "../../src/ftplib/index.js";
import { createDefaultContext } from "../../src/ssl.js";
import { PYTHON, python } from "../_support/python.js";

/** One step: the method and its arguments (bytes as latin-1 text). */
export type Step =
  | ["welcome"]
  | ["login", string, string]
  | ["auth"]
  | ["prot_p"]
  | ["prot_c"]
  | ["ccc"]
  | ["set_pasv", boolean]
  | ["sendcmd", string]
  | ["voidcmd", string]
  | ["pwd"]
  | ["cwd", string]
  | ["mkd", string]
  | ["rmd", string]
  | ["size", string]
  | ["delete", string]
  | ["rename", string, string]
  | ["nlst", ...string[]]
  | ["dir", ...string[]]
  | ["mlsd", string, string[]]
  | ["retrbinary", string, number, number | null]
  | ["retrlines", string]
  | ["storbinary", string, string, number | null]
  | ["storlines", string, string]
  | ["quit"];

/** What a step gave. */
export type Outcome = { ok: unknown } | { err: [string, string] };

/** The session's settings. */
export interface SessionConfig {
  host: string;
  port: number;
  tls?: boolean;
  caFile?: string;
  timeout?: number;
}

/** Masks the numbers after each line's code in a reply (times, rates and their units, counts, ports). */
export function maskReply(text: string): string {
  return text
    .split("\n")
    .map(
      (line) =>
        line.slice(0, 4) +
        line
          .slice(4)
          .replace(/[0-9]+/g, "N")
          .replace(/[KMG]bytes per/g, "bytes per"),
    )
    .join("\n");
}

/** Normalises an outcome for comparison: replies masked, MLSD times of "." and ".." dropped. */
function normalise(step: Step, outcome: Outcome): Outcome {
  if ("err" in outcome) return { err: [outcome.err[0], maskReply(outcome.err[1])] };
  const v = outcome.ok;
  if (step[0] === "mlsd") {
    return {
      ok: (v as [string, Record<string, string>][]).map(([name, facts]) => {
        const f = { ...facts };
        if (f.type === "cdir" || f.type === "pdir") delete f.modify;
        return [name, f];
      }),
    };
  }
  if (step[0] === "retrbinary" || step[0] === "retrlines") {
    const [resp, ...rest] = v as string[];
    return { ok: [maskReply(resp!), ...rest] }; // the reply masked, the data as it came
  }
  if (typeof v === "string") return { ok: maskReply(v) };
  if (Array.isArray(v)) return { ok: v.map((x) => (typeof x === "string" ? maskReply(x) : x)) };
  return outcome;
}

const PY_SESSION = `
import ftplib, json, ssl, sys
cfg = json.load(sys.stdin)
out = []
if cfg.get('tls'):
    ctx = ssl.create_default_context(cafile=cfg['caFile'])
    ftp = ftplib.FTP_TLS(context=ctx, timeout=cfg.get('timeout', 30))
else:
    ftp = ftplib.FTP(timeout=cfg.get('timeout', 30))
ftp.connect(cfg['host'], cfg['port'])
def run(step):
    op, args = step[0], step[1:]
    if op == 'welcome': return ftp.getwelcome()
    if op == 'login': return ftp.login(*args)
    if op == 'auth': return ftp.auth()
    if op == 'prot_p': return ftp.prot_p()
    if op == 'prot_c': return ftp.prot_c()
    if op == 'ccc': return ftp.ccc()
    if op == 'set_pasv': return ftp.set_pasv(args[0])
    if op == 'mlsd': return [[n, f] for n, f in ftp.mlsd(args[0], args[1])]
    if op == 'dir':
        lines = []
        resp = ftp.retrlines(' '.join(['LIST'] + [a for a in args if a]), lines.append)
        return lines
    if op == 'retrbinary':
        chunks = []
        resp = ftp.retrbinary(args[0], chunks.append, args[1], args[2])
        return [resp, b''.join(chunks).decode('latin-1')]
    if op == 'retrlines':
        lines = []
        resp = ftp.retrlines(args[0], lines.append)
        return [resp] + lines
    if op == 'storbinary':
        import io
        return ftp.storbinary(args[0], io.BytesIO(args[1].encode('latin-1')), 8192, None, args[2])
    if op == 'storlines':
        import io
        return ftp.storlines(args[0], io.BytesIO(args[1].encode('latin-1')))
    return getattr(ftp, op)(*args)
for step in cfg['steps']:
    try:
        out.append({'ok': run(step)})
    except Exception as e:
        out.append({'err': [type(e).__name__, str(e)]})
ftp.close()
print(json.dumps(out))
`;

/** Plays the steps with python3's ftplib. */
export function pythonSession(config: SessionConfig, steps: Step[]): Promise<Outcome[]> {
  return python<Outcome[]>(PY_SESSION, { ...config, steps }, 120_000);
}

/** The name Python shows for an error class netkit threw. */
function errorName(err: unknown): string {
  if (err instanceof ValueError) return "ValueError"; // CommandError is netkit's ValueError
  if (err instanceof Error) return err.name;
  return typeof err;
}

async function runStep(ftp: FTP, step: Step): Promise<unknown> {
  const tls = ftp as FTP_TLS;
  switch (step[0]) {
    case "welcome":
      return ftp.getwelcome();
    case "login":
      return ftp.login(step[1], step[2]);
    case "auth":
      return tls.auth();
    case "prot_p":
      return tls.protP();
    case "prot_c":
      return tls.protC();
    case "ccc":
      return tls.ccc();
    case "set_pasv":
      ftp.setPasv(step[1]);
      return null;
    case "sendcmd":
      return ftp.sendcmd(step[1]);
    case "voidcmd":
      return ftp.voidcmd(step[1]);
    case "pwd":
      return ftp.pwd();
    case "cwd":
      return ftp.cwd(step[1]);
    case "mkd":
      return ftp.mkd(step[1]);
    case "rmd":
      return ftp.rmd(step[1]);
    case "size":
      return ftp.size(step[1]);
    case "delete":
      return ftp.delete(step[1]);
    case "rename":
      return ftp.rename(step[1], step[2]);
    case "nlst":
      return ftp.nlst(...step.slice(1));
    case "dir": {
      const lines: string[] = [];
      await ftp.dir(...step.slice(1), (l: string) => {
        lines.push(l);
      });
      return lines;
    }
    case "mlsd":
      return ftp.mlsd(step[1], step[2]);
    case "retrbinary": {
      const chunks: Buffer[] = [];
      const resp = await ftp.retrbinary(step[1], (b) => chunks.push(b), {
        blocksize: step[2],
        rest: step[3],
      });
      return [resp, Buffer.concat(chunks).toString("latin1")];
    }
    case "retrlines": {
      const lines: string[] = [];
      const resp = await ftp.retrlines(step[1], (l) => {
        lines.push(l);
      });
      return [resp, ...lines];
    }
    case "storbinary":
      return ftp.storbinary(step[1], Buffer.from(step[2], "latin1"), { rest: step[3] });
    case "storlines":
      return ftp.storlines(step[1], Buffer.from(step[2], "latin1"));
    case "quit":
      return ftp.quit();
  }
}

/** Plays the steps with netkit's ftplib. */
export async function netkitSession(config: SessionConfig, steps: Step[]): Promise<Outcome[]> {
  let ftp: FTP;
  if (config.tls) {
    const context = createDefaultContext();
    if (config.caFile) context.loadVerifyLocations({ cafile: config.caFile });
    ftp = new FTP_TLS({ context, timeout: config.timeout ?? 30 });
  } else {
    ftp = new FTP({ timeout: config.timeout ?? 30 });
  }
  await ftp.connect(config.host, config.port);
  const out: Outcome[] = [];
  try {
    for (const step of steps) {
      try {
        const value = await runStep(ftp, step);
        out.push({ ok: value === undefined ? null : value });
      } catch (err) {
        if (!isFtpError(err) && !(err instanceof ValueError)) throw err;
        out.push({ err: [errorName(err), (err as Error).message] });
      }
    }
  } finally {
    ftp.close();
  }
  return out;
}

/** Both sessions, normalised, step by step: `[step, python, netkit]`. */
export async function differential(
  config: SessionConfig,
  steps: Step[],
): Promise<Array<[Step, Outcome, Outcome]>> {
  const py = await pythonSession(config, steps);
  const nk = await netkitSession(config, steps);
  return steps.map((step, i) => [step, normalise(step, py[i]!), normalise(step, nk[i]!)]);
}

export { PYTHON };
