/**
 * netkit/nntplib against servers that misbehave, played by a scripted
 * loopback peer (fault injection only; the real server is INN, in
 * test/interop): an overview with broken fields, a line past 2048 bytes, a
 * block with no terminating `.`, a connection closed in the middle of an
 * article, a stall, a block past `maxBlockBytes`, garbage for a reply.
 * Each gives a typed error within its timeout, reads a bounded amount, and
 * a connection left out of step is closed on our side.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EOFError, TimeoutError } from "../../src/errors/index.js";
import { NNTP, NNTPDataError, NNTPProtocolError } from "../../src/nntplib/index.js";
import { CommandError } from "../../src/textproto/index.js";
import { type Step, scriptedPeer } from "../smtplib/_peer.js";

/** The greeting and CAPABILITIES exchange every script starts with. */
export const HELLO: Step[] = [
  { send: "200 news.example ready\r\n" },
  { expect: "CAPABILITIES\r\n" },
  { send: "101 Capability list:\r\nVERSION 2\r\nREADER\r\nOVER\r\n.\r\n" },
];

const FMT: Step[] = [
  { expect: "LIST OVERVIEW.FMT\r\n" },
  {
    send: "215 Order of fields in overview database.\r\nSubject:\r\nFrom:\r\nDate:\r\nMessage-ID:\r\nReferences:\r\n:bytes\r\n:lines\r\nXref:full\r\n.\r\n",
  },
];

/** Runs `client` against a peer playing `steps`; resolves with what it threw (or returned) and what the peer saw. */
async function outcome(
  steps: Step[],
  client: (nntp: NNTP) => Promise<unknown>,
  options: { timeout?: number; maxBlockBytes?: number } = {},
): Promise<{ result: unknown; nntp: NNTP; closed: boolean; received: string }> {
  const peer = await scriptedPeer(steps);
  try {
    const nntp = await NNTP.open("127.0.0.1", peer.port, { timeout: options.timeout ?? 20, ...options });
    const result = await client(nntp).catch((e: unknown) => e);
    const closed = nntp.sock === null; // closed by the client itself, before the cleanup below
    nntp.close();
    const { received, errors } = await peer.done;
    assert.deepEqual(errors, []);
    return { result, nntp, closed, received: received.toString("latin1") };
  } finally {
    peer.server.close();
  }
}

