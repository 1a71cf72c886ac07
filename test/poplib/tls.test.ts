/**
 * netkit/poplib's STLS against a scripted peer: what the server sent after
 * its +OK to STLS, before the handshake, is dropped (a man in the middle's
 * plaintext answers are never read as if they came over TLS).
 */
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { describe, test } from "node:test";
import { TLSSocket } from "node:tls";
import { error_proto, POP3 } from "../../src/poplib/index.js";
import { createDefaultContext } from "../../src/ssl.js";
import { peerSkip } from "../_support/peers.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";
import { scriptedPeer } from "../smtplib/_peer.js";

const skip = peerSkip("openssl", HAS_OPENSSL);

/** The server side of a TLS handshake on `sock`, with the test CA's server certificate. */
function serverTLS(sock: Socket): Promise<Socket> {
  const pki = makePKI();
  return new Promise((resolve) => {
    const t = new TLSSocket(sock, { isServer: true, cert: pki.server.cert, key: pki.server.key });
    t.once("secure", () => resolve(t));
    t.once("error", () => resolve(t));
    t.once("close", () => resolve(t));
    sock.once("close", () => resolve(t));
  });
}

describe("STLS", { skip }, () => {
  test("stls() drops what the server sent after its +OK, then talks TLS; a second stls() is refused", async () => {
    const peer = await scriptedPeer([
      { send: "+OK hi\r\n" },
      { expect: "CAPA\r\n" },
      { send: "+OK\r\nSTLS\r\nUSER\r\n.\r\n" },
      { expect: "STLS\r\n" },
      { send: "+OK Begin TLS negotiation now.\r\n+OK injected 9 999\r\n" },
      { tls: serverTLS },
      { expect: "STAT\r\n" },
      { send: "+OK 1 10\r\n" },
    ]);
    try {
      const pop = await POP3.open("127.0.0.1", peer.port, { timeout: 20 });
      const context = createDefaultContext(undefined, { cafile: makePKI().caFile });
      assert.deepEqual(await pop.stls({ context }), Buffer.from("+OK Begin TLS negotiation now."));
      assert.deepEqual(await pop.stat(), [1, 10], "the injected answer was not read");
      const again = await pop.stls({ context }).catch((e: unknown) => e);
      assert.ok(again instanceof error_proto && again.code === "ERR_POP3_TLS_ACTIVE", String(again));
      pop.close();
    } finally {
      peer.server.close();
    }
    const result = await peer.done;
    assert.deepEqual(result.errors, []);
  });
});
