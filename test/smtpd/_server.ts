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

/** Stops every server started here (call in `after()`). */
export async function stopAll(): Promise<void> {
  for (const s of running.splice(0)) {
    await s.shutdown();
    await s.serverClose();
  }
}