describe("faults", () => {
  test("over() throws NNTPDataError for an article number that is not a number, and the connection goes on", async () => {
    const { result, received } = await outcome(
      [
        ...HELLO,
        { expect: "OVER 1-2\r\n" },
        { send: "224 Overview follows\r\nx1\tSubject\tFrom\tDate\t<a@b>\t\t10\t1\r\n.\r\n" },
        ...FMT,
        { expect: "DATE\r\n" },
        { send: "111 20261207120000\r\n" },
      ],
      async (nntp) => {
        const err = await nntp.over([1, 2]).catch((e: unknown) => e);
        assert.ok(err instanceof NNTPDataError, String(err));
        assert.equal(err.code, "ERR_NNTP_DATA");
        assert.match(err.message, /article number "x1"/);
        return nntp.date();
      },
    );
    assert.ok(Array.isArray(result), String(result));
    assert.equal((result as [string, Date])[1].toISOString(), "2026-12-07T12:00:00.000Z");
    assert.match(received, /DATE\r\n$/);
  });

  test("over() throws NNTPDataError for an extra header field without its name (as python3)", async () => {
    const { result } = await outcome(
      [
        ...HELLO,
        { expect: "OVER 1-\r\n" },
        { send: "224 Overview follows\r\n1\tSubject\tFrom\tDate\t<a@b>\t\t10\t1\tgroup:1\r\n.\r\n" },
        ...FMT,
      ],
      (nntp) => nntp.over([1, null]),
    );
    assert.ok(result instanceof NNTPDataError, String(result));
    assert.equal(result.message, "OVER/XOVER response doesn't include names of additional headers");
  });

  test("over() keeps a short line's fields and drops fields past the format, as python3", async () => {
    const { result } = await outcome(
      [
        ...HELLO,
        { expect: "OVER 1-\r\n" },
        {
          send: "224 Overview follows\r\n1\tOnly a subject\r\n2\ts\tf\td\t<m>\tr\t1\t2\tXref: g:2\textra\tmore\r\n.\r\n",
        },
        ...FMT,
      ],
      (nntp) => nntp.over([1, null]),
    );
    const [, overviews] = result as [string, [number, Map<string, string | null>][]];
    assert.deepEqual(
      overviews.map(([n, f]) => [n, [...f]]),
      [
        [1, [["subject", "Only a subject"]]],
        [
          2,
          [
            ["subject", "s"],
            ["from", "f"],
            ["date", "d"],
            ["message-id", "<m>"],
            ["references", "r"],
            [":bytes", "1"],
            [":lines", "2"],
            ["xref", "g:2"],
          ],
        ],
      ],
    );
  });

  test("article() throws NNTPDataError('line too long') for a line past 2048 bytes, reading a bounded amount", async () => {
    const huge = Buffer.alloc(1024 * 1024, "a"); // 1 MiB with no line end
    const { result, closed } = await outcome(
      [
        ...HELLO,
        { expect: "ARTICLE 1\r\n" },
        { send: "220 1 <a@b> article\r\nSubject: x\r\n\r\n" },
        { send: huge },
        { stall: true },
      ],
      (n) => n.article(1),
    );
    assert.ok(result instanceof NNTPDataError, String(result));
    assert.equal(result.message, "line too long");
    assert.equal((result.cause as { code?: string }).code, "ERR_TEXTPROTO_LINE_TOO_LONG");
    assert.ok(closed, "the connection, out of step, is closed");
  });

  test("a reply line of exactly 2048 bytes (CRLF included) is read; one byte more is not", async () => {
    const ok = `211 ${"9".repeat(2048 - 6)}\r\n`;
    const { result } = await outcome([...HELLO, { expect: "SLAVE\r\n" }, { send: ok }], (n) => n.slave());
    assert.equal(result, ok.slice(0, -2));
    const { result: tooLong } = await outcome([...HELLO, { expect: "SLAVE\r\n" }, { send: `2${ok}` }], (n) =>
      n.slave(),
    );
    assert.ok(tooLong instanceof NNTPDataError && tooLong.message === "line too long", String(tooLong));
  });

  test("article() throws EOFError when the server closes in the middle of an article", async () => {
    const { result, nntp, closed } = await outcome(
      [
        ...HELLO,
        { expect: "ARTICLE 1\r\n" },
        { send: "220 1 <a@b> article\r\nSubject: x\r\n\r\nhalf a bo" },
        { close: true },
      ],
      (n) => n.article(1),
    );
    assert.ok(result instanceof EOFError, String(result));
    assert.equal(result.code, "ERR_EOF");
    assert.ok(closed);
    const again = await nntp.stat().catch((e: unknown) => e);
    assert.ok(again instanceof Error && /connection is closed/.test(again.message), String(again));
  });

  test("body() of a block with no terminating '.' times out with TimeoutError instead of hanging", async () => {
    const started = Date.now();
    const { result, closed } = await outcome(
      [
        ...HELLO,
        { expect: "BODY 1\r\n" },
        { send: "222 1 <a@b> body\r\nline one\r\nline two\r\n" },
        { stall: true },
      ],
      (n) => n.body(1),
      { timeout: 0.5 },
    );
    assert.ok(result instanceof TimeoutError, String(result));
    assert.ok(Date.now() - started < 15_000, "bounded by the timeout");
    assert.ok(closed);
  });

  test("open() times out with TimeoutError when the server stalls after its greeting", async () => {
    const peer = await scriptedPeer([{ send: "200 ready\r\n" }, { stall: true }]);
    try {
      const err = await NNTP.open("127.0.0.1", peer.port, { timeout: 0.5 }).catch((e: unknown) => e);
      assert.ok(err instanceof TimeoutError, String(err));
      const { received } = await peer.done;
      assert.equal(received.toString(), "CAPABILITIES\r\n");
    } finally {
      peer.server.close();
    }
  });

  test("a block past maxBlockBytes throws NNTPDataError before the rest is read", async () => {
    const line = `${"z".repeat(1000)}\r\n`;
    const { result, closed } = await outcome(
      [
        ...HELLO,
        { expect: "LIST\r\n" },
        { send: "215 list follows\r\n" },
        { send: line.repeat(4096) },
        { stall: true },
      ],
      (n) => n.list(),
      { maxBlockBytes: 64 * 1024 },
    );
    assert.ok(result instanceof NNTPDataError, String(result));
    assert.match(result.message, /larger than 65536 bytes/);
    assert.ok(closed);
  });

  test("a reply that does not start with 1 to 5 is NNTPProtocolError, as python3", async () => {
    const { result } = await outcome([...HELLO, { expect: "DATE\r\n" }, { send: "hello\r\n" }], (n) =>
      n.date(),
    );
    assert.ok(result instanceof NNTPProtocolError, String(result));
    assert.equal(result.response, "hello");
  });

  test("a DATE reply out of range is NNTPDataError (python3 lets ValueError escape)", async () => {
    const { result } = await outcome(
      [...HELLO, { expect: "DATE\r\n" }, { send: "111 20261307120000\r\n" }],
      (n) => n.date(),
    );
    assert.ok(result instanceof NNTPDataError, String(result));
    assert.match(result.message, /month must be in 1\.\.12/);
  });

  test("a command holding CR or LF is refused with CommandError before anything is sent", async () => {
    const { result, received } = await outcome([...HELLO], (n) => n.group("misc.test\r\nPOST"));
    assert.ok(result instanceof CommandError, String(result));
    assert.equal(received, "CAPABILITIES\r\n");
  });
});
