/**
 * What each `netkit` command takes, in one place: `netkit --help` lists the
 * commands from here, each command reads its own line with it
 * (src/cli/args.ts), and its usage line and `--help` come from it. Plain
 * data: `netkit --help` loads this file and no command.
 *
 * @module
 */
import { withCode } from "../errors/index.js";
import type { ArgumentSpec, CommandSpec } from "./args.js";

/** The tutorial's `--host`, `--port` and `--use-hostname`, with the command's default port. */
export function endpointOptions(port: number, verb: "listen on" | "connect to"): ArgumentSpec[] {
  return [
    { name: "host", metavar: "HOST", help: `the address to ${verb}`, default: "127.0.0.1" },
    { name: "port", short: "p", metavar: "PORT", type: "port", help: `the port to ${verb}`, default: port },
    {
      name: "use-hostname",
      help: `${verb} this machine's name (gethostname()), as the tutorial does, instead of --host`,
    },
  ];
}

const COUNT: ArgumentSpec = {
  name: "count",
  metavar: "N",
  type: "int",
  help: "stop after N connections",
  defaultText: "serve until Ctrl-C",
};

const TIMEOUT: ArgumentSpec = {
  name: "timeout",
  metavar: "SECONDS",
  type: "float",
  help: "give up when a connection step (connect, each read) takes longer",
  default: 60,
};

/** `-b ADDRESS` and `-d DIRECTORY` of the commands that serve a folder (http.server, gopher.server). */
const SERVE_DIRECTORY: ArgumentSpec[] = [
  {
    name: "bind",
    short: "b",
    metavar: "ADDRESS",
    help: "bind to this address",
    defaultText: "all interfaces",
  },
  {
    name: "directory",
    short: "d",
    metavar: "DIRECTORY",
    help: "serve this directory",
    defaultText: "current directory",
  },
];

/** What `netkit --help` ends with: the exit status of every command. */
export const EXIT_STATUS_HELP =
  "Exit status: 0 success, 1 failure, 2 usage error, 23 stdout closed early (as curl), 130 interrupted (Ctrl-C). " +
  "A server stopped by Ctrl-C exits 0, as python3 -m http.server does; a second Ctrl-C ends it at once.";

