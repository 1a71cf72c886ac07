/**
 * netkit's telnetlib against a real Telnet server: Debian's
 * inetutils-telnetd on loopback. telnetd is an inetd service (it serves
 * the connection on its stdin and has no standalone mode), so the test runs
 * a small accept loop of its own: each connection accepted on a free
 * loopback port is handed to a new `telnetd -h` as its stdin, stdout and
 * stderr, as inetd would (`-h`: no host banner before login). telnetd runs
 * Debian's /bin/login, and the session logs in to the throwaway user
 * `netkit-telnet` that scripts/install-peers.sh creates (with a
 * ~/.hushlogin, so no motd or last-login line varies between runs).
 *
 * python3's telnetlib runs the same session; each read gives the same
 * bytes, with one thing set aside: whether the pty echoes what the client
 * types. telnetd turns the pty's echo on or off as the ECHO option is
 * refused, and whether that happens before or after login sets up the
 * terminal is timing (seen here: the same client, echo in one session and
 * none in the next, with python3's telnetlib and netkit's alike). So the
 * user name's echo is not compared, and the session runs `stty -echo`
 * before the command whose output is compared.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { DO, DONT, SB, SE, Telnet, TTYPE, WILL, WONT } from "../../src/telnetlib/index.js";
import { peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const TELNETD = "/usr/sbin/telnetd";
const USER = "netkit-telnet";
const PASSWORD = "netkit-telnet-pw";
const AVAILABLE =
  existsSync(TELNETD) &&
  process.getuid?.() === 0 &&
  spawnSync("id", [USER], { stdio: "ignore" }).status === 0;

let server: Server;
let port = 0;
const children = new Set<ChildProcess>();

/** The session's steps after login: a command, its output up to the prompt, and exit. */
const COMMAND = "echo hi-$((6*7)); echo TERM=$TERM\r\n";

