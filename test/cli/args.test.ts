/**
 * The one argument parser of every `netkit` command (src/cli/args.ts):
 * against python3's argparse built from the same description (help layout,
 * usage errors), and its own rules (defaults, types, --help and --version).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type CommandSpec,
  formatHelp,
  formatUsage,
  formatUsageError,
  parseCommandLine,
  UsageError,
} from "../../src/cli/args.js";
import { SPECS, spec } from "../../src/cli/specs.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));

/** Builds argparse's parser from a spec; prints each command's help, and each case's error (or parsed values). */
const ARGPARSE = `
import argparse, json, os, sys
os.environ["COLUMNS"] = "80"
class Refused(Exception):
    pass
class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Refused(message)
TYPES = {"int": int, "port": int, "float": float}
def build(spec):
    p = Parser(prog=spec["prog"], description=spec.get("description") or spec["summary"])
    p.add_argument("--version", action="version", version="x", help="show netkit's version number and exit")
    for o in spec["options"]:
        flags = (["-" + o["short"]] if o.get("short") else []) + ["--" + o["name"]]
        kw = {"help": o["helpText"].replace("%", "%%"), "dest": o["name"]}
        if o.get("metavar"):
            kw["metavar"] = o["metavar"]
            if o.get("choices"): kw["choices"] = o["choices"]
            if o.get("type") in TYPES: kw["type"] = TYPES[o["type"]]
        else:
            kw["action"] = "store_true"
        p.add_argument(*flags, **kw)
    for a in spec["positionals"]:
        kw = {"help": a["helpText"].replace("%", "%%")}
        if a.get("optional"): kw["nargs"] = "?"
        if a.get("type") in TYPES: kw["type"] = TYPES[a["type"]]
        p.add_argument(a["name"], **kw)
    return p
data = json.load(sys.stdin)
out = {"help": {}, "errors": []}
for name, spec in data["specs"].items():
    out["help"][name] = build(spec).format_help()
for name, argv in data["cases"]:
    try:
        build(data["specs"][name]).parse_args(argv)
        out["errors"].append(None)
    except Refused as e:
        out["errors"].append(str(e))
print(json.dumps(out))
`;

/** A spec as the Python side wants it: each argument's help with its default, as formatHelp writes it. */
function forPython(s: CommandSpec) {
  const withHelp = (a: CommandSpec["options"][number]) => {
    const shown = a.defaultText ?? (a.default === undefined ? undefined : String(a.default));
    return { ...a, helpText: shown === undefined ? a.help : `${a.help} (default: ${shown})` };
  };
  return { ...s, options: s.options.map(withHelp), positionals: s.positionals.map(withHelp) };
}

/** Help without its usage paragraph (argparse wraps a long usage line; netkit keeps it on one line). */
function body(help: string): string {
  return help.slice(help.indexOf("\n\n") + 2);
}

