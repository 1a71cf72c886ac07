/**
 * urlretrieve()'s file errors read as Python's: an OSError of Python's class
 * whose filename is the target the caller named (`FileNotFoundError: [Errno
 * 2] No such file or directory: '.../missing/x'`), never the temporary name
 * netkit writes to first; and nothing is left behind. Compared with python3's
 * urlretrieve on the same targets.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { OSError } from "../../src/errors/index.js";
import { urlretrieve } from "../../src/urllib/request.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-retrieve-"));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "folder"));

/** Targets that cannot be written: a missing folder, a folder, a path through a file. */
const TARGETS = [join(dir, "missing", "x.bin"), join(dir, "folder"), join(dir, "folder", "deeper", "x")];

/** What netkit's urlretrieve throws for `target`: class, errno, filename, message. */
async function netkitFailure(target: string): Promise<[string, number | undefined, unknown, string]> {
  try {
    await urlretrieve("data:,hello", target);
  } catch (err) {
    assert.ok(err instanceof OSError, String(err));
    return [err.constructor.name, err.errno, err.filename, err.message];
  }
  throw new Error(`urlretrieve(${target}) did not fail`);
}

test("urlretrieve() into a missing folder is FileNotFoundError naming the target, as python3's", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const ours = [];
  for (const target of TARGETS) ours.push(await netkitFailure(target));
  const theirs = await python<Array<[string, number, string, string]>>(
    `
import json, sys, urllib.request
out = []
for target in json.load(sys.stdin):
    try:
        urllib.request.urlretrieve("data:,hello", target)
        out.append(None)
    except OSError as e:
        out.append([type(e).__name__, e.errno, e.filename, str(e)])
print(json.dumps(out))
`,
    TARGETS,
  );
  for (let i = 0; i < TARGETS.length; i++) {
    assert.deepEqual(
      ours[i],
      theirs[i],
      `urlretrieve("data:,hello", ${TARGETS[i]})\npython: ${JSON.stringify(theirs[i])}\nnetkit: ${JSON.stringify(ours[i])}`,
    );
  }
  assert.equal(ours[0]![0], "FileNotFoundError");
  // Nothing half-written is left beside any target.
  assert.deepEqual(readdirSync(dir).sort(), ["folder"]);
  assert.deepEqual(readdirSync(join(dir, "folder")), []);
});

test("urlretrieve() errors never name the temporary file", async () => {
  for (const target of TARGETS) {
    const [, , filename, message] = await netkitFailure(target);
    assert.equal(filename, target);
    assert.doesNotMatch(message, /\.part-/);
  }
});
