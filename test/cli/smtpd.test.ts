/**
 * `netkit smtpd` (src/cli/smtpd.ts): Python's `python -m smtpd` —
 * DebuggingServer printing a delivered message, the address arguments and
 * their errors, and a clean stop.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../../src/cli/main.js";
import { serve } from "../../src/cli/smtpd.js";
import { PureProxy, type SMTPServer } from "../../src/smtpd/index.js";
import { SMTP } from "../../src/smtplib/index.js";
import { LineClient } from "../_support/line-client.js";
import { startRecorder, stopAll } from "../smtpd/_server.js";

/** Runs `serve(argv)` until the returned `stop()`; resolves once it listens. */
async function start(argv: string[]) {
  const controller = new AbortController();
  let printed = "";
  let listening!: (s: SMTPServer) => void;
  const ready = new Promise<SMTPServer>((r) => {
    listening = r;
  });
  const done = serve(argv, {
    signal: controller.signal,
    out: { write: (t: string) => (printed += t) },
    onListening: listening,
  });
  const server = await Promise.race([
    ready,
    done.then(() => Promise.reject(new Error("serve() ended early"))),
  ]);
  return {
    server,
    printed: () => printed,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

test("serve() runs -c DebuggingServer on localaddr and prints each message as Python's", async () => {
  const srv = await start(["-n", "-c", "DebuggingServer", "-s", "1000", "127.0.0.1:0"]);
  try {
    assert.deepEqual(srv.server.localaddr, ["127.0.0.1", 0]);
    assert.deepEqual(srv.server.remoteaddr, ["localhost", 25]);
    assert.equal(srv.server.dataSizeLimit, 1000);
    const c = await LineClient.open(srv.server.serverAddress);
    try {
      await c.reply();
      assert.match((await c.cmd("EHLO x")) ?? "", /\n250-SIZE 1000\n/);
      await c.send("MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n");
      await c.reply();
      await c.reply();
      await c.reply();
      assert.equal(await c.cmd("Subject: s\r\n\r\nbody\r\n."), "250 OK");
    } finally {
      c.close();
    }
    assert.equal(
      srv.printed(),
      "---------- MESSAGE FOLLOWS ----------\nb'Subject: s'\nb'X-Peer: 127.0.0.1'\nb''\nb'body'\n------------ END MESSAGE ------------\n",
    );
  } finally {
    await srv.stop();
  }
});

test("serve() takes -u for SMTPUTF8 and a remoteaddr", async () => {
  const srv = await start(["-n", "-c", "DebuggingServer", "-u", "127.0.0.1:0", "mail.example:2525"]);
  try {
    assert.equal(srv.server.enableSMTPUTF8, true);
    assert.deepEqual(srv.server.remoteaddr, ["mail.example", 2525]);
  } finally {
    await srv.stop();
  }
});

test("netkit smtpd refuses a bad address as a usage error, with Python's message", async () => {
  for (const [argv, message] of [
    [["-n", "nocolon"], "Bad local spec: nocolon"],
    [["-n", "h:port"], "Bad local port: h:port"],
    [["-n", "h:25", "remote"], "Bad remote spec: remote"],
    [["-n", "-c", "Other"], "argument -c/--class: invalid choice: 'Other'"],
  ] as const) {
    let err = "";
    const status = await main(["smtpd", ...argv], {
      stdout: { write: () => {} },
      stderr: { write: (t: string) => (err += t) },
    });
    assert.equal(status, 2, err);
    assert.ok(err.includes(message), err);
  }
});

test("serve() runs PureProxy by default (as python -m smtpd), relaying to remoteaddr", async () => {
  const upstream = await startRecorder();
  const srv = await start(["-n", "127.0.0.1:0", `127.0.0.1:${upstream.serverAddress[1]}`]);
  try {
    assert.ok(srv.server instanceof PureProxy);
    await using smtp = await SMTP.open("127.0.0.1", srv.server.serverAddress[1], { timeout: 30 });
    await smtp.sendmail("a@x", ["b@x"], "Subject: via cli\r\n\r\nhi\r\n");
    assert.equal(upstream.received[0]?.data.toString(), "Subject: via cli\nX-Peer: 127.0.0.1\n\nhi");
  } finally {
    await srv.stop();
    await stopAll();
  }
});
