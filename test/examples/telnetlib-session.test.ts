/**
 * examples/telnetlib_session.ts: logs in to a scripted Telnet server (login
 * and password prompts, a shell prompt after an option offer the example
 * refuses), runs the command, and returns what the shell printed; a refused
 * login is an error.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { test } from "node:test";
import { telnetSession } from "../../examples/telnetlib_session.js";

/** A pretend Telnet login: the password `secret` opens a shell that answers `whoami` and `exit`. */
async function fakeLogin(): Promise<{ server: Server; port: number }> {
  const server = createServer((sock) => {
    sock.on("error", () => {});
    let input = "";
    let stage = 0;
    sock.write(Buffer.concat([Buffer.from([255, 251, 1]), Buffer.from("host login: ")]));
    sock.on("data", (chunk: Buffer) => {
      input += chunk.toString("latin1").replace(/\xff[\xfb-\xfe]./gs, "");
      for (let nl = input.indexOf("\n"); nl >= 0; nl = input.indexOf("\n")) {
        const line = input.slice(0, nl).replace(/\r$/, "");
        input = input.slice(nl + 1);
        if (stage === 0) sock.write("Password: ");
        else if (stage === 1) sock.write(line === "secret" ? "\r\nWelcome\r\n$ " : "\r\nLogin incorrect\r\n");
        else if (line === "whoami") sock.write("whoami\r\nalice\r\n$ ");
        else if (line === "exit") sock.end("exit\r\nlogout\r\n");
        stage++;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port };
}

test("examples/telnetlib_session.ts logs in, runs the command and returns its output", async () => {
  const { server, port } = await fakeLogin();
  try {
    const out = await telnetSession("127.0.0.1", port, {
      user: "alice",
      password: "secret",
      command: "whoami",
    });
    assert.equal(out, "whoami\r\nalice\r\n$ exit\r\nlogout\r\n");
  } finally {
    server.close();
  }
});

test("examples/telnetlib_session.ts throws when the login is refused", async () => {
  const { server, port } = await fakeLogin();
  try {
    await assert.rejects(
      telnetSession("127.0.0.1", port, { user: "alice", password: "wrong", command: "whoami" }),
      { message: "Login refused: Login incorrect" },
    );
  } finally {
    server.close();
  }
});
