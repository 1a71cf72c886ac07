/**
 * Python's `http.server.CGIHTTPRequestHandler`: `SimpleHTTPRequestHandler`
 * plus CGI/1.1 (RFC 3875) scripts under `cgiDirectories`, run as child
 * processes.
 *
 * ```text
 * doGET / doHEAD ─► sendHead ─► isCgi? ─► runCgi ─┐         else: the file, as SimpleHTTPRequestHandler
 * doPOST ──────────────────────► isCgi? ─► runCgi ┤         else: 501
 *                                                 ▼
 *   find the script (404 / 403) ─► environment (RFC 3875 as Python builds it)
 *   ─► spawn (no shell; as nobody when the server runs as root)
 *        request body (Content-Length bytes) ──► stdin
 *        stdout ──► header block parsed here (Status:, Location:, checked)
 *                   ──► status line + headers ──► body streamed to the client
 *   ─► script too slow (cgiTimeout) or dead before its headers: 504 / 500
 * ```
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { access, constants, stat } from "node:fs/promises";
import { posix } from "node:path";
import { fieldValueFaultAt } from "../../_http_grammar.js";
import { isSystemError, pyRepr } from "../../errors/index.js";
import { readableSource } from "../../io/memory.js";
import { BufferedReader } from "../../io/reader.js";
import type { AnyServer } from "../../socketserver/base.js";
import { unquote } from "../../urllib/parse.js";
import { readHeaders } from "../message.js";
import { servablePath } from "./files.js";
import { type HeadResult, SimpleHTTPRequestHandler } from "./simple.js";

/** A name RFC 9110 allows for a header field (a token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Script headers netkit writes itself, or that would break the framing: not passed on. */
const DROPPED = new Set([
  "status",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "server",
  "date",
  "content-length",
]);
const CHUNK = 65536;
/** Most bytes of a script's stderr logged per request. */
const MAX_STDERR = 65536;

/**
 * Python's `_url_collapse_path(path)`: the URL path with `%XX` decoded, empty
 * and `.` segments dropped and `..` applied, the query kept; always starts
 * with `/`. Returns `null` where Python raises IndexError (more `..` than
 * segments).
 */
export function urlCollapsePath(path: string): string | null {
  const q = path.indexOf("?");
  const query = q >= 0 ? path.slice(q + 1) : "";
  const parts = unquote(q >= 0 ? path.slice(0, q) : path).split("/");
  const head: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (part === "..") {
      if (head.length === 0) return null;
      head.pop();
    } else if (part && part !== ".") head.push(part);
  }
  let tail = parts[parts.length - 1] ?? "";
  if (tail === "..") {
    if (head.length === 0) return null;
    head.pop();
    tail = "";
  } else if (tail === ".") tail = "";
  if (query) tail = `${tail}?${query}`;
  return `/${head.join("/")}/${tail}`;
}

let nobody: { uid: number; gid: number } | null | undefined;

/** Python's `nobody_uid()`: the `nobody` user (or one past the highest uid), with its group. */
export function nobodyIds(): { uid: number; gid: number } | null {
  if (nobody !== undefined) return nobody;
  try {
    const rows = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .map((l) => l.split(":"))
      .filter((r) => r.length >= 4);
    const entry = rows.find((r) => r[0] === "nobody");
    if (entry) nobody = { uid: Number(entry[2]), gid: Number(entry[3]) };
    else {
      const uid = 1 + Math.max(...rows.map((r) => Number(r[2])).filter((n) => Number.isFinite(n)));
      nobody = { uid, gid: uid };
    }
  } catch (err) {
    if (!isSystemError(err)) throw err; // no /etc/passwd to read
    nobody = null;
  }
  return nobody;
}

/** What the script's header block said, checked. */
interface ScriptHead {
  code: number;
  reason: string | undefined;
  headers: Array<[string, string]>;
  contentLength: number | undefined;
}

/**
 * Parses a CGI script's header block (RFC 3875 section 6.3) strictly: each
 * line `Name: value`, no continuation lines, no control character (CR, NUL,
 * ...: RFC 9110 5.5) inside a line (a value the script copied from its
 * input cannot add headers, nor stop `sendHeader`). `Status:`
 * gives the status (`404` or `404 Not Found`); `Location:` without it is a
 * 302.
 * @returns the response head, or an error message for the log
 */
