/**
 * Python's `cgi` test and debug helpers: `print_environ`, `print_form`,
 * `print_directory`, `print_arguments`, `print_environ_usage`,
 * `print_exception` and `test`, writing the same HTML Python prints.
 *
 * Python prints to `sys.stdout`; netkit writes to the output you give it (a
 * Node `Writable` such as `process.stdout`, a netkit `BufferedWriter` or
 * `TextIOWrapper`, or anything with `write(text)`), and each function is
 * async so a stream's backpressure is respected.
 *
 * @module
 */
import type { Writable } from "node:stream";
import { htmlEscape } from "../_html.js";
import { pyRepr, toError, withCode } from "../errors/index.js";
import { BufferedWriter } from "../io/writer.js";
import {
  type Environ,
  FieldStorage,
  type FieldStorageOptions,
  type FormInput,
  MiniFieldStorage,
} from "./storage.js";

/** Where the HTML goes: a Node `Writable`, a netkit `BufferedWriter`, or anything with `write(text)`. */
export type HtmlOutput = Writable | NodeJS.WritableStream | BufferedWriter | { write(text: string): unknown };

async function emit(out: HtmlOutput, text: string): Promise<void> {
  if (out instanceof BufferedWriter) {
    await out.write(Buffer.from(text, "utf8"));
    return;
  }
  const r = (out as { write(text: string): unknown }).write(text);
  if (r instanceof Promise) await r;
}

/** Python's `sorted()` order for strings: by code point (JavaScript's default sorts UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Python's `repr()` of what `form[key]` returns. */
function reprField(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reprField).join(", ")}]`;
  return String(value);
}

/** Python's `repr(type(value))` for what `form[key]` returns. */
function reprType(value: unknown): string {
  if (Array.isArray(value)) return "<class 'list'>";
  if (value instanceof MiniFieldStorage) return "<class 'cgi.MiniFieldStorage'>";
  return "<class 'cgi.FieldStorage'>";
}

/**
 * Python's `cgi.print_environ(environ)`: the environment as an HTML
 * definition list, sorted by name.
 * @param environ the variables @default process.env
 * @param out where the HTML goes @default process.stdout
 */
export async function printEnviron(
  environ: Environ = process.env,
  out: HtmlOutput = process.stdout,
): Promise<void> {
  const keys = Object.keys(environ)
    .filter((k) => environ[k] !== undefined)
    .sort(byCodePoint);
  let html = "\n<H3>Shell Environment:</H3>\n<DL>\n";
  for (const key of keys) html += `<DT> ${htmlEscape(key)} <DD> ${htmlEscape(environ[key]!)}\n`;
  html += "</DL>\n\n";
  await emit(out, html);
}

/**
 * Python's `cgi.print_form(form)`: the form's fields as an HTML definition
 * list, sorted by name, each with its type and `repr()`. A part without a
 * name is listed as `None`.
 * @param form a form (a FieldStorage with a list)
 * @param out where the HTML goes @default process.stdout
 */
export async function printForm(form: FieldStorage, out: HtmlOutput = process.stdout): Promise<void> {
  const names = form.keys();
  const keys = names.filter((k): k is string => k !== null).sort(byCodePoint);
  const ordered: Array<string | null> = names.includes(null) ? [null, ...keys] : keys;
  let html = "\n<H3>Form Contents:</H3>\n";
  if (ordered.length === 0) html += "<P>No form fields.\n";
  html += "<DL>\n";
  for (const key of ordered) {
    const value = form.get(key);
    html += `<DT>${htmlEscape(key ?? "None")}: <i>${htmlEscape(reprType(value))}</i>\n`;
    html += `<DD>${htmlEscape(reprField(value))}\n`;
  }
  html += "</DL>\n\n";
  await emit(out, html);
}

/**
 * Python's `cgi.print_directory()`: the current working directory, as HTML.
 * @param out where the HTML goes @default process.stdout
 */
export async function printDirectory(out: HtmlOutput = process.stdout): Promise<void> {
  let html = "\n<H3>Current Working Directory:</H3>\n";
  try {
    html += `${htmlEscape(process.cwd())}\n`;
  } catch (err) {
    html += `OSError: ${htmlEscape(String((err as Error).message))}\n`;
  }
  await emit(out, `${html}\n`);
}

/**
 * Python's `cgi.print_arguments()`: the command line (`sys.argv`: here the
 * script and its arguments, `process.argv.slice(1)`), as Python's list repr.
 * @param out where the HTML goes @default process.stdout
 * @param argv the arguments to show @default process.argv.slice(1)
 */
export async function printArguments(
  out: HtmlOutput = process.stdout,
  argv: readonly string[] = process.argv.slice(1),
): Promise<void> {
  await emit(out, `\n<H3>Command Line Arguments:</H3>\n\n[${argv.map(pyRepr).join(", ")}]\n\n`);
}

const ENVIRON_USAGE = `
<H3>These environment variables could have been set:</H3>
<UL>
<LI>AUTH_TYPE
<LI>CONTENT_LENGTH
<LI>CONTENT_TYPE
<LI>DATE_GMT
<LI>DATE_LOCAL
<LI>DOCUMENT_NAME
<LI>DOCUMENT_ROOT
<LI>DOCUMENT_URI
<LI>GATEWAY_INTERFACE
<LI>LAST_MODIFIED
<LI>PATH
<LI>PATH_INFO
<LI>PATH_TRANSLATED
<LI>QUERY_STRING
<LI>REMOTE_ADDR
<LI>REMOTE_HOST
<LI>REMOTE_IDENT
<LI>REMOTE_USER
<LI>REQUEST_METHOD
<LI>SCRIPT_NAME
<LI>SERVER_NAME
<LI>SERVER_PORT
<LI>SERVER_PROTOCOL
<LI>SERVER_ROOT
<LI>SERVER_SOFTWARE
</UL>
In addition, HTTP headers sent by the server may be passed in the
environment as well.  Here are some common variable names:
<UL>
<LI>HTTP_ACCEPT
<LI>HTTP_CONNECTION
<LI>HTTP_HOST
<LI>HTTP_PRAGMA
<LI>HTTP_REFERER
<LI>HTTP_USER_AGENT
</UL>

