/** examples/robots.ts runs and answers as its robots.txt says. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { robotsDemo } from "../../examples/robots.js";

test("examples/robots.ts reads its loopback robots.txt", async () => {
  const polite = await robotsDemo("mybot/1.0");
  assert.deepEqual(polite.answers, [
    ["/", true],
    ["/about", true],
    ["/private/data", false],
  ]);
  assert.equal(polite.delay, 2);
  const bad = await robotsDemo("BadBot/9");
  assert.ok(bad.answers.every(([, ok]) => !ok));
  assert.equal(bad.delay, null);
});
