/**
 * What every `netkit` command shares (src/cli/main.ts): `--help` listing
 * each option with its meaning and default, `--version`, a usage error as
 * one usage line and argparse's message with status 2, `netkit` alone and
 * `netkit help COMMAND`; and, run as a user runs them, the servers' Ctrl-C
 * (Python's message, status 0) and the status of a signal that ends a command.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatHelp, formatUsage } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { SPECS } from "../../src/cli/specs.js";
import { VERSION } from "../../src/version.js";
import { peerSkip } from "../_support/peers.js";
import { hasScript, inTerminal, runNetkit, startNetkit } from "./cli-support.js";

/** Runs `main(argv)` in-process; resolves with its status and what it wrote. */
async function run(argv: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

describe("netkit", () => {
  test("main() --help lists every command and the exit statuses; --version prints netkit's", async () => {
    const help = await run(["--help"]);
    assert.equal(help.code, 0);
    assert.ok(help.stdout.startsWith("usage: netkit [-h] [--version] COMMAND [ARGS]\n"));
    for (const [name, spec] of Object.entries(SPECS)) {
      assert.match(
        help.stdout,
        new RegExp(`^ {2}${name.replace(".", "\\.")} +${spec.summary.replace(/[()]/g, "\\$&")}$`, "m"),
      );
    }
    assert.match(help.stdout, /Exit status: 0 success, 1 failure, 2 usage error, 23 stdout closed early/);
    assert.deepEqual(await run(["--version"]), { code: 0, stdout: `netkit ${VERSION}\n`, stderr: "" });
    assert.deepEqual(await run(["help"]), help);
  });

  test("main() with no command, an unknown one or an unknown option is a usage error (status 2)", async () => {
    const usage = "usage: netkit [-h] [--version] COMMAND [ARGS]";
    assert.deepEqual(await run([]), {
      code: 2,
      stdout: "",
      stderr: `${usage}\nnetkit: error: the following arguments are required: COMMAND\n`,
    });
    const unknown = await run(["nope"]);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^netkit: error: argument COMMAND: invalid choice: 'nope' \(choose from 'simple-server', /m,
    );
    assert.equal(unknown.stderr.split("\n").length, 3, "the usage line, the message, nothing more");
    assert.deepEqual(await run(["--nope"]), {
      code: 2,
      stdout: "",
      stderr: `${usage}\nnetkit: error: unrecognized arguments: --nope\n`,
    });
  });

  for (const [name, spec] of Object.entries(SPECS)) {
    test(`main() ${name}: --help, help ${name}, --version and a usage error, from one description`, async () => {
      const help = await run([name, "--help"]);
      assert.deepEqual(help, { code: 0, stdout: formatHelp(spec), stderr: "" });
      assert.deepEqual(await run(["help", name]), help);
      assert.deepEqual(await run([name, "--version"]), {
        code: 0,
        stdout: `netkit ${VERSION}\n`,
        stderr: "",
      });
      const required = spec.positionals.filter((p) => !p.optional).map(() => "x");
      const bad = await run([name, "--no-such-option", ...required]);
      assert.deepEqual(bad, {
        code: 2,
        stdout: "",
        stderr: `${formatUsage(spec)}\n${spec.prog}: error: unrecognized arguments: --no-such-option\n`,
      });
      // Every option has its meaning in help, with the default where there is one.
      for (const option of spec.options) {
        assert.ok(help.stdout.includes(`--${option.name}`), option.name);
        if (option.default !== undefined || option.defaultText !== undefined)
          assert.ok(
            help.stdout.replace(/\s+/g, " ").includes(`(default: ${option.defaultText ?? option.default})`),
          );
      }
    });
  }
});

describe("netkit servers and Ctrl-C", () => {
  for (const [name, argv, banner] of [
    ["echo-server", ["--port", "0"], /listening on 127\.0\.0\.1 port \d+/],
    ["simple-server", ["--port", "0"], /listening on 127\.0\.0\.1 port \d+/],
    ["threading-server", ["--port", "0"], /listening on 127\.0\.0\.1 port \d+/],
    ["xmlrpc.server", ["0"], /Serving XML-RPC on localhost port \d+/],
  ] as const) {
    test(`netkit ${name} stops on SIGINT with Python's message and status 0`, async () => {
      const running = startNetkit([name, ...argv]);
      try {
        await running.waitFor((out, err) => banner.test(out + err), "the server's banner");
        running.child.kill("SIGINT");
        const done = await running.finished;
        assert.equal(done.code, 0, done.stderr);
        assert.ok(done.stdout.endsWith("\nKeyboard interrupt received, exiting.\n"), done.stdout);
      } finally {
        running.kill();
      }
    });
  }

  test("netkit forking-server: Ctrl-C on the terminal reaches every process; one message, status 0", {
    skip: peerSkip("script (util-linux)", hasScript),
  }, async () => {
    const running = inTerminal(["forking-server", "--port", "0"]);
    try {
      await running.waitFor((out) => /listening on 127\.0\.0\.1 port \d+/.test(out), "the server's banner");
      running.ctrlC();
      const done = await running.finished;
      assert.equal(done.code, 0, done.stdout);
      assert.equal(done.stdout.split("Keyboard interrupt received, exiting.").length - 1, 1, done.stdout);
    } finally {
      running.kill();
    }
  });

  test("netkit run as a process: a usage error and no command exit 2", async () => {
    const usage = await runNetkit(["http.server", "abc"]);
    assert.equal(usage.code, 2);
    assert.equal(
      usage.stderr,
      `${formatUsage(SPECS["http.server"]!)}\nnetkit http.server: error: argument port: invalid int value: 'abc'\n`,
    );
    const none = await runNetkit([]);
    assert.equal(none.code, 2);
  });
});