`;

/**
 * Python's `cgi.print_environ_usage()`: the list of CGI variables, as HTML.
 * @param out where the HTML goes @default process.stdout
 */
export async function printEnvironUsage(out: HtmlOutput = process.stdout): Promise<void> {
  await emit(out, ENVIRON_USAGE);
}

/**
 * Python's `cgi.print_exception()`: an error and its stack as HTML, the
 * stack in `<PRE>` and the error line in bold. Python formats a traceback;
 * netkit formats the error's JavaScript stack.
 * @param err the error to show
 * @param out where the HTML goes @default process.stdout
 */
export async function printException(err: unknown, out: HtmlOutput = process.stdout): Promise<void> {
  const e = toError(err);
  const frames = (e.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .reverse(); // most recent call last, as Python prints it
  const tb = frames.map((line) => `  ${line.trim()}\n`).join("");
  const last = `${e.name}: ${e.message}\n`;
  await emit(
    out,
    `\n<H3>Traceback (most recent call last):</H3>\n<PRE>${htmlEscape(tb)}<B>${htmlEscape(last)}</B></PRE>\n`,
  );
}

/** Options of `test()`. */
export interface TestOptions {
  /** The CGI environment. @default process.env */
  environ?: Environ | undefined;
  /** The request body. @default process.stdin */
  fp?: FormInput | undefined;
  /** Where the response goes. @default process.stdout */
  out?: HtmlOutput | undefined;
  /** More `FieldStorage` options (limits). */
  storage?: Omit<FieldStorageOptions, "fp" | "environ"> | undefined;
}

/**
 * Python's `cgi.test()`: a CGI script that answers with everything it was
 * given (headers, working directory, arguments, form, environment), then
 * shows `printException` on a made-up error, then reads the form again with
 * a 50-byte limit (Python's `maxlen = 50`) to show the error that gives.
 * Run it as a CGI script: `await test()`.
 * @param options the environment, input and output
 */
export async function test(options: TestOptions = {}): Promise<void> {
  const environ = options.environ ?? process.env;
  const out = options.out ?? process.stdout;
  const fp = options.fp;
  await emit(out, "Content-type: text/html\n\n");
  try {
    const form = await FieldStorage.read({ ...options.storage, fp, environ });
    try {
      await printDirectory(out);
      await printArguments(out);
      await printForm(form, out);
      await printEnviron(environ, out);
      await printEnvironUsage(out);
    } finally {
      await form.close();
    }
    await emit(out, "<H3>What follows is a test, not an actual exception:</H3>\n");
    throw withCode(
      new SyntaxError("invalid syntax (testing printException() -- <I>italics?</I>)"),
      "ERR_CGI_TEST_EXCEPTION",
    );
  } catch (err) {
    await printException(err, out);
  }
  await emit(out, "<H1>Second try with a small maxlen...</H1>\n");
  try {
    const form = await FieldStorage.read({ ...options.storage, fp, environ, maxBytes: 50 });
    try {
      await printDirectory(out);
      await printArguments(out);
      await printForm(form, out);
      await printEnviron(environ, out);
    } finally {
      await form.close();
    }
  } catch (err) {
    await printException(err, out);
  }
}