export function parseScriptHead(lines: Buffer[]): ScriptHead | string {
  const last = lines[lines.length - 1];
  if (last === undefined || !(last.length === 1 || (last.length === 2 && last[0] === 0x0d))) {
    return "CGI script ended before its header block";
  }
  let code: number | undefined;
  let reason: string | undefined;
  let contentLength: number | undefined;
  let location = false;
  const headers: Array<[string, string]> = [];
  for (const raw of lines.slice(0, -1)) {
    let line = raw.toString("latin1");
    line = line.endsWith("\r\n") ? line.slice(0, -2) : line.slice(0, -1);
    if (fieldValueFaultAt(line) >= 0) return `CGI script header with a control character: ${pyRepr(line)}`;
    if (line[0] === " " || line[0] === "\t")
      return `CGI script header continued on another line: ${pyRepr(line)}`;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (!TOKEN.test(name)) return `Malformed CGI script header: ${pyRepr(line)}`;
    const value = line.slice(colon + 1).trim();
    const lower = name.toLowerCase();
    if (lower === "status") {
      const m = /^([1-5]\d\d)(?:\s+(.*))?$/.exec(value);
      if (!m || Number(m[1]) < 200) return `Bad CGI Status header: ${pyRepr(value)}`;
      code = Number(m[1]);
      reason = m[2] || undefined;
    } else if (lower === "content-length") {
      if (/^\d{1,15}$/.test(value)) contentLength = Number(value);
    } else if (lower === "location") {
      location = true;
    }
    if (!DROPPED.has(lower)) headers.push([name, value]);
  }
  if (code === undefined) code = location ? 302 : 200;
  if (contentLength !== undefined) headers.push(["Content-Length", String(contentLength)]);
  return { code, reason, headers, contentLength };
}

/**
 * Python's `http.server.CGIHTTPRequestHandler`: serves files as
 * `SimpleHTTPRequestHandler` does, and runs the executable files under
 * `cgiDirectories` (`/cgi-bin`, `/htbin`) as CGI scripts for GET, HEAD and
 * POST, with the environment Python builds (RFC 3875's variables; the
 * query string as `argv[1]` when it has no `=`).
 *
 * Attributes to override: `cgiDirectories`, `cgiTimeout`, `cgiPassEnv`.
 * Methods to override: `isCgi`, `isExecutable`, `isPython`, `runCgi`.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - netkit reads the script's header block itself and sends a real status
 *   line: `Status: 404 Not Found` becomes `HTTP/1.0 404 Not Found`, and
 *   `Location:` without `Status:` a 302 (Python sends `200 Script output
 *   follows` first and passes `Status:` on as a header). A header block with
 *   a continuation line, a control character inside a line, or a bad name is refused
 *   with a 500, so a value a script echoes cannot add headers. The script's
 *   `Server`, `Date`, `Connection` and `Transfer-Encoding` are dropped; its
 *   `Content-Length` caps the body.
 * - The script gets RFC 3875's variables and only the server variables
 *   named in `cgiPassEnv` (Python copies the server's whole environment,
 *   secrets and `HTTP_PROXY` included); no request header becomes
 *   `HTTP_PROXY` (httpoxy).
 * - A script slower than `cgiTimeout` seconds is killed with its process
 *   group: 504 when it had not sent its headers, else the connection is
 *   closed. A script that dies before its headers gives a 500. The server
 *   goes on serving.
 * - Run as root, the script runs as `nobody` with nobody's group too
 *   (Python changes only the uid).
 * - The request body is streamed to the script's stdin (Content-Length
 *   bytes; a chunked body gets 411); the script's stdout is streamed back.
 *   HEAD sends the script's headers only. The connection closes after a
 *   CGI response, as with Python's HTTP/1.0.
 * - Scripts must lie inside `directory` once symbolic links are resolved
 *   (unless `followSymlinks`).
 *
 * @example
 * ```ts serves=http:8000
 * import { CGIHTTPRequestHandler, HTTPServer } from "netkit/http/server";
 * const httpd = new HTTPServer(["127.0.0.1", 8000], CGIHTTPRequestHandler.withOptions({ directory: "www" }));
 * await httpd.serveForever(); // www/cgi-bin/hello.py answers /cgi-bin/hello.py
 * ```
 */
