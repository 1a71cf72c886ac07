/**
 * python3's smtplib against netkit's smtpd: every command, a pipelined
 * batch, STARTTLS with the test CA (and the plaintext sent after STARTTLS
 * thrown away), AUTH PLAIN and LOGIN after TLS.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";
import { startTLSRecorder, stopAll } from "../smtpd/_server.js";

const skip = peerSkip("python3", hasCommand("python3")) || peerSkip("openssl", HAS_OPENSSL);
after(stopAll);

const CLIENT = String.raw`
import json, smtplib, socket, ssl, sys
cfg = json.load(sys.stdin)
port = cfg["port"]
out = {}
def reply(r):
    code, text = r
    return [code, text.decode() if isinstance(text, bytes) else text]

s = smtplib.SMTP("127.0.0.1", port, timeout=60)
out["ehlo"] = reply(s.ehlo("py.example"))
out["features"] = sorted(s.esmtp_features)
out["noop"] = reply(s.noop())
out["vrfy"] = reply(s.verify("someone@example.org"))
out["expn"] = reply(s.expn("list"))
out["help"] = s.help().decode()
out["rset"] = reply(s.rset())
out["refused"] = s.sendmail("a@example.org", ["b@example.org", "c@example.org"],
    b"Subject: plain\r\n\r\n.leading dot\r\n..two dots\r\nend\r\n", mail_options=["BODY=8BITMIME"])
try:
    s.sendmail("a@example.org", ["b@example.org"], b"x" * 2000, mail_options=["SIZE=99999999999"])
except smtplib.SMTPSenderRefused as e:
    out["too_big"] = [e.smtp_code, e.smtp_error.decode()]
out["quit"] = reply(s.quit())

# A pipelined batch: three commands in one write, three replies in order.
raw = socket.create_connection(("127.0.0.1", port), timeout=60)
f = raw.makefile("rb")
f.readline()
raw.sendall(b"EHLO p\r\n")
while f.readline()[3:4] == b"-": pass
raw.sendall(b"MAIL FROM:<p@x>\r\nRCPT TO:<q@x>\r\nDATA\r\n")
out["pipelined"] = [f.readline().decode().rstrip() for _ in range(3)]
raw.sendall(b"pipelined body\r\n.\r\nQUIT\r\n")
out["pipelined"] += [f.readline().decode().rstrip() for _ in range(2)]
raw.close()

ctx = ssl.create_default_context(cafile=cfg["cafile"])
s = smtplib.SMTP("127.0.0.1", port, timeout=60)
s.ehlo("tls.example")
out["before_tls"] = sorted(s.esmtp_features)
out["starttls"] = reply(s.starttls(context=ctx))
s.ehlo("tls.example")
out["after_tls"] = sorted(s.esmtp_features)
out["cipher"] = s.sock.version()
try:
    s.login("user", "wrong")
except smtplib.SMTPAuthenticationError as e:
    out["bad_login"] = [e.smtp_code, e.smtp_error.decode()]
out["login"] = reply(s.login("user", "secret"))
out["tls_refused"] = s.sendmail("user@example.org", ["d@example.org"], b"Subject: tls\r\n\r\nover TLS\r\n")
s.quit()

s = smtplib.SMTP("127.0.0.1", port, timeout=60)
s.starttls(context=ctx)
s.ehlo("tls.example")
s.user, s.password = "user", "secret"
out["login_login"] = reply(s.auth("LOGIN", s.auth_login, initial_response_ok=False))
s.quit()

# STARTTLS with a command smuggled behind it in the clear: it must be thrown away.
raw = socket.create_connection(("127.0.0.1", port), timeout=60)
f = raw.makefile("rb")
f.readline()
raw.sendall(b"EHLO i\r\n")
while f.readline()[3:4] == b"-": pass
raw.sendall(b"STARTTLS\r\nMAIL FROM:<evil@x>\r\n")
out["inject_starttls"] = f.readline().decode().rstrip()
tls = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
g = tls.makefile("rb")
tls.sendall(b"EHLO i\r\n")
while g.readline()[3:4] == b"-": pass
tls.sendall(b"RCPT TO:<b@x>\r\n")
out["inject_rcpt"] = g.readline().decode().rstrip()
tls.close()
print(json.dumps(out))
`;

test("python3 smtplib speaks every command, pipelining, STARTTLS and AUTH with netkit's smtpd", {
  skip,
}, async () => {
  const server = await startTLSRecorder("user", "secret");
  const out = await python<Record<string, unknown>>(CLIENT, {
    port: server.serverAddress[1],
    cafile: makePKI().caFile,
  });
  const fqdn = await server.fqdn;
  assert.deepEqual(out.ehlo, [250, `${fqdn}\nSIZE 33554432\n8BITMIME\nPIPELINING\nSTARTTLS\nHELP`]);
  assert.deepEqual(out.features, ["8bitmime", "help", "pipelining", "size", "starttls"]);
  assert.deepEqual(out.noop, [250, "OK"]);
  assert.deepEqual(out.vrfy, [252, "Cannot VRFY user, but will accept message and attempt delivery"]);
  assert.deepEqual(out.expn, [502, "EXPN not implemented"]);
  assert.equal(out.help, "Supported commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY");
  assert.deepEqual(out.rset, [250, "OK"]);
  assert.deepEqual(out.refused, {});
  assert.deepEqual(out.too_big, [552, "Error: message size exceeds fixed maximum message size"]);
  assert.deepEqual(out.quit, [221, "Bye"]);
  assert.deepEqual(out.pipelined, [
    "250 OK",
    "250 OK",
    "354 End data with <CR><LF>.<CR><LF>",
    "250 OK",
    "221 Bye",
  ]);
  assert.deepEqual(out.before_tls, ["8bitmime", "help", "pipelining", "size", "starttls"]);
  assert.deepEqual(out.starttls, [220, "Ready to start TLS"]);
  assert.deepEqual(out.after_tls, ["8bitmime", "auth", "help", "pipelining", "size"]);
  assert.match(String(out.cipher), /^TLSv1\.[23]$/);
  assert.deepEqual(out.bad_login, [535, "5.7.8 Error: authentication failed"]);
  assert.deepEqual(out.login, [235, "2.7.0 Authentication successful"]);
  assert.deepEqual(out.tls_refused, {});
  assert.deepEqual(out.login_login, [235, "2.7.0 Authentication successful"]);
  assert.equal(out.inject_starttls, "220 Ready to start TLS");
  assert.equal(out.inject_rcpt, "503 Error: need MAIL command");

  const [plain, pipelined, overTLS] = server.received;
  assert.equal(server.received.length, 3);
  assert.deepEqual(plain?.rcpttos, ["b@example.org", "c@example.org"]);
  assert.deepEqual(plain?.data, Buffer.from("Subject: plain\n\n.leading dot\n..two dots\nend"));
  assert.deepEqual(plain?.options.mailOptions, ["SIZE=49", "BODY=8BITMIME"]); // smtplib puts its SIZE first
  assert.deepEqual(pipelined?.data, Buffer.from("pipelined body"));
  assert.deepEqual(overTLS?.data, Buffer.from("Subject: tls\n\nover TLS"));
  assert.equal(overTLS?.mailfrom, "user@example.org");
});
