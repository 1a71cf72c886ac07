#!/usr/bin/env node
/**
 * The `netkit` command: each subcommand is a thin shell over a module, as
 * `python -m MODULE` is (`http.server`, `xmlrpc.server`, `urlopen`), or one
 * of the tutorial's programs (src/cli/tutorial/, which the examples run too).
 * It imports modules and nothing outside src/: the published package runs
 * it without the examples (`npm run lint` checks both).
 *
 *     netkit --help                 the commands
 *     netkit COMMAND --help         a command's options (also: netkit help COMMAND)
 *     netkit http.server 8080
 *     netkit urlretrieve -c URL [FILE]
 *
 * Every command reads its arguments the same way (src/cli/args.ts, from
 * the descriptions in src/cli/specs.ts) and ends the same way
 * (src/cli/exit.ts: 0, 1, 2 for a usage error, 23 when stdout closes early,
 * death by the signal that interrupted it). Subcommands load lazily, so
 * `netkit --help` starts fast.
 *
 * @module
 */
import { VERSION } from "../version.js";
import {
  type CommandSpec,
  formatHelp,
  formatUsage,
  formatUsageError,
  parseCommandLine,
  UsageError,
} from "./args.js";
import { EXIT, guardStdio, Interrupted } from "./exit.js";
import { EXIT_STATUS_HELP, SPECS } from "./specs.js";

/** What runs each command (loaded when the command is run). */
const RUN: Record<string, (argv: string[]) => Promise<void>> = {
  "simple-server": async (argv) => (await import("./tutorial/simple_server.js")).main(argv),
  "simple-client": async (argv) => (await import("./tutorial/simple_client.js")).main(argv),
  "socketserver-server": async (argv) => (await import("./tutorial/socketserver_server.js")).main(argv),
  "threading-server": async (argv) => (await import("./tutorial/threading_server.js")).main(argv),
  "forking-server": async (argv) => (await import("./tutorial/forking_server.js")).main(argv),
  "echo-server": async (argv) => (await import("./tutorial/echo_server.js")).main(argv),
  urlopen: async (argv) => (await import("./urllib.js")).urlopenCommand(argv),
  urlretrieve: async (argv) => (await import("./download.js")).urlretrieveCommand(argv),
  "http.server": async (argv) => (await import("./http_server.js")).serve(argv),
  "xmlrpc.server": async (argv) => (await import("./xmlrpc_server.js")).serve(argv),
  smtpd: async (argv) => (await import("./smtpd.js")).serve(argv),
  telnet: async (argv) => (await import("./telnet.js")).telnetCommand(argv),
  gopher: async (argv) => (await import("./gopher.js")).gopherCommand(argv),
  "gopher.server": async (argv) => (await import("./gopher_server.js")).serve(argv),
};

/** `netkit` itself, described as a command whose positional is the command's name. */
export const NETKIT: CommandSpec = {
  prog: "netkit",
  summary: "Python's network-programming toolbox for Node.js.",
  options: [],
  positionals: [
    { name: "COMMAND", help: "one of the commands below" },
    { name: "ARGS", optional: true, help: "the command's arguments (netkit COMMAND --help lists them)" },
  ],
};

/** `netkit --help`: usage, the commands with their summaries, the options, the exit statuses. */
function mainHelp(): string {
  const width = Math.max(...Object.keys(SPECS).map((name) => name.length));
  const commands = Object.entries(SPECS).map(([name, s]) => `  ${name.padEnd(width)}  ${s.summary}`);
  return [
    formatUsage(NETKIT),
    "",
    NETKIT.summary,
    "",
    "commands:",
    ...commands,
    "",
    "options:",
    "  -h, --help  show this help message and exit",
    "  --version   show netkit's version number and exit",
    "",
    "Run 'netkit COMMAND --help' (or 'netkit help COMMAND') for a command's options.",
    EXIT_STATUS_HELP,
    "",
  ].join("\n");
}

/** Where `main` writes. */
export interface MainIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Runs the command line `argv` (without `node` and the script).
 * @returns the exit status, or the signal that interrupted the command (its cleanup done), to be raised again
 */
export async function main(
  argv: readonly string[],
  io: MainIO = { stdout: process.stdout, stderr: process.stderr },
): Promise<number | NodeJS.Signals> {
  const usageError = (spec: CommandSpec, usage: string, message: string) => {
    io.stderr.write(formatUsageError(spec, usage, message));
    return EXIT.usage;
  };
  const mainUsage = formatUsage(NETKIT);
  let [name, ...rest] = argv;
  if (name === "-h" || name === "--help") {
    io.stdout.write(mainHelp());
    return EXIT.ok;
  }
  if (name === "--version") {
    io.stdout.write(`netkit ${VERSION}\n`);
    return EXIT.ok;
  }
  if (name === "help") {
    // `netkit help COMMAND` is `netkit COMMAND --help`; `netkit help` alone is `netkit --help`.
    if (rest.length === 0) {
      io.stdout.write(mainHelp());
      return EXIT.ok;
    }
    [name, ...rest] = [rest[0]!, "--help"];
  }
  if (name === undefined)
    return usageError(NETKIT, mainUsage, "the following arguments are required: COMMAND");
  if (name.startsWith("-") && name !== "-")
    return usageError(NETKIT, mainUsage, `unrecognized arguments: ${name}`);
  const spec = SPECS[name];
  const run = RUN[name];
  if (!spec || !run) {
    const choices = Object.keys(SPECS)
      .map((c) => `'${c}'`)
      .join(", ");
    return usageError(
      NETKIT,
      mainUsage,
      `argument COMMAND: invalid choice: '${name}' (choose from ${choices})`,
    );
  }

  const usage = formatUsage(spec);
  try {
    const parsed = parseCommandLine(spec, rest);
    if (parsed.help) {
      io.stdout.write(formatHelp(spec));
      return EXIT.ok;
    }
    if (parsed.version) {
      io.stdout.write(`netkit ${VERSION}\n`);
      return EXIT.ok;
    }
    await run(rest);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError) return usageError(spec, usage, err.message);
    if (err instanceof Interrupted) return err.signal;
    io.stderr.write(`${spec.prog}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

const entry = process.argv[1] ?? "";
if (/(?:^|[\\/])(?:main\.[jt]s|netkit)$/.test(entry)) {
  guardStdio();
  const result = await main(process.argv.slice(2));
  // Interrupted: die by the same signal (its listeners are gone), so the shell reports 128 + n.
  if (typeof result === "string") process.kill(process.pid, result);
  else {
    process.exitCode = result;
    // The command is done: a connection still flushing to a client that stopped
    // reading (a server cut off its requests after Ctrl-C) does not hold the process.
    setTimeout(() => process.exit(), 100).unref();
  }
}
