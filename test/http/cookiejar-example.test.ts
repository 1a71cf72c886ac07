/** examples/cookies.ts runs: the cookie set at /login comes back at /whoami and is saved for curl. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cookiesDemo } from "../../examples/cookies.js";

test("examples/cookies.ts keeps the session cookie and saves it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "netkit-cookies-example-"));
  try {
    const file = join(dir, "cookies.txt");
    const { whoami, cookies } = await cookiesDemo(file);
    assert.equal(whoami, "you sent: session=abc123");
    assert.equal(cookies.length, 1);
    assert.match(await readFile(file, "utf8"), /^127\.0\.0\.1\tFALSE\t\/\tFALSE\t0\tsession\tabc123$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