export class CGIHTTPRequestHandler<
  Server extends AnyServer = AnyServer,
> extends SimpleHTTPRequestHandler<Server> {
  /** Python's `cgi_directories`: URL paths whose files are scripts. @default ["/cgi-bin", "/htbin"] */
  cgiDirectories: string[] = ["/cgi-bin", "/htbin"];
  /** Python's `cgi_info`: `[directory, rest]` set by `isCgi()`. */
  cgiInfo: [string, string] | null = null;
  /** Seconds a script may run (headers and body); `null` for no limit (Python). @default 60 */
  cgiTimeout: number | null = 60;
  /** Server environment variables passed on to scripts (Python passes all). @default ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT"] */
  cgiPassEnv: string[] = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT"];

  /** Python's `do_POST()`: only for CGI scripts; anything else is 501. */
  async doPOST(): Promise<void> {
    if (this.isCgi()) await this.runCgi();
    else await this.sendError(501, "Can only POST to CGI scripts");
  }

  /** Python's `send_head()`: runs a CGI script (and returns `null`), else serves the file. */
  override async sendHead(): Promise<HeadResult> {
    if (this.isCgi()) {
      await this.runCgi();
      return null;
    }
    return super.sendHead();
  }

  /**
   * Python's `is_cgi()`: true when the collapsed request path starts with one
   * of `cgiDirectories` followed by `/`; sets `cgiInfo` to `[dir, rest]`. A
   * path with too many `..` is not CGI (Python raises IndexError).
   */
  isCgi(): boolean {
    const collapsed = urlCollapsePath(this.path);
    if (collapsed === null) return false;
    let sep = collapsed.indexOf("/", 1);
    while (sep > 0 && !this.cgiDirectories.includes(collapsed.slice(0, sep))) {
      sep = collapsed.indexOf("/", sep + 1);
    }
    if (sep > 0) {
      this.cgiInfo = [collapsed.slice(0, sep), collapsed.slice(sep + 1)];
      return true;
    }
    return false;
  }

  /** Python's `is_executable(path)`: `os.access(path, X_OK)`. Async. */
  async isExecutable(path: string): Promise<boolean> {
    try {
      await access(path, constants.X_OK);
      return true;
    } catch (err) {
      if (!isSystemError(err)) throw err;
      return false;
    }
  }

  /** Python's `is_python(path)`: the name ends in `.py` or `.pyw` (any case). */
  isPython(path: string): boolean {
    const ext = posix.extname(path).toLowerCase();
    return ext === ".py" || ext === ".pyw";
  }

  /** The environment for a script (RFC 3875 section 4.1, as Python's `run_cgi` builds it). */
  cgiEnviron(scriptname: string, pathInfo: string, query: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.cgiPassEnv) {
      const v = process.env[name];
      if (v !== undefined && name !== "HTTP_PROXY") env[name] = v;
    }
    const server = this.server as unknown as { serverName?: string; serverPort?: number };
    env.SERVER_SOFTWARE = this.versionString();
    env.SERVER_NAME = String(server.serverName ?? "");
    env.GATEWAY_INTERFACE = "CGI/1.1";
    env.SERVER_PROTOCOL = this.protocolVersion;
    env.SERVER_PORT = String(server.serverPort ?? "");
    env.REQUEST_METHOD = this.command ?? "";
    const uqrest = unquote(pathInfo);
    env.PATH_INFO = uqrest;
    env.PATH_TRANSLATED = this.translatePath(uqrest);
    env.SCRIPT_NAME = scriptname;
    env.QUERY_STRING = query;
    const addr = this.clientAddress;
    env.REMOTE_ADDR = Array.isArray(addr) ? String(addr[0]) : "";
    const authorization = this.headers.get("authorization");
    if (authorization) {
      const words = authorization.split(/\s+/).filter(Boolean);
      if (words.length === 2) {
        env.AUTH_TYPE = words[0]!;
        if (words[0]!.toLowerCase() === "basic" && /^[A-Za-z0-9+/=\s]*$/.test(words[1]!)) {
          const decoded = Buffer.from(words[1]!, "base64");
          if (decoded.every((b) => b < 0x80)) {
            const user = decoded.toString("ascii").split(":");
            if (user.length === 2) env.REMOTE_USER = user[0]!;
          }
        }
      }
    }
    env.CONTENT_TYPE = this.headers.get("content-type") ?? "text/plain";
    const length = this.headers.get("content-length");
    if (length) env.CONTENT_LENGTH = length;
    const referer = this.headers.get("referer");
    if (referer) env.HTTP_REFERER = referer;
    env.HTTP_ACCEPT = (this.headers.getAll("accept") ?? []).join(",");
    const ua = this.headers.get("user-agent");
    if (ua) env.HTTP_USER_AGENT = ua;
    const cookie = (this.headers.getAll("cookie") ?? []).filter(Boolean).join(", ");
    if (cookie) env.HTTP_COOKIE = cookie;
    // Python sets these in the parent; empty values override inherited ones.
    for (const k of [
      "QUERY_STRING",
      "REMOTE_HOST",
      "CONTENT_LENGTH",
      "HTTP_USER_AGENT",
      "HTTP_COOKIE",
      "HTTP_REFERER",
    ]) {
      env[k] ??= "";
    }
    return env;
  }

  /** Finds the script for `cgiInfo` (Python's walk into subdirectories): `[dir, rest]` after the walk. */
  async #locate(): Promise<[string, string]> {
    let [dir, rest] = this.cgiInfo!;
    const path = `${dir}/${rest}`;
    let i = path.indexOf("/", dir.length + 1);
    while (i >= 0) {
      const nextdir = path.slice(0, i);
      const isDir = await stat(this.translatePath(nextdir)).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) break;
      dir = nextdir;
      rest = path.slice(i + 1);
      i = path.indexOf("/", dir.length + 1);
    }
    return [dir, rest];
  }

  /**
   * Python's `run_cgi()`: finds the script (404 when missing, 403 when not a
   * plain executable file), runs it with the CGI environment, the request
   * body on stdin, and sends its output back (see the class notes).
   */
  async runCgi(): Promise<void> {
    this.closeConnection = true;
    const [dir, afterDir] = await this.#locate();
    const q = afterDir.indexOf("?");
    let rest = q >= 0 ? afterDir.slice(0, q) : afterDir;
    const query = q >= 0 ? afterDir.slice(q + 1) : "";
    const slash = rest.indexOf("/");
    const script = slash >= 0 ? rest.slice(0, slash) : rest;
    rest = slash >= 0 ? rest.slice(slash) : "";
    const scriptname = `${dir}/${script}`;
    const scriptfile = this.translatePath(scriptname);
    const info = await stat(scriptfile).catch(() => null);
    if (info === null || !(await this.#inside(scriptfile))) {
      await this.sendError(404, `No such CGI script (${pyRepr(scriptname)})`);
      return;
    }
    if (!info.isFile()) {
      await this.sendError(403, `CGI script is not a plain file (${pyRepr(scriptname)})`);
      return;
    }
    const windows = process.platform === "win32";
    const ispy = this.isPython(scriptname);
    if ((!windows || !ispy) && !(await this.isExecutable(scriptfile))) {
      await this.sendError(403, `CGI script is not executable (${pyRepr(scriptname)})`);
      return;
    }
    if (this.framing.kind === "chunked") {
      await this.sendError(411, "Length Required", "CGI scripts need a request body with a Content-Length.");
      return;
    }
    const env = this.cgiEnviron(scriptname, rest, query);
    const decodedQuery = query.replaceAll("+", " ");
    const args = decodedQuery.includes("=") ? [] : [decodedQuery];
    const command = windows && ispy ? "python" : scriptfile;
    const argv = windows && ispy ? ["-u", scriptfile, ...args] : args;
    const ids = typeof process.getuid === "function" && process.getuid() === 0 ? nobodyIds() : null;
    const child = spawn(command, argv, {
      env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: !windows, // its own process group, so a timeout kills what it started too
      argv0: script,
      ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
    });
    await this.#serveChild(child, ids);
  }

  /** True when `file` may be run: the static server's containment check (`servablePath`). */
  async #inside(file: string): Promise<boolean> {
    return (await servablePath(file, this.directory, this.followSymlinks)) !== undefined;
  }

  /**
   * Feeds the script, reads its head and body, enforces the timeout, logs how it ended.
   * `ids`: the user the script runs as (nobody, when the server runs as root), named in the log when it cannot start.
   */
  async #serveChild(child: ChildProcess, ids: { uid: number; gid: number } | null): Promise<void> {
    let timedOut = false;
    let spawnError: Error | undefined;
    const exited = new Promise<number | string | null>((resolve) => {
      child.once("error", (err) => {
        spawnError = err;
        resolve(null);
      });
      child.once("close", (code, signal) => resolve(code ?? signal));
    });
    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch (err) {
        if (!isSystemError(err)) throw err; // ESRCH: already gone
      }
    };
    const timer =
      this.cgiTimeout === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill();
            child.stdout?.destroy();
          }, this.cgiTimeout * 1000);
    let stderr = "";
    child.stderr!.on("data", (b: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += b.toString("utf8");
    });
    child.stdin!.on("error", () => {}); // EPIPE: the script did not read its input
    const pump = this.#pumpBody(child);
    const out = new BufferedReader(readableSource(child.stdout!));
    try {
      let lines: Buffer[] = [];
      let headError: string | undefined;
      try {
        lines = await readHeaders(out, { maxLineLength: 8192, maxHeaders: 100 });
      } catch (err) {
        headError = `Cannot read CGI script headers: ${(err as Error).message}`;
      }
      const head = headError ?? parseScriptHead(lines);
      if (typeof head === "string") {
        kill();
        if (timedOut) {
          this.logError("CGI script timed out after %s seconds", String(this.cgiTimeout));
          await this.sendError(504, "CGI script timed out");
        } else {
          const as = ids ? ` as nobody (uid ${ids.uid})` : "";
          this.logError("%s", spawnError ? `Cannot run CGI script${as}: ${spawnError.message}` : head);
          await this.sendError(500, "CGI script failed");
        }
        return;
      }
      this.sendResponse(head.code, head.reason);
      for (const [k, v] of head.headers) this.sendHeader(k, v);
      await this.endHeaders();
      let budget = head.contentLength ?? Number.POSITIVE_INFINITY;
      const send = this.command !== "HEAD";
      for (let chunk = await out.read1(CHUNK); chunk.length > 0; chunk = await out.read1(CHUNK)) {
        if (!send || budget <= 0) continue; // drain, so the script is not blocked
        const piece = chunk.length > budget ? chunk.subarray(0, budget) : chunk;
        budget -= piece.length;
        await this.wfile.write(piece);
      }
      await this.wfile.flush();
      if (timedOut) this.logError("CGI script timed out after %s seconds", String(this.cgiTimeout));
    } catch (err) {
      kill();
      throw err;
    } finally {
      const status = await exited;
      if (timer !== undefined) clearTimeout(timer);
      for (const line of stderr.split("\n")) if (line) this.logError("%s", line);
      if (status !== 0 && status !== null) this.logError("CGI script exit code %s", String(status));
      if (!(await Promise.race([pump.then(() => true), delay(1000).then(() => false)]))) {
        // The client still owes body bytes: do not wait for them.
        this.connection.close();
      }
    }
  }

  /** Streams the request body (Content-Length bytes) to the script's stdin; keeps reading if the script stops. */
  async #pumpBody(child: ChildProcess): Promise<void> {
    let remaining = this.framing.kind === "length" ? this.framing.length : 0;
    const stdin = child.stdin!;
    let open = true;
    try {
      while (remaining > 0) {
        const chunk = await this.rfile.read1(Math.min(remaining, CHUNK));
        if (chunk.length === 0) break;
        remaining -= chunk.length;
        if (!open || stdin.destroyed) continue;
        if (!stdin.write(chunk)) {
          open = await new Promise<boolean>((resolve) => {
            const done = (ok: boolean) => {
              stdin.off("drain", onDrain);
              stdin.off("close", onClose);
              resolve(ok);
            };
            const onDrain = () => done(true);
            const onClose = () => done(false);
            stdin.on("drain", onDrain);
            stdin.on("close", onClose);
          });
        }
      }
    } catch (err) {
      // The client went away or timed out (an OSError); the response side notices too.
      if (!isSystemError(err)) throw err;
    } finally {
      stdin.end();
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
