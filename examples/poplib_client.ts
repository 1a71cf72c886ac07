/**
 * Reading a mailbox with netkit's poplib, as Python's `poplib`
 * documentation does it:
 *
 * ```python
 * M = poplib.POP3('localhost')
 * M.user(getpass.getuser())
 * M.pass_(getpass.getpass())
 * numMessages = len(M.list()[1])
 * for i in range(numMessages):
 *     for j in M.retr(i+1)[1]:
 *         print(j)
 * ```
 *
 * This one lists each message's size and Subject (TOP n 0 reads only the
 * headers), upgrades to TLS when the server offers STLS (trusting
 * `--cafile` if given, the system's CAs otherwise), and leaves the mailbox
 * as it was. Run it against any POP3 server:
 * `POP3_PASSWORD=secret npx tsx examples/poplib_client.ts --host pop.example.org --port 110 --user alice`.
 */
import { POP3 } from "../src/poplib/index.js";
import { createDefaultContext } from "../src/ssl.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Where to connect and as whom. */
export interface MailboxOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A CA file to trust for STLS (a test CA). @default the system's CAs */
  cafile?: string;
}

/** The Subject header among a message's header lines (without unfolding), or "(no subject)". */
function subjectOf(lines: Buffer[]): string {
  for (const line of lines) {
    if (line.length === 0) break; // the end of the headers
    const text = line.toString("latin1");
    if (/^subject:/i.test(text)) return text.slice(8).trim();
  }
  return "(no subject)";
}

/** Lists the mailbox; resolves with the lines the program prints. */
export async function listMailbox(options: MailboxOptions): Promise<string[]> {
  const out: string[] = [];
  await using pop = await POP3.open(options.host, options.port, { timeout: 30 });
  out.push(`Greeting: ${pop.getwelcome().toString("latin1")}`);
  const caps = await pop.capa().catch(() => new Map<string, string[]>());
  if (caps.has("STLS")) {
    const context = createDefaultContext(undefined, options.cafile ? { cafile: options.cafile } : {});
    await pop.stls({ context }); // verifies the server's certificate
    out.push("STLS: the rest of the session is encrypted");
  }
  await pop.user(options.user);
  await pop.pass(options.password);
  const [count, size] = await pop.stat();
  out.push(`${count} messages, ${size} octets`);
  const [, listing] = await pop.list();
  for (const entry of listing) {
    const [num, octets] = entry.toString("latin1").split(" ");
    const [, headers] = await pop.top(Number(num), 0);
    out.push(`${num}: ${octets} octets, ${subjectOf(headers)}`);
  }
  await pop.quit(); // nothing was marked for deletion, so nothing is deleted
  return out;
}

/** Command-line entry: `poplib_client [--host HOST] [--port PORT] --user USER [--cafile FILE]`, password in POP3_PASSWORD. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 110 },
    { user: { type: "string" }, cafile: { type: "string" } },
  );
  const user = typeof values.user === "string" ? values.user : (process.env.USER ?? "");
  const password = process.env.POP3_PASSWORD ?? "";
  const cafile = typeof values.cafile === "string" ? values.cafile : undefined;
  const lines = await listMailbox({ host, port, user, password, ...(cafile ? { cafile } : {}) });
  for (const line of lines) console.log(line);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
