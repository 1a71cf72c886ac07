/**
 * examples/nntplib_reader.ts against a private INN: it prints what
 * python3's nntplib demo prints (the same code, with MODE READER) for the
 * same group, encoded-word authors and subjects decoded, long ones cut.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { latestArticles } from "../../examples/nntplib_reader.js";
import { NNTP } from "../../src/nntplib/index.js";
import { INN_AVAILABLE, type Inn, startInn } from "../_support/inn.js";
import { peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const GROUP = "netkit.example";

/** Python's demo (Lib/nntplib.py, `if __name__ == '__main__'`), printing to a list, with readermode=True. */
const PY_DEMO = `
import json, sys, warnings
warnings.simplefilter("ignore")
from nntplib import NNTP, decode_header
req = json.load(sys.stdin)
s = NNTP(host="127.0.0.1", port=req["port"], readermode=True)
out = []
resp, count, first, last, name = s.group(req["group"])
out.append('Group {} has {} articles, range {} to {}'.format(name, count, first, last))
def cut(s, lim):
    if len(s) > lim:
        s = s[:lim - 4] + "..."
    return s
first = str(int(last) - req["n"] + 1)
resp, overviews = s.xover(first, last)
for artnum, over in overviews:
    author = decode_header(over['from']).split('<', 1)[0]
    subject = decode_header(over['subject'])
    lines = int(over[':lines'])
    out.append("{:7} {:20} {:42} ({})".format(artnum, cut(author, 20), cut(subject, 42), lines))
s.quit()
print(json.dumps(out))
`;

describe("examples/nntplib_reader.ts", { skip: peerSkip("inn2 (as root)", INN_AVAILABLE) }, () => {
  let inn: Inn;
  before(async () => {
    inn = await startInn({ groups: [[GROUP, "y", "the example's group"]] });
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    const posts = [
      ["Ann <ann@example.org>", "short", 1],
      [
        "=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <j@example.org>",
        "=?utf-8?b?w5xiZXIgZGllIEzDpG5nZSBlaW5lcyBCZXRyZWZmcywgZGVyIGhpZXIgZ2VrdXJ6dCB3aXJk?=",
        3,
      ],
      ["a.very.long.name.indeed@example.org", "plain subject that is longer than forty-two characters", 2],
    ] as const;
    for (const [i, [from, subject, lines]] of posts.entries()) {
      const body = "text\r\n".repeat(lines);
      await s.post(
        Buffer.from(
          `From: ${from}\r\nNewsgroups: ${GROUP}\r\nSubject: ${subject}\r\nMessage-ID: <ex${i}@netkit.test>\r\n\r\n${body}`,
        ),
      );
    }
  });
  after(async () => {
    await inn?.stop();
  });

  test("latestArticles() prints what python3's nntplib demo prints", async () => {
    for (const n of [1, 3]) {
      const mine = await latestArticles("127.0.0.1", inn.port, GROUP, n);
      const theirs = await python<string[]>(PY_DEMO, { port: inn.port, group: GROUP, n });
      assert.deepEqual(mine, theirs, `n=${n}`);
    }
    const lines = await latestArticles("127.0.0.1", inn.port, GROUP, 3);
    assert.match(lines[2]!, /^ {6}2 Jörg Müller {10}Über die Länge eines Betreffs, der hie\.\.\. {2}\(3\)$/);
  });
});
