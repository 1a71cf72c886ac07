/**
 * Reading a mailbox with netkit's imaplib, as Python's `imaplib`
 * documentation does it:
 *
 * ```python
 * M = imaplib.IMAP4(host, port)
 * M.starttls()
 * M.login(user, password)
 * M.select()
 * typ, data = M.search(None, 'ALL')
 * for num in data[0].split():
 *     typ, data = M.fetch(num, '(RFC822)')
 *     print('Message %s\n%s\n' % (num, data[0][1]))
 * M.close()
 * M.logout()
 * ```
 *
 * plus IDLE (Python 3.14's, absent from 3.11): with `--idle SECONDS` it
 * then waits that long and reports new mail as it arrives.
 *
 * Run it against any IMAP server:
 * `npx tsx examples/imaplib_client.ts --host imap.example.org --port 143 --user me --password secret`
 * (`--cafile ca.pem` to trust a private CA for STARTTLS, `--idle 60` to watch).
 */
import { IMAP4, type IMAPDatum } from "../src/imaplib/index.js";
import { createDefaultContext } from "../src/socket/tls.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Where to connect and how to log in. */
export interface ClientOptions {
  user: string;
  password: string;
  /** A CA certificate file to trust for STARTTLS (the system's CAs otherwise). */
  cafile?: string;
  /** Seconds to wait for new mail after listing the mailbox (0: do not wait). */
  idle?: number;
  /** Called with each line as it is printed (the IDLE reports come while waiting). */
  print?: (line: string) => void;
}

/** The Subject header of a message's header block, unfolded. */
function subject(header: Buffer): string {
  const m = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(header.toString("latin1"));
  return m ? (m[1] as string).replace(/\r?\n[ \t]+/g, " ") : "(no subject)";
}

/** The literal of the first `[header, literal]` pair in a FETCH result. */
function literal(data: IMAPDatum[]): Buffer {
  const pair = data.find((d): d is [Buffer, Buffer] => Array.isArray(d));
  return pair ? pair[1] : Buffer.alloc(0);
}

/**
 * Lists the subjects in the INBOX of `user` at `host`:`port` (STARTTLS when
 * offered, certificate verified), then waits `idle` seconds for new mail.
 * Resolves with the lines printed.
 */
export async function imapClient(host: string, port: number, options: ClientOptions): Promise<string[]> {
  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    options.print?.(line);
  };
  await using M = await IMAP4.open(host, port, { timeout: 30 });
  if (M.capabilities.includes("STARTTLS")) {
    const context = createDefaultContext();
    if (options.cafile) context.loadVerifyLocations({ cafile: options.cafile });
    await M.starttls(context);
    print("STARTTLS: the rest of the session is encrypted");
  }
  await M.login(options.user, options.password);
  const [, [count]] = await M.select();
  print(`INBOX: ${String(count)} messages`);
  const [, [found]] = await M.search(null, "ALL");
  for (const num of String(found).split(" ").filter(Boolean)) {
    const [, data] = await M.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    print(`${num}: ${subject(literal(data))}`);
  }
  if (options.idle) {
    print(`Waiting ${options.idle} s for new mail...`);
    let newest = "";
    for await (const [typ, data] of M.idle({ duration: options.idle })) {
      if (typ === "EXISTS") {
        newest = String(data[0]);
        break; // ends IDLE (DONE), so commands can run again
      }
    }
    if (newest === "") print("No new mail.");
    else {
      const [, data] = await M.fetch(newest, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
      print(`New mail: ${newest}: ${subject(literal(data))}`);
    }
  }
  await M.close();
  return lines;
}

/** Command-line entry: `imaplib_client [--host HOST] [--port PORT] --user USER --password PASSWORD [--cafile FILE] [--idle SECONDS]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 143 },
    {
      user: { type: "string" },
      password: { type: "string" },
      cafile: { type: "string" },
      idle: { type: "string" },
    },
  );
  await imapClient(host, port, {
    user: String(values.user ?? ""),
    password: String(values.password ?? ""),
    ...(typeof values.cafile === "string" ? { cafile: values.cafile } : {}),
    idle: Number(values.idle ?? 0),
    print: (line) => console.log(line),
  });
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
