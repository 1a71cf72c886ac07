/**
 * `ftp:` URLs for urllib.request: Python's `FTPHandler`, `CacheFTPHandler`
 * and the `ftpwrapper` under them, on `netkit/ftplib`.
 *
 * What `urlopen("ftp://user:pass@host:port/dir/file;type=i")` does, as in
 * Python: log in (anonymous without a user), CWD into the directories,
 * TYPE I and RETR the file; when RETR is refused with 550, or the URL ends
 * in `/`, or `;type=d`, list the directory instead (LIST, in ASCII).
 * Headers: Content-type guessed from the URL's extension, Content-length
 * when the server's 150 reply gives the size (`(N bytes)`; pure-ftpd's and
 * pyftpdlib's do not, so there is none then, as in Python).
 *
 * Where netkit differs from Python: every step has a timeout (the
 * request's, else `setdefaulttimeout()`, else 60 seconds); the ftplib
 * safety (PASV host ignored, CR/LF in a path refused) holds here too.
 *
 * @module
 */
import { EOFError } from "../../errors/index.js";
import { error_perm, FTP, FTP_PORT, isFtpError } from "../../ftplib/index.js";
import { guessType } from "../../mimetypes.js";
import { gethostbyname } from "../../socket/names.js";
import type { Socket } from "../../socket/socket.js";
import { getdefaulttimeout } from "../../socket/socket.js";
import { parseHeaderBlock } from "../../textproto/header.js";
import { URLError } from "../error.js";
import { unquote } from "../parse.js";
import { addinfourl, type ResponseBody } from "../response.js";
import { DEFAULT_TIMEOUT } from "./http.js";
import { BaseHandler } from "./opener.js";
import type { Request } from "./request.js";
import { splitpasswd, splitport, splituser } from "./split.js";

/**
 * Python's `urllib.request.ftpwrapper`: one logged-in FTP connection in a
 * directory, handing out one file (or listing) at a time. `persistent`
 * connections stay open after the response is closed (`CacheFTPHandler`).
 */
export class ftpwrapper {
  /** The connection (Python's `ftp`). */
  ftp: FTP = new FTP();
  /** Responses still open. */
  refcount = 0;
  /** Keep the connection after the last response closes. */
  keepalive: boolean;
  /** A transfer's final reply is still to be read. */
  busy = false;

  /**
   * @param user the user ("" for anonymous)
   * @param passwd the password
   * @param host the server's address
   * @param port its port
   * @param dirs the directories to CWD into
   * @param timeout seconds per network step
   * @param persistent keep the connection once responses are closed
   */
  constructor(
    readonly user: string,
    readonly passwd: string,
    readonly host: string,
    readonly port: number,
    readonly dirs: string[],
    readonly timeout: number | null,
    persistent = true,
  ) {
    this.keepalive = persistent;
  }

  /** Python's `init()`: connect, log in, CWD to the directories. */
  async init(): Promise<void> {
    this.busy = false;
    this.ftp.close();
    this.ftp = new FTP({ timeout: this.timeout });
    await this.ftp.connect(this.host, this.port);
    await this.ftp.login(this.user, this.passwd);
    await this.ftp.cwd(this.dirs.join("/"));
  }