describe("telnetlib against inetutils-telnetd", {
  skip: peerSkip("inetutils-telnetd (and the netkit-telnet user)", AVAILABLE),
}, () => {
  before(async () => {
    server = createServer({ pauseOnConnect: true }, (sock) => {
      // The child gets its own copy of the socket; the parent lets go of its own.
      const child = spawn(TELNETD, ["-h"], { stdio: [sock, sock, sock] });
      children.add(child);
      child.on("exit", () => children.delete(child));
      sock.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });

  after(() => {
    server?.close();
    for (const child of children) child.kill("SIGKILL");
  });

  test("Telnet logs in, runs a command and expects the prompt", async () => {
    await using tn = await Telnet.open("127.0.0.1", port, { timeout: 60 });
    const login = await tn.readUntil(Buffer.from("login: "), 60);
    assert.match(login.toString("latin1"), /login: $/);
    await tn.write(Buffer.from(`${USER}\r\n`));
    assert.match((await tn.readUntil(Buffer.from("Password: "), 60)).toString("latin1"), /Password: $/);
    await tn.write(Buffer.from(`${PASSWORD}\r\n`));
    const [index, , text] = await tn.expect([/\$ $/, /Login incorrect/], 60);
    assert.equal(index, 0, `not logged in: ${text.toString("latin1")}`);
    await tn.write(Buffer.from(COMMAND));
    const out = await tn.readUntil(Buffer.from("$ "), 60);
    // The pty may or may not echo the command (see the file comment); its output follows.
    assert.match(out.toString("latin1"), /(?:^|\n)hi-42\r\nTERM=[^\r]*\r\n\$ $/);
    await tn.write(Buffer.from("exit\r\n"));
    assert.match((await tn.readAll()).toString("latin1"), /^(?:exit\r\n)?$/);
    await assert.rejects(tn.readVeryEager(), { name: "EOFError" });
  });

  test("Telnet gives python3's telnetlib's bytes from every read of the same session", async () => {
    const script = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
import telnetlib
a = json.load(sys.stdin)
tn = telnetlib.Telnet("127.0.0.1", a["port"], 60)
out = []
out.append(tn.read_until(b"login: ", 60).decode("latin1"))
tn.write(a["user"].encode() + b"\r\n")
out.append(tn.read_until(b"Password: ", 60).decode("latin1"))
tn.write(a["password"].encode() + b"\r\n")
i, m, text = tn.expect([rb"\$ $", b"Login incorrect"], 60)
out.append([i, text.decode("latin1")])
tn.write(b"stty -echo\r\n")
tn.read_until(b"$ ", 60)
tn.write(a["command"].encode())
out.append(tn.read_until(b"hi-42", 60).decode("latin1"))
out.append(tn.read_until(b"$ ", 60).decode("latin1"))
out.append(tn.read_very_lazy().decode("latin1"))
tn.write(b"exit\r\n")
out.append(tn.read_all().decode("latin1"))
try:
    tn.read_very_eager()
    out.append("no EOFError")
except EOFError as e:
    out.append("EOFError: " + str(e))
print(json.dumps(out))
`;
    const py = await python<unknown[]>(script, { port, user: USER, password: PASSWORD, command: COMMAND });
    const tn = await Telnet.open("127.0.0.1", port, { timeout: 60 });
    const nk: unknown[] = [];
    nk.push((await tn.readUntil(Buffer.from("login: "), 60)).toString("latin1"));
    await tn.write(Buffer.from(`${USER}\r\n`));
    nk.push((await tn.readUntil(Buffer.from("Password: "), 60)).toString("latin1"));
    await tn.write(Buffer.from(`${PASSWORD}\r\n`));
    const [i, , text] = await tn.expect([/\$ $/, /Login incorrect/], 60);
    nk.push([i, text.toString("latin1")]);
    await tn.write(Buffer.from("stty -echo\r\n"));
    await tn.readUntil(Buffer.from("$ "), 60);
    await tn.write(Buffer.from(COMMAND));
    nk.push((await tn.readUntil(Buffer.from("hi-42"), 60)).toString("latin1"));
    nk.push((await tn.readUntil(Buffer.from("$ "), 60)).toString("latin1"));
    nk.push(tn.readVeryLazy().toString("latin1"));
    await tn.write(Buffer.from("exit\r\n"));
    nk.push((await tn.readAll()).toString("latin1"));
    nk.push(
      await tn.readVeryEager().then(
        () => "no EOFError",
        (err: Error) => `${err.name}: ${err.message}`,
      ),
    );
    tn.close();
    // Before login: the same prompt (the echo of the user name is timing, see the file comment).
    const userEcho = new RegExp(`^(${USER}\\r\\n)?`);
    assert.equal(nk[0], py[0]);
    assert.equal(String(nk[1]).replace(userEcho, ""), String(py[1]).replace(userEcho, ""));
    assert.deepEqual(
      nk.slice(2),
      py.slice(2),
      `python: ${JSON.stringify(py)}\nnetkit: ${JSON.stringify(nk)}`,
    );
  });

  test("an option callback that answers TTYPE gives the login shell its terminal type", async () => {
    await using tn = await Telnet.open("127.0.0.1", port, { timeout: 60 });
    const seen: string[] = [];
    tn.setOptionNegotiationCallback(async (sock, cmd, opt) => {
      if (!sock) return;
      if (cmd.equals(DO) && opt.equals(TTYPE)) {
        seen.push("DO TTYPE");
        await sock.sendall(Buffer.concat([Buffer.from([255]), WILL, TTYPE]));
      } else if (cmd.equals(DO) || cmd.equals(DONT))
        await sock.sendall(Buffer.concat([Buffer.from([255]), WONT, opt]));
      else if (cmd.equals(WILL) || cmd.equals(WONT))
        await sock.sendall(Buffer.concat([Buffer.from([255]), DONT, opt]));
      else if (cmd.equals(SE)) {
        const sb = tn.readSbData();
        // RFC 1091: IAC SB TERMINAL-TYPE SEND IAC SE asks; IS "name" answers.
        if (sb[0] === TTYPE[0] && sb[1] === 1) {
          seen.push("SB TTYPE SEND");
          await sock.sendall(
            Buffer.concat([
              Buffer.from([255]),
              SB,
              TTYPE,
              Buffer.from("\0netkit-term"),
              Buffer.from([255]),
              SE,
            ]),
          );
        }
      }
    });
    await tn.readUntil(Buffer.from("login: "), 60);
    await tn.write(Buffer.from(`${USER}\r\n`));
    await tn.readUntil(Buffer.from("Password: "), 60);
    await tn.write(Buffer.from(`${PASSWORD}\r\n`));
    const [index] = await tn.expect([/\$ $/], 60);
    assert.equal(index, 0);
    await tn.write(Buffer.from("echo TERM=$TERM\r\n"));
    assert.match((await tn.readUntil(Buffer.from("$ "), 60)).toString("latin1"), /TERM=netkit-term\r\n/);
    // telnetd asks once or more (it asks again to see whether the client cycles through a list).
    assert.equal(seen[0], "DO TTYPE");
    assert.ok(seen.length >= 2 && seen.slice(1).every((s) => s === "SB TTYPE SEND"), String(seen));
  });
});
