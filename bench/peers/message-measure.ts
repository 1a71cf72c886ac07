// The measuring loop the clients of bench/smtp-messages.bench.ts share: 1 s
// of warm-up, then `send()` (one message, resolved once the server has
// answered it) again and again for SECONDS, counted. The .mjs clients import
// the compiled copy (.bench-out/build/bench/peers/message-measure.js), which
// `npm run bench` builds before any benchmark runs.

/** What a client prints. */
export interface MessageResult {
  messages: number;
  seconds: number;
  rps: number;
}

/** Runs `send` back to back for `seconds` after 1 s of warm-up and counts the messages. */
export async function measureMessages(send: () => Promise<unknown>, seconds: number): Promise<MessageResult> {
  const warmEnd = performance.now() + 1000;
  while (performance.now() < warmEnd) await send();
  let messages = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await send();
    messages++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { messages, seconds: elapsed, rps: messages / elapsed };
}
