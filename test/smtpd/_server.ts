/**
 * What the smtpd tests share: a recording SMTPServer on loopback port 0,
 * started and closed per test file.
 */

import {
  type MessageData,
  type ProcessMessageOptions,
  SMTPServer,
  type SMTPServerOptions,
} from "../../src/smtpd/index.js";
import type { Address } from "../../src/socket/address.js";
import { PROTOCOL_TLS_SERVER, SSLContext } from "../../src/socket/tls.js";
import { makePKI } from "../_support/tls.js";

/** One message as processMessage received it. */
export interface Received {
  peer: Address | null;
  mailfrom: string;
  rcpttos: string[];
  data: MessageData;
  options: ProcessMessageOptions;
}

/** An SMTPServer that records each message and answers what `answer` says. */
export class Recorder extends SMTPServer {
  readonly received: Received[] = [];
  answer: (m: Received) => string | undefined = () => undefined;

  override processMessage(
    peer: Address | null,
    mailfrom: string,
    rcpttos: string[],
    data: MessageData,
    options: ProcessMessageOptions,
  ): string | undefined {
    const m = { peer, mailfrom, rcpttos: [...rcpttos], data, options };
    this.received.push(m);
    return this.answer(m);
  }
}

const running: SMTPServer[] = [];

/** Starts a Recorder on 127.0.0.1 port 0 and serves it in the background. */
export async function startRecorder(options: SMTPServerOptions = {}): Promise<Recorder> {
  const server = new Recorder(["127.0.0.1", 0], null, options);
  running.push(server);
  await server.ready;
  void server.serveForever(0.05);
  return server;
}

/**
 * Starts a Recorder offering STARTTLS with the test PKI's server certificate
 * and AUTH accepting `user` / `password` only.
 */
export async function startTLSRecorder(user: string, password: string): Promise<Recorder> {
  const pki = makePKI();
  const tlsContext = new SSLContext(PROTOCOL_TLS_SERVER);
  tlsContext.loadCertChain(pki.server.certFile, pki.server.keyFile);
  return startRecorder({
    tlsContext,
    authenticate: (_mechanism, u, p) => u === user && p === password,
  });
}

/** Stops every server started here (call in `after()`). */
export async function stopAll(): Promise<void> {
  for (const s of running.splice(0)) {
    await s.shutdown();
    await s.serverClose();
  }
}