/** What parseCommandLine says about `argv`: null when it accepts it, else the usage error's message. */
function refusal(s: CommandSpec, argv: string[]): string | null {
  try {
    parseCommandLine(s, argv);
    return null;
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}

const CASES: Array<[string, string[]]> = [
  ["http.server", []],
  ["http.server", ["8080", "-b", "127.0.0.1", "--cgi"]],
  ["http.server", ["--nope"]],
  ["http.server", ["--nope=1", "x"]],
  ["http.server", ["1", "2"]],
  ["http.server", ["abc"]],
  ["http.server", ["-b"]],
  ["http.server", ["--bind"]],
  ["http.server", ["-b", "-d", "x"]],
  ["http.server", ["-p", "HTTP/2"]],
  ["http.server", ["--protocol=HTTP/1.0"]],
  ["http.server", ["--cgi=yes"]],
  ["http.server", ["-dDIR", "-bHOST"]],
  ["urlretrieve", []],
  ["urlretrieve", ["http://x/"]],
  ["urlretrieve", ["http://x/", "f", "g"]],
  ["urlretrieve", ["--timeout", "x", "http://x/"]],
  ["urlretrieve", ["--timeout", "1e3", "http://x/"]],
  ["urlretrieve", ["--timeout=1_000.5", "http://x/"]],
  ["urlretrieve", ["-C", "-", "http://x/"]],
  ["urlretrieve", ["-C", "5", "http://x/"]],
  ["urlretrieve", ["-qc", "http://x/"]],
  ["urlopen", ["-i"]],
  ["simple-server", ["--count", "3.5"]],
  ["simple-server", ["--port", " 12 "]],
  ["simple-server", ["stray"]],
  ["echo-server", ["--unix"]],
];

describe("the argument parser against python3's argparse", { skip }, () => {
  test("formatHelp() lays out every command's options as argparse does", async () => {
    const specs = Object.fromEntries(Object.entries(SPECS).map(([name, s]) => [name, forPython(s)]));
    const got = await python<{ help: Record<string, string> }>(ARGPARSE, { specs, cases: [] });
    for (const [name, s] of Object.entries(SPECS)) {
      const ours = formatHelp(s);
      assert.equal(body(ours), body(got.help[name]!), `netkit ${name} --help:\n${ours}`);
    }
  });

  test("parseCommandLine() refuses what argparse refuses, with argparse's message", async () => {
    const specs = Object.fromEntries(Object.entries(SPECS).map(([name, s]) => [name, forPython(s)]));
    const got = await python<{ errors: Array<string | null> }>(ARGPARSE, { specs, cases: CASES });
    CASES.forEach(([name, argv], i) => {
      assert.equal(refusal(spec(name), argv), got.errors[i], `netkit ${name} ${JSON.stringify(argv)}`);
    });
  });
});

describe("parseCommandLine()", () => {
  test("parseCommandLine() fills in defaults and reads each type", () => {
    const args = parseCommandLine(spec("http.server"), ["-b", "::1", "9000"]);
    assert.equal(args.string("bind"), "::1");
    assert.equal(args.number("port"), 9000);
    assert.equal(args.string("protocol"), "HTTP/1.1");
    assert.equal(args.flag("cgi"), false);
    assert.equal(parseCommandLine(spec("http.server"), []).number("port"), 8000);
    const retrieve = parseCommandLine(spec("urlretrieve"), ["--timeout=2.5", "-C", "-", "u"]);
    assert.deepEqual(
      [
        retrieve.number("timeout"),
        retrieve.string("continue-at"),
        retrieve.string("URL"),
        retrieve.string("FILE"),
      ],
      [2.5, "-", "u", undefined],
    );
  });

  test("parseCommandLine() takes -- as the end of options and a negative number as a value", () => {
    assert.equal(parseCommandLine(spec("urlopen"), ["--", "-i"]).string("URL"), "-i");
    assert.equal(parseCommandLine(spec("urlopen"), ["--timeout", "-1", "u"]).number("timeout"), -1);
  });

  test("parseCommandLine() refuses a port out of range before anything starts", () => {
    assert.equal(refusal(spec("http.server"), ["70000"]), "argument port: port must be 0-65535, not 70000");
    assert.equal(
      refusal(spec("simple-server"), ["-p", "-1"]),
      "argument -p/--port: port must be 0-65535, not -1",
    );
  });

  test("parseCommandLine() answers --help and --version whatever else is there", () => {
    assert.equal(parseCommandLine(spec("http.server"), ["--nope", "-h"]).help, true);
    assert.equal(parseCommandLine(spec("http.server"), ["abc", "--help"]).help, true);
    const v = parseCommandLine(spec("http.server"), ["--version", "x", "y"]);
    assert.deepEqual([v.help, v.version], [false, true]);
  });

  test("formatUsage() is the one usage line, shown in help and in every usage error", () => {
    const usage = formatUsage(spec("urlretrieve"));
    assert.equal(
      usage,
      "usage: netkit urlretrieve [-h] [--version] [-c] [-C -] [-q] [--timeout SECONDS] URL [FILE]",
    );
    assert.ok(formatHelp(spec("urlretrieve")).startsWith(`${usage}\n\n`));
    assert.equal(
      formatUsageError(spec("urlretrieve"), usage, "the following arguments are required: URL"),
      `${usage}\nnetkit urlretrieve: error: the following arguments are required: URL\n`,
    );
  });

  test("formatHelp() shows each option's meaning and default", () => {
    const help = formatHelp(spec("http.server"));
    assert.match(help, /^ {2}port {18}bind to this port \(default: 8000\)$/m);
    assert.match(
      help,
      /^ {2}-b ADDRESS, --bind ADDRESS\n {24}bind to this address \(default: all interfaces\)$/m,
    );
    assert.match(help, /\(default: HTTP\/1\.1\)/);
    assert.match(help, /^ {2}--version {13}show netkit's version number and exit$/m);
  });
});
