/**
 * examples/mailcap_view.ts: the viewer for a file, from a mailcap table of
 * the test's own (so the answer does not depend on what is installed here),
 * and the program run as a user runs it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { mailcapView } from "../../examples/mailcap_view.js";
import { readmailcapfile } from "../../src/mailcap/index.js";

const root = join(import.meta.dirname, "..", "..");
const caps = readmailcapfile(
  [
    "text/plain; less %s; needsterminal",
    "application/pdf; never %s; test=false",
    "application/pdf; zathura %s; edit=xournalpp %s",
    "image/*; convert %s -resize 80x24 sixel:-; copiousoutput",
  ].join("\n"),
);

test("mailcap_view finds the command for a file by its guessed type, with the entry's flags", async () => {
  assert.deepEqual(await mailcapView("/tmp/notes.txt", "view", caps), {
    type: "text/plain",
    command: "less /tmp/notes.txt",
    flags: ["needsterminal"],
  });
  assert.deepEqual(await mailcapView("/tmp/cat.png", "view", caps), {
    type: "image/png",
    command: "convert /tmp/cat.png -resize 80x24 sixel:-",
    flags: ["copiousoutput"],
  });
  // The first pdf entry's test fails; the second one has an edit command.
  assert.equal((await mailcapView("a.pdf", "view", caps)).command, "zathura a.pdf");
  assert.equal((await mailcapView("a.pdf", "edit", caps)).command, "xournalpp a.pdf");
  assert.equal((await mailcapView("a.txt", "edit", caps)).command, null);
  assert.equal((await mailcapView("a.unknown-ext", "view", caps)).type, null);
});

test("mailcap_view refuses a file name that would reach the shell as syntax", async () => {
  process.removeAllListeners("warning"); // the refusal warns; keep the test's output clean
  assert.equal((await mailcapView("/tmp/x;rm -rf ~.txt", "view", caps)).command, null);
});

test("mailcap_view runs as a program, on a mailcap file named by MAILCAPS", () => {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "examples/mailcap_view.ts"), "/tmp/report.txt"],
    {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, MAILCAPS: join(root, "test/mailcap/example.mailcap") },
    },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "/tmp/report.txt (text/plain): less /tmp/report.txt\n  needs a terminal\n");
});