  /**
   * Python's `retrfile(file, type)`: the file's data connection (RETR, in
   * `type` I or A), or a listing (LIST) when there is no file, `type` is D,
   * or RETR is refused with 550.
   * @returns the body and the size the 150 reply gave (or null)
   * @throws URLError for a refusal other than 550, or a listing of a directory that is not there
   */
  async retrfile(file: string, type: string): Promise<[ResponseBody, number | null]> {
    await this.endtransfer();
    const isdir = type === "d" || type === "D";
    const cmd = isdir ? "TYPE A" : `TYPE ${type}`;
    try {
      await this.ftp.voidcmd(cmd);
    } catch (err) {
      if (!isFtpError(err)) throw err;
      await this.init();
      await this.ftp.voidcmd(cmd);
    }
    let conn: Socket | null = null;
    let retrlen: number | null = null;
    if (file && !isdir) {
      try {
        [conn, retrlen] = await this.ftp.ntransfercmd(`RETR ${file}`);
      } catch (err) {
        if (!(err instanceof error_perm)) throw err;
        if (err.message.slice(0, 3) !== "550") throw new URLError(`ftp error: ${err.message}`);
      }
    }
    if (!conn) {
      await this.ftp.voidcmd("TYPE A");
      let listCmd = "LIST";
      if (file) {
        const pwd = await this.ftp.pwd();
        try {
          await this.ftp.cwd(file);
        } catch (err) {
          if (err instanceof error_perm) throw new URLError(`ftp error: error_perm('${err.message}')`);
          throw err;
        } finally {
          await this.ftp.cwd(pwd);
        }
        listCmd = `LIST ${file}`;
      }
      [conn, retrlen] = await this.ftp.ntransfercmd(listCmd);
    }
    this.busy = true;
    this.refcount++;
    return [this.#body(conn), retrlen];
  }

  /** The data connection as a response body; closing it ends the transfer (Python's `addclosehook`). */
  #body(conn: Socket): ResponseBody {
    const reader = conn.makefile("rb");
    let closed = false;
    return {
      read: (n) => reader.read(n),
      read1: (n) => reader.read1(n),
      readinto: (b) => reader.readinto(b),
      readline: (limit) => reader.readline(limit),
      close: async () => {
        if (closed) return;
        closed = true;
        reader.close();
        conn.close();
        await this.fileClose();
      },
    };
  }

  /** Python's `endtransfer()`: reads the final reply of the last transfer (errors ignored). */
  async endtransfer(): Promise<void> {
    if (!this.busy) return;
    this.busy = false;
    try {
      await this.ftp.voidresp();
    } catch (err) {
      if (!isFtpError(err)) throw err;
    }
  }

  /** Python's `close()`: no longer kept; closed once no response is open. */
  async close(): Promise<void> {
    this.keepalive = false;
    if (this.refcount <= 0) await this.realClose();
  }

  /** Python's `file_close()`: a response was closed. */
  async fileClose(): Promise<void> {
    await this.endtransfer();
    this.refcount--;
    if (this.refcount <= 0 && !this.keepalive) await this.realClose();
  }

  /** Python's `real_close()`: ends the transfer and closes the connection. */
  async realClose(): Promise<void> {
    await this.endtransfer();
    this.ftp.close();
  }
}

/** Python's `_splitattr`: `"/p;type=a;x"` → `["/p", ["type=a", "x"]]`. */
function splitattr(url: string): [string, string[]] {
  const words = url.split(";");
  return [words[0]!, words.slice(1)];
}

/**
 * Python's `urllib.request.FTPHandler`: opens `ftp:` URLs, one connection
 * per URL (closed with the response).
 *
 * A use (it needs a server, so it is not an `@example` the docs test runs):
 *
 * ```ts
 * await using res = await urlopen("ftp://ftp.example.org/pub/README", { timeout: 30 });
 * console.log((await res.read()).toString());
 * ```
 */
export class FTPHandler extends BaseHandler {
  /**
   * Opens an `ftp:` URL.
   * @throws URLError for a URL without a host, a host that does not resolve,
   *   and every FTP or socket error (the error is its `reason`)
   */
  async ftpOpen(req: Request): Promise<addinfourl> {
    let host = req.host;
    if (!host) throw new URLError("ftp error: no host given");
    const [hostPart, portText] = splitport(host);
    host = hostPart;
    const port = portText === null ? FTP_PORT : Number(portText);
    const [userinfo, hostOnly] = splituser(host);
    let user = "";
    let passwd = "";
    if (userinfo) [user, passwd] = splitpasswd(userinfo).map((x) => x ?? "") as [string, string];
    host = unquote(hostOnly);
    user = unquote(user);
    passwd = unquote(passwd);
    let address: string;
    try {
      address = await gethostbyname(host);
    } catch (err) {
      throw new URLError(err as Error);
    }
    const [path, attrs] = splitattr(req.selector);
    let dirs = path.split("/").map((d) => unquote(d));
    const file = dirs.pop() ?? "";
    if (dirs.length > 0 && !dirs[0]) dirs = dirs.slice(1);
    const timeout = req.timeout === undefined ? (getdefaulttimeout() ?? DEFAULT_TIMEOUT) : req.timeout;
    try {
      const fw = await this.connectFtp(user, passwd, address, port, dirs, timeout);
      let type = file ? "I" : "D";
      for (const attr of attrs) {
        const eq = attr.indexOf("=");
        const name = eq < 0 ? attr : attr.slice(0, eq);
        const value = eq < 0 ? null : attr.slice(eq + 1);
        if (
          name.toLowerCase() === "type" &&
          value !== null &&
          ["a", "A", "i", "I", "d", "D"].includes(value)
        ) {
          type = value.toUpperCase();
        }
      }
      const [fp, retrlen] = await fw.retrfile(file, type);
      let headers = "";
      const [mtype] = guessType(req.fullUrl);
      if (mtype) headers += `Content-type: ${mtype}\n`;
      if (retrlen !== null && retrlen >= 0) headers += `Content-length: ${retrlen}\n`;
      return new addinfourl(fp, parseHeaderBlock(headers), req.fullUrl);
    } catch (err) {
      // A URLError from retrfile is an OSError too, so it is wrapped again, as Python wraps it.
      if (isFtpError(err) || err instanceof EOFError) throw new URLError(err as Error);
      throw err;
    }
  }

