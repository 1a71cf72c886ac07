#!/usr/bin/env node
/**
 * The `netkit` command: each subcommand is a thin shell over a module, as
 * `python -m MODULE` is (`http.server`, `xmlrpc.server`, `urlopen`), or one
 * of the tutorial's programs (src/cli/tutorial/, which the examples run too).
 * It imports modules and nothing outside src/: the published package runs
 * it without the examples (`npm run lint` checks both).
 *
 *     netkit --help
 *     netkit simple-server [--host H] [--port P]
 *     netkit urlretrieve URL [FILE]
 *
 * Subcommands load lazily, so `netkit --help` starts fast.
 *
 * @module
 */

/** One subcommand: a line of help and what runs it. */
interface Command {
  summary: string;
  usage: string;
  run: (argv: string[]) => Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  "simple-server": {
    summary: "the tutorial's simple_server: accept, greet, close",
    usage: "[--host H] [--port P] [--use-hostname] [--count N]",
    run: async (argv) => (await import("./tutorial/simple_server.js")).main(argv),
  },
  "simple-client": {
    summary: "the tutorial's simple_client: connect, print what the server says",
    usage: "[--host H] [--port P] [--use-hostname]",
    run: async (argv) => (await import("./tutorial/simple_client.js")).main(argv),
  },
  "socketserver-server": {
    summary: "the tutorial's server on socketserver.TCPServer",
    usage: "[--host H] [--port P] [--count N]",
    run: async (argv) => (await import("./tutorial/socketserver_server.js")).main(argv),
  },
  "threading-server": {
    summary: "the same with ThreadingMixIn (clients served concurrently)",
    usage: "[--host H] [--port P] [--count N]",
    run: async (argv) => (await import("./tutorial/threading_server.js")).main(argv),
  },
  "forking-server": {
    summary: "the same with ForkingMixIn (a pool of worker processes)",
    usage: "[--host H] [--port P]",
    run: async (argv) => (await import("./tutorial/forking_server.js")).main(argv),
  },
  "echo-server": {
    summary: "an echo server over TCP, UDP (--udp) or a Unix socket (--unix PATH)",
    usage: "[--udp] [--unix PATH] [--host H] [--port P]",
    run: async (argv) => (await import("./tutorial/echo_server.js")).main(argv),
  },
  urlopen: {
    summary: "open a URL and write its body to stdout (-i: status and headers too)",
    usage: "[-i] [--timeout S] URL",
    run: async (argv) => (await import("./urllib.js")).urlopenCommand(argv),
  },
  urlretrieve: {
    summary: "download a URL to a file, with progress on stderr",
    usage: "[--timeout S] [-q] URL [FILE]",
    run: async (argv) => (await import("./urllib.js")).urlretrieveCommand(argv),
  },
  "http.server": {
    summary: "python -m http.server: serve a directory over HTTP (--cgi: run CGI scripts too)",
    usage: "[port] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [--cgi]",
    run: async (argv) => (await import("./http_server.js")).serve(argv),
  },
  "xmlrpc.server": {
    summary: "python -m xmlrpc.server: the XML-RPC demo server (pow, add, getData, currentTime, multicall)",
    usage: "[port]",
    run: async (argv) => (await import("./xmlrpc_server.js")).serve(argv),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return [
    "usage: netkit <command> [options]",
    "",
    "Python's network-programming toolbox for Node.js. Commands:",
    ...lines,
    "",
    "netkit <command> --help shows a command's options.",
  ].join("\n");
}

/** Runs the command line `argv` (without `node` and the script). Resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`netkit: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`usage: netkit ${name} ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (err) {
    console.error(`netkit ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

const entry = process.argv[1] ?? "";
if (/(?:^|[\\/])(?:main\.[jt]s|netkit)$/.test(entry)) process.exitCode = await main(process.argv.slice(2));
