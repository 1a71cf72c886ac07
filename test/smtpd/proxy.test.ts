/**
 * PureProxy (src/smtpd/proxy.ts): relays with netkit's smtplib to an
 * upstream server, adding X-Peer after the headers; tells the client when
 * the upstream took none of the recipients (Python answers 250 and loses
 * the message).
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { ValueError } from "../../src/errors/index.js";
import { addPeerHeader, PureProxy, SMTPChannel } from "../../src/smtpd/index.js";
import { SMTP } from "../../src/smtplib/index.js";
import { Socket } from "../../src/socket/socket.js";
import { startRecorder, stopAll } from "./_server.js";

const proxies: PureProxy[] = [];
after(async () => {
  for (const p of proxies) {
    await p.shutdown();
    await p.serverClose();
  }
  await stopAll();
});

async function startProxy(remote: [string, number]): Promise<PureProxy> {
  const proxy = new PureProxy(["127.0.0.1", 0], remote);
  proxies.push(proxy);
  await proxy.ready;
  void proxy.serveForever(0.05);
  return proxy;
}

test("addPeerHeader() puts X-Peer before the first empty line, or at the end, as Python's PureProxy", () => {
  assert.equal(
    addPeerHeader("A: 1\nB: 2\n\nbody\n\nmore", "10.0.0.1").toString(),
    "A: 1\nB: 2\nX-Peer: 10.0.0.1\n\nbody\n\nmore",
  );
  assert.equal(addPeerHeader(Buffer.from("A: 1"), "h").toString(), "A: 1\nX-Peer: h");
  assert.equal(addPeerHeader("\nbody", "h").toString(), "X-Peer: h\n\nbody");
  assert.equal(addPeerHeader("", "h").toString(), "X-Peer: h");
});

test("PureProxy relays a message sent with smtplib to the upstream server, X-Peer added", async () => {
  const upstream = await startRecorder();
  const proxy = await startProxy(upstream.serverAddress as [string, number]);
  const [host, port] = proxy.serverAddress;
  await using smtp = await SMTP.open(host, port, { timeout: 30 });
  const refused = await smtp.sendmail(
    "a@example.org",
    ["b@example.org", "c@example.org"],
    "Subject: relayed\r\n\r\n.dot\r\nbody\r\n",
  );
  assert.deepEqual(refused, new Map());
  const [m] = upstream.received;
  assert.equal(m?.mailfrom, "a@example.org");
  assert.deepEqual(m?.rcpttos, ["b@example.org", "c@example.org"]);
  assert.equal(m?.data.toString(), "Subject: relayed\nX-Peer: 127.0.0.1\n\n.dot\nbody");
});

/** A channel that refuses every recipient for good. */
class NoSuchUser extends SMTPChannel {
  override async smtpRCPT(_arg: string | null): Promise<void> {
    await this.reply("550 No such user");
  }
}

test("PureProxy answers 451 when the upstream server cannot be reached or refuses for now, 554 when it refuses for good", async () => {
  const closed = new Socket();
  await closed.bind(["127.0.0.1", 0]);
  const deadPort = (closed.getsockname() as [string, number])[1];
  closed.close(); // nothing listens there now
  const proxy = await startProxy(["127.0.0.1", deadPort]);
  {
    await using smtp = await SMTP.open("127.0.0.1", proxy.serverAddress[1], { timeout: 30 });
    const err = await smtp.sendmail("a@x", ["b@x"], "x\r\n").catch((e: unknown) => e);
    assert.equal((err as { smtpCode?: number }).smtpCode, 451);
  }
  const upstream = await startRecorder({ maxRecipients: 0 });
  const refusing = await startProxy(upstream.serverAddress as [string, number]);
  {
    await using smtp = await SMTP.open("127.0.0.1", refusing.serverAddress[1], { timeout: 30 });
    const err = await smtp.sendmail("a@x", ["b@x"], "x\r\n").catch((e: unknown) => e);
    // The upstream's 452 is temporary: the client is told to try again.
    assert.equal((err as { smtpCode?: number }).smtpCode, 451);
    assert.deepEqual([...refusing.refused.keys()], ["b@x"]);
  }
  const strict = await startRecorder();
  strict.channelClass = NoSuchUser;
  const refusingForGood = await startProxy(strict.serverAddress as [string, number]);
  {
    await using smtp = await SMTP.open("127.0.0.1", refusingForGood.serverAddress[1], { timeout: 30 });
    const err = await smtp.sendmail("a@x", ["b@x", "c@x"], "x\r\n").catch((e: unknown) => e);
    assert.equal((err as { smtpCode?: number }).smtpCode, 554);
    assert.deepEqual(refusingForGood.refused.get("c@x")?.[0], 550);
  }
});

test("PureProxy refuses SMTPUTF8, as Python's", () => {
  assert.throws(() => new PureProxy(["127.0.0.1", 0], null, { enableSMTPUTF8: true }), ValueError);
});