  /** Python's `connect_ftp(...)`: a fresh connection, closed with its response. */
  async connectFtp(
    user: string,
    passwd: string,
    host: string,
    port: number,
    dirs: string[],
    timeout: number | null,
  ): Promise<ftpwrapper> {
    const fw = new ftpwrapper(user, passwd, host, port, dirs, timeout, false);
    try {
      await fw.init();
    } catch (err) {
      await fw.close();
      throw err;
    }
    return fw;
  }
}

/**
 * Python's `urllib.request.CacheFTPHandler`: like `FTPHandler`, but keeps
 * connections (per user, host, port, directory and timeout) for `delay`
 * seconds after use, at most `maxConns` of them.
 */
export class CacheFTPHandler extends FTPHandler {
  /** The open connections by key (Python's `cache`). */
  readonly cache = new Map<string, ftpwrapper>();
  /** When each expires, in seconds since the epoch (Python's `timeout`). */
  readonly expires = new Map<string, number>();
  /** The earliest expiry (Python's `soonest`). */
  soonest = 0;
  /** Seconds a connection is kept after use. @default 60 */
  delay = 60;
  /** Most connections kept. @default 16 */
  maxConns = 16;

  /** Python's `setTimeout(t)`: seconds to keep a connection. */
  setTimeout(t: number): void {
    this.delay = t;
  }

  /** Python's `setMaxConns(m)`. */
  setMaxConns(m: number): void {
    this.maxConns = m;
  }

  override async connectFtp(
    user: string,
    passwd: string,
    host: string,
    port: number,
    dirs: string[],
    timeout: number | null,
  ): Promise<ftpwrapper> {
    const key = JSON.stringify([user, host, port, dirs.join("/"), timeout]);
    const now = Date.now() / 1000;
    let fw = this.cache.get(key);
    if (!fw) {
      fw = new ftpwrapper(user, passwd, host, port, dirs, timeout);
      await fw.init();
      this.cache.set(key, fw);
    }
    this.expires.set(key, now + this.delay);
    await this.checkCache();
    return fw;
  }

  /** Python's `check_cache()`: closes expired connections, then the oldest past `maxConns`. */
  async checkCache(): Promise<void> {
    const t = Date.now() / 1000;
    if (this.soonest <= t) {
      for (const [k, v] of [...this.expires]) {
        if (v < t) {
          await this.cache.get(k)?.close();
          this.cache.delete(k);
          this.expires.delete(k);
        }
      }
    }
    this.soonest = Math.min(...this.expires.values());
    if (this.cache.size === this.maxConns) {
      for (const [k, v] of [...this.expires]) {
        if (v === this.soonest) {
          // Python drops it from the cache without closing it; netkit closes it once its responses are closed.
          await this.cache.get(k)?.close();
          this.cache.delete(k);
          this.expires.delete(k);
          break;
        }
      }
      this.soonest = Math.min(...this.expires.values());
    }
  }

  /** Python's `clear_cache()`: closes every kept connection. */
  async clearCache(): Promise<void> {
    for (const fw of this.cache.values()) await fw.close();
    this.cache.clear();
    this.expires.clear();
  }

  /** Closes the kept connections when the opener closes (Python leaves them to the garbage collector). */
  override close(): void {
    void this.clearCache();
    super.close();
  }
}