/** The commands, by name, in the order `netkit --help` lists them. */
export const SPECS: Record<string, CommandSpec> = {
  "simple-server": {
    prog: "netkit simple-server",
    summary: "the tutorial's simple_server: accept, greet, close",
    description:
      'The tutorial\'s simple_server: accept a connection, print "Got connection from" and its address, send "Thank you for connecting", close; until Ctrl-C.',
    options: [...endpointOptions(1234, "listen on"), COUNT],
    positionals: [],
  },
  "simple-client": {
    prog: "netkit simple-client",
    summary: "the tutorial's simple_client: connect, print what the server says",
    description: "The tutorial's simple_client: connect and print the first message the server sends.",
    options: endpointOptions(1234, "connect to"),
    positionals: [],
  },
  "socketserver-server": {
    prog: "netkit socketserver-server",
    summary: "the tutorial's server on socketserver.TCPServer",
    description: "The tutorial's server rewritten on socketserver.TCPServer: one client at a time.",
    options: [...endpointOptions(1234, "listen on"), COUNT],
    positionals: [],
  },
  "threading-server": {
    prog: "netkit threading-server",
    summary: "the same with ThreadingMixIn (clients served concurrently)",
    description: "The tutorial's server with ThreadingMixIn: clients served concurrently.",
    options: [...endpointOptions(1234, "listen on"), COUNT],
    positionals: [],
  },
  "forking-server": {
    prog: "netkit forking-server",
    summary: "the same with ForkingMixIn (a pool of worker processes)",
    description: "The tutorial's server with ForkingMixIn: clients served by a pool of worker processes.",
    options: [...endpointOptions(1234, "listen on"), COUNT],
    positionals: [],
  },
  "echo-server": {
    prog: "netkit echo-server",
    summary: "an echo server over TCP, UDP (--udp) or a Unix socket (--unix PATH)",
    description:
      "An echo server on socketserver: every line (TCP, Unix stream) or datagram (UDP, Unix datagram) comes back unchanged.",
    options: [
      { name: "udp", help: "echo datagrams (UDP, or a Unix datagram socket with --unix)" },
      { name: "unix", metavar: "PATH", help: "listen on a Unix socket at PATH instead of --host and --port" },
      ...endpointOptions(7007, "listen on"),
    ],
    positionals: [],
  },
  urlopen: {
    prog: "netkit urlopen",
    summary: "open a URL and write its body to stdout (-i: status and headers too)",
    description:
      "Open a URL with urllib.request.urlopen and write its body to stdout, as curl does. An HTTP error status still writes its page, and the command fails.",
    options: [
      {
        name: "include",
        short: "i",
        help: "write the status line and the headers before the body (as curl -i)",
      },
      TIMEOUT,
    ],
    positionals: [{ name: "URL", help: "what to open: http, https, ftp, file or data URL" }],
  },
  urlretrieve: {
    prog: "netkit urlretrieve",
    summary: "download a URL to a file, with progress on stderr (-c: resumable)",
    description:
      "Download a URL to a file, as urllib.request.urlretrieve does, with a progress line on stderr; then print where the file went. " +
      "The download is written to FILE.part-<random> and renamed to FILE when complete, so FILE is never left half-written; " +
      "with --continue it goes to FILE.part, which a failed or interrupted run keeps for the next --continue to resume.",
    options: [
      {
        name: "continue",
        short: "c",
        help: "resume FILE.part left by an earlier --continue run (a Range request, checked against the ETag or Last-Modified), and keep it if this run fails",
      },
      {
        name: "continue-at",
        short: "C",
        metavar: "-",
        choices: ["-"],
        help: "the same as --continue, as curl spells it (-C -)",
      },
      { name: "quiet", short: "q", help: "no progress line" },
      TIMEOUT,
    ],
    positionals: [
      { name: "URL", help: "what to download" },
      {
        name: "FILE",
        optional: true,
        help: "where to save it; a directory saves inside it under the URL's name",
        defaultText: "the URL's last path segment, else index.html",
      },
    ],
  },
  "http.server": {
    prog: "netkit http.server",
    summary: "python -m http.server: serve a directory over HTTP (--cgi: run CGI scripts too)",
    description:
      "python3 -m http.server: serve a directory over HTTP, logging each request to stderr. " +
      "Links that lead outside the directory are neither listed nor served.",
    options: [
      { name: "cgi", help: "run as CGI server" },
      ...SERVE_DIRECTORY,
      {
        name: "protocol",
        short: "p",
        metavar: "VERSION",
        choices: ["HTTP/1.0", "HTTP/1.1"],
        help: "conform to this HTTP version; HTTP/1.1 keeps connections alive, HTTP/1.0 is python3's default",
        default: "HTTP/1.1",
      },
    ],
    positionals: [{ name: "port", type: "port", optional: true, help: "bind to this port", default: 8000 }],
  },
  smtpd: {
    prog: "netkit smtpd",
    summary:
      "python -m smtpd: an SMTP server that prints (-c DebuggingServer) or relays (PureProxy) each message",
    description:
      "python3 -m smtpd: an SMTP server on localaddr (localhost:8025) that prints each message (-c DebuggingServer) " +
      "or relays it to remoteaddr (localhost:25) with smtplib (-c PureProxy, the default).",
    options: [
      {
        name: "nosetuid",
        short: "n",
        help: "do not try to become the user nobody (needed unless run as root)",
      },
      {
        name: "class",
        short: "c",
        metavar: "CLASS",
        choices: ["DebuggingServer", "PureProxy"],
        help: "the server class",
        default: "PureProxy",
      },
      {
        name: "size",
        short: "s",
        metavar: "LIMIT",
        type: "int",
        help: "most bytes in one message (RFC 1870 SIZE)",
        default: 33554432,
      },
      { name: "smtputf8", short: "u", help: "enable the SMTPUTF8 extension (RFC 6531)" },
    ],
    positionals: [
      { name: "localaddr", optional: true, help: "host:port to listen on", default: "localhost:8025" },
      { name: "remoteaddr", optional: true, help: "host:port to relay to", default: "localhost:25" },
    ],
  },
  telnet: {
    prog: "netkit telnet",
    summary:
      "python -m telnetlib: a very dumb Telnet client (lines typed go to the server, its output to stdout)",
    description:
      "python3 -m telnetlib: connect to a Telnet server, refuse every option it offers, and pass each line typed to it " +
      "and what it sends to stdout, until it closes the connection or stdin ends.",
    options: [
      {
        name: "debug",
        short: "d",
        help: "print what is sent, received and negotiated (Telnet.setDebuglevel(1))",
      },
      {
        name: "timeout",
        metavar: "SECONDS",
        type: "float",
        help: "give up connecting, or sending, after this long (python -m telnetlib: 0.5)",
        default: 10,
      },
    ],
    positionals: [
      { name: "HOST", optional: true, help: "the server", default: "localhost" },
      { name: "PORT", optional: true, help: "its port, a number or a service name", defaultText: "23" },
    ],
  },
  "xmlrpc.server": {
    prog: "netkit xmlrpc.server",
    summary: "python -m xmlrpc.server: the XML-RPC demo server (pow, add, getData, currentTime, multicall)",
    description:
      "python3 -m xmlrpc.server: the XML-RPC demo server on localhost (pow, add, getData, currentTime.getCurrentTime, system.multicall).",
    options: [],
    positionals: [{ name: "port", type: "port", optional: true, help: "bind to this port", default: 8000 }],
  },
  gopher: {
    prog: "netkit gopher",
    summary: "fetch a gopher: URL: a menu listed readably, a text's lines, or the item's bytes",
    description:
      "Fetch a gopher: URL with netkit/gopherlib (Python 2's gopherlib). A menu (type 1 or 7) is listed one item a line with its URL; " +
      "a text (type 0) is written without its dot-stuffing; anything else as its bytes. %09 in the URL starts a search.",
    options: [{ name: "raw", help: "write the reply as it came, whatever its type" }, TIMEOUT],
    positionals: [{ name: "URL", help: "what to fetch: gopher://HOST[:PORT]/TYPE SELECTOR" }],
  },
  "gopher.server": {
    prog: "netkit gopher.server",
    summary: "serve a directory over Gopher, with gophermaps (Ctrl-C stops it)",
    description:
      "Serve a directory over Gopher (RFC 1436) with netkit/gopherlib's GopherServer: a folder's gophermap, else a listing; " +
      "text files dot-stuffed, other files as they are. Nothing outside the directory is served, links included.",
    options: [
      ...SERVE_DIRECTORY,
      {
        name: "hostname",
        metavar: "NAME",
        help: "the host name menus give for this server's items",
        defaultText: "the -b address, or localhost",
      },
    ],
    positionals: [{ name: "port", type: "port", optional: true, help: "bind to this port", default: 7070 }],
  },
};

/** The spec of `name`; throws if there is none (a programming error, not a user's). */
export function spec(name: string): CommandSpec {
  const found = SPECS[name];
  if (!found)
    throw withCode(new Error(`No command named ${JSON.stringify(name)}`), "ERR_CLI_UNKNOWN_COMMAND");
  return found;
}
