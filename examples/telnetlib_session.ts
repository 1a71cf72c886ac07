/**
 * A Telnet session with netkit's telnetlib, as Python's `telnetlib`
 * documentation shows it:
 *
 * ```python
 * tn = telnetlib.Telnet(HOST)
 * tn.read_until(b"login: ")
 * tn.write(user.encode('ascii') + b"\n")
 * tn.read_until(b"Password: ")
 * tn.write(password.encode('ascii') + b"\n")
 * tn.write(b"ls\n")
 * tn.write(b"exit\n")
 * print(tn.read_all().decode('ascii'))
 * ```
 *
 * with `expect` to tell a shell prompt from a refused login. Run it against
 * a Telnet server you may log in to:
 * `npx tsx examples/telnetlib_session.ts --host HOST --port 23 --user NAME --password SECRET --command "uname -a"`
 * (`--debug` shows the bytes and the option negotiation; every option the
 * server offers is refused, as Python refuses it).
 */
import { Telnet } from "../src/telnetlib/index.js";
import { isMain, parseEndpoint } from "./_args.js";

/** What to log in as and what to run. */
export interface Session {
  user: string;
  password: string;
  command: string;
  debug?: boolean;
}

/**
 * Logs in to the Telnet server at `host`:`port`, runs `command`, logs out;
 * resolves with the session's output after login (the command, its output
 * and the shell's goodbye).
 * @throws Error when the login is refused
 */
export async function telnetSession(host: string, port: number, session: Session): Promise<string> {
  await using tn = await Telnet.open(host, port, { timeout: 30 });
  if (session.debug) tn.setDebuglevel(1);
  await tn.readUntil(Buffer.from("login: "), 30);
  await tn.write(Buffer.from(`${session.user}\r\n`));
  if (session.password) {
    await tn.readUntil(Buffer.from("Password: "), 30);
    await tn.write(Buffer.from(`${session.password}\r\n`));
  }
  // A shell prompt ends in "$ " or "# "; anything else means the login failed.
  const [index, , text] = await tn.expect([/[$#] $/, /incorrect|denied|failed/i], 30);
  if (index !== 0) throw new Error(`Login refused: ${text.toString("latin1").trim()}`);
  await tn.write(Buffer.from(`${session.command}\r\n`));
  await tn.write(Buffer.from("exit\r\n"));
  return (await tn.readAll()).toString("latin1");
}

/** Command-line entry: `telnetlib_session [--host HOST] [--port PORT] --user NAME [--password SECRET] [--command CMD] [--debug]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 23 },
    {
      user: { type: "string" },
      password: { type: "string" },
      command: { type: "string" },
      debug: { type: "boolean" },
    },
  );
  const output = await telnetSession(host, port, {
    user: String(values.user ?? process.env.USER ?? ""),
    password: String(values.password ?? ""),
    command: String(values.command ?? "ls"),
    debug: values.debug === true,
  });
  process.stdout.write(output);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
