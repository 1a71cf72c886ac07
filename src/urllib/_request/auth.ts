/**
 * HTTP authentication for urllib.request: the password managers and the
 * Basic and Digest handlers, for servers (401, WWW-Authenticate) and for
 * proxies (407, Proxy-Authenticate), with Python's behaviour.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { urlString } from "../../_args.js";
import { argTypeError, pyRepr, ValueError } from "../../errors/index.js";
import type { HTTPMessage } from "../../textproto/header.js";
import { HTTPError, URLError } from "../error.js";
import { urlparse, urlsplit } from "../parse.js";
import type { addinfourl } from "../response.js";
import { BaseHandler, type HTTPErrorArgs, type MaybeResponse } from "./opener.js";
import type { Request } from "./request.js";
import { splitport } from "./split.js";

/** `[user, password]`, or `[null, null]` when none is known. */
export type Credentials = [user: string | null, password: string | null];

/** A URI reduced to what matching needs: `[authority, path]`. */
type Reduced = [authority: string, path: string];

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/**
 * Python's `urllib.request.HTTPPasswordMgr`: user names and passwords by
 * realm and URI prefix.
 *
 * @example
 * ```ts
 * const mgr = new HTTPPasswordMgrWithDefaultRealm();
 * mgr.addPassword(null, "http://127.0.0.1:8000/private/", "alice", "s3cret");
 * const opener = buildOpener(new HTTPBasicAuthHandler(mgr));
 * ```
 */
/** URIs as `addPassword` takes them: one (a string or a WHATWG `URL`) or a list. */
export type PasswordUris = string | URL | ReadonlyArray<string | URL>;

/** `uri` as a list of strings. @throws TypeError (`ERR_INVALID_ARG_TYPE`) naming `fn` */
function uriList(fn: string, uri: unknown): string[] {
  if (Array.isArray(uri)) return uri.map((u, i) => urlString(fn, `uri[${i}]`, u));
  return [urlString(fn, "uri", uri, "str, URL or a list of them")];
}

/** Python's `urllib.request.HTTPPasswordMgr`: user names and passwords by realm and URI, for the Basic and Digest handlers. */
export class HTTPPasswordMgr {
  /** realm → [URIs given to addPassword, reduced] and their credentials, in the order added. */
  protected readonly passwd = new Map<string | null, Array<[Reduced[], Credentials]>>();

  /**
   * Python's `add_password(realm, uri, user, passwd)`: `uri` is one URI (a
   * string or a WHATWG `URL`) or a list; a request to any URI below one of
   * them gets these credentials.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for an argument of the wrong type
   */
  addPassword(realm: string | null, uri: PasswordUris, user: string, passwd: string): void {
    const uris = uriList("addPassword", uri);
    if (realm !== null && typeof realm !== "string") {
      throw argTypeError("addPassword", "realm", "str or null", realm);
    }
    if (typeof user !== "string") throw argTypeError("addPassword", "user", "str", user);
    if (typeof passwd !== "string") throw argTypeError("addPassword", "passwd", "str", passwd);
    let domains = this.passwd.get(realm);
    if (!domains) this.passwd.set(realm, (domains = []));
    for (const defaultPort of [true, false]) {
      const reduced = uris.map((u) => this.reduceUri(u, defaultPort));
      const key = JSON.stringify(reduced);
      const existing = domains.find(([r]) => JSON.stringify(r) === key);
      if (existing) existing[1] = [user, passwd];
      else domains.push([reduced, [user, passwd]]);
    }
  }

  /** Python's `find_user_password(realm, authuri)`. */
  findUserPassword(realm: string | null, authuri: string): Credentials {
    const domains = this.passwd.get(realm) ?? [];
    for (const defaultPort of [true, false]) {
      const reducedAuthuri = this.reduceUri(authuri, defaultPort);
      for (const [uris, authinfo] of domains) {
        for (const uri of uris) if (this.isSuburi(uri, reducedAuthuri)) return authinfo;
      }
    }
    return [null, null];
  }

  /**
   * Python's `reduce_uri(uri, default_port)`: `[authority, path]`, with the
   * scheme's default port added to the authority when `defaultPort`.
   */
  reduceUri(uri: string, defaultPort = true): Reduced {
    const parts = urlsplit(uri);
    let scheme: string | null;
    let authority: string;
    let path: string;
    if (parts.netloc) {
      scheme = parts.scheme;
      authority = parts.netloc;
      path = parts.path || "/";
    } else {
      scheme = null;
      authority = uri;
      path = "/";
    }
    const [host, port] = splitport(authority);
    if (defaultPort && port === null && scheme !== null) {
      const dport = DEFAULT_PORTS[scheme];
      if (dport !== undefined) authority = `${host}:${dport}`;
    }
    return [authority, path];
  }

  /** Python's `is_suburi(base, test)`: `test` is `base` or below it. */
  isSuburi(base: Reduced, test: Reduced): boolean {
    if (base[0] === test[0] && base[1] === test[1]) return true;
    if (base[0] !== test[0]) return false;
    const prefix = base[1].endsWith("/") ? base[1] : `${base[1]}/`;
    return test[1].startsWith(prefix);
  }
}

/** Python's `HTTPPasswordMgrWithDefaultRealm`: credentials for realm `null` serve any realm. */
export class HTTPPasswordMgrWithDefaultRealm extends HTTPPasswordMgr {
  override findUserPassword(realm: string | null, authuri: string): Credentials {
    const found = super.findUserPassword(realm, authuri);
    return found[0] !== null ? found : super.findUserPassword(null, authuri);
  }
}

/**
 * Python's `HTTPPasswordMgrWithPriorAuth`: also remembers which URIs are
 * known to need the credentials, so Basic auth is sent up front there.
 */
export class HTTPPasswordMgrWithPriorAuth extends HTTPPasswordMgrWithDefaultRealm {
  readonly #authenticated = new Map<string, [Reduced, boolean]>();

  /** Python's `add_password(realm, uri, user, passwd, is_authenticated)`. */
  override addPassword(
    realm: string | null,
    uri: PasswordUris,
    user: string,
    passwd: string,
    isAuthenticated = false,
  ): void {
    this.updateAuthenticated(uri, isAuthenticated);
    if (realm !== null) super.addPassword(null, uri, user, passwd);
    super.addPassword(realm, uri, user, passwd);
  }

  /** Python's `update_authenticated(uri, is_authenticated)`. */
  updateAuthenticated(uri: PasswordUris, isAuthenticated = false): void {
    const uris = uriList("updateAuthenticated", uri);
    for (const defaultPort of [true, false]) {
      for (const u of uris) {
        const reduced = this.reduceUri(u, defaultPort);
        this.#authenticated.set(JSON.stringify(reduced), [reduced, isAuthenticated]);
      }
    }
  }

  /** Python's `is_authenticated(authuri)`: `undefined` when the URI is unknown. */
  isAuthenticated(authuri: string): boolean | undefined {
    for (const defaultPort of [true, false]) {
      const reduced = this.reduceUri(authuri, defaultPort);
      for (const [uri, value] of this.#authenticated.values()) if (this.isSuburi(uri, reduced)) return value;
    }
    return undefined;
  }
}

/** Python's `urllib.request.parse_http_list`: splits a header list at commas outside quotes. */
export function parseHttpList(s: string): string[] {
  const res: string[] = [];
  let part = "";
  let escaped = false;
  let quote = false;
  for (const cur of s) {
    if (escaped) {
      part += cur;
      escaped = false;
    } else if (quote) {
      if (cur === "\\") escaped = true;
      else {
        if (cur === '"') quote = false;
        part += cur;
      }
    } else if (cur === ",") {
      res.push(part);
      part = "";
    } else {
      if (cur === '"') quote = true;
      part += cur;
    }
  }
  if (part) res.push(part);
  return res.map((p) => p.trim());
}

/** Python's `urllib.request.parse_keqv_list`: `['a="b"', "c=d"]` → `{ a: "b", c: "d" }`. */
export function parseKeqvList(list: Iterable<string>): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const element of list) {
    const eq = element.indexOf("=");
    if (eq < 0) throw new ValueError("not enough values to unpack (expected 2, got 1)");
    const key = element.slice(0, eq);
    let value = element.slice(eq + 1);
    if (value === "") throw new ValueError("string index out of range");
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    parsed[key] = value;
  }
  return parsed;
}

/** Python's pattern for the challenges in a WWW-Authenticate header. */
const CHALLENGE = /(?:^|,)[ \t]*([^ \t,]+)[ \t]+realm=(["']?)([^"']*)\2/gi;

/** Python's `_parse_realm`: each `[scheme, realm]` offered, or `[scheme, null]` when none names a realm. */
function* parseRealm(header: string): Generator<[string, string | null]> {
  let found = false;
  for (const match of header.matchAll(CHALLENGE)) {
    found = true;
    yield [match[1]!, match[3]!];
  }
  if (!found) yield [header.trim().split(/\s+/)[0] ?? "", null];
}

/** What the Basic and Digest handlers share: a password manager and the header they answer in. */
abstract class PasswordAuthHandler extends BaseHandler {
  /** Where the credentials come from (`addPassword` adds to it). */
  readonly passwd: HTTPPasswordMgr;
  /** The header the credentials go in. */
  protected abstract readonly authHeader: string;

  /** @param passwordMgr the password manager @default a new HTTPPasswordMgr */
  constructor(passwordMgr: HTTPPasswordMgr = new HTTPPasswordMgr()) {
    super();
    this.passwd = passwordMgr;
  }

  /** Python's `add_password`: adds to the password manager. */
  addPassword(realm: string | null, uri: string | string[], user: string, passwd: string): void {
    this.passwd.addPassword(realm, uri, user, passwd);
  }
}

/**
 * Python's `AbstractBasicAuthHandler`: answers a Basic challenge with the
 * password manager's credentials (once: a second 401 for the same
 * credentials is the server's final answer).
 */
export abstract class AbstractBasicAuthHandler extends PasswordAuthHandler {
  /**
   * Python's `http_error_auth_reqed(authreq, host, req, headers)`: retries
   * with credentials for the first Basic challenge that names a realm.
   * @throws ValueError when only other schemes are offered
   */
  async httpErrorAuthReqed(
    authreq: string,
    host: string,
    req: Request,
    headers: HTTPMessage,
  ): Promise<MaybeResponse> {
    const values = headers.getAll(authreq);
    if (!values?.length) return null;
    let unsupported: string | null = null;
    let lastScheme = "";
    for (const header of values) {
      for (const [scheme, realm] of parseRealm(header)) {
        lastScheme = scheme;
        if (scheme.toLowerCase() !== "basic") {
          unsupported = scheme;
          continue;
        }
        if (realm !== null) return this.retryHttpBasicAuth(host, req, realm);
      }
    }
    if (unsupported !== null) {
      throw new ValueError(
        `AbstractBasicAuthHandler does not support the following scheme: ${pyRepr(lastScheme)}`,
      );
    }
    return null;
  }

  /** Python's `retry_http_basic_auth(host, req, realm)`. */
  async retryHttpBasicAuth(host: string, req: Request, realm: string): Promise<MaybeResponse> {
    const [user, pw] = this.passwd.findUserPassword(realm, host);
    if (pw === null) return null;
    const auth = `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;
    if (req.getHeader(this.authHeader, null) === auth) return null;
    req.addUnredirectedHeader(this.authHeader, auth);
    return this.opener.open(req, {
      timeout: req.timeout ?? null,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  }

  /** Sends Basic credentials up front where a `HTTPPasswordMgrWithPriorAuth` says they are needed. */
  httpRequest(req: Request): Request {
    const mgr = this.passwd;
    if (!(mgr instanceof HTTPPasswordMgrWithPriorAuth) || !mgr.isAuthenticated(req.fullUrl)) return req;
    if (!req.hasHeader("Authorization")) {
      const [user, passwd] = mgr.findUserPassword(null, req.fullUrl);
      const credentials = Buffer.from(`${user ?? "None"}:${passwd ?? "None"}`).toString("base64");
      req.addUnredirectedHeader("Authorization", `Basic ${credentials.trim()}`);
    }
    return req;
  }

  /** Records, for a `HTTPPasswordMgrWithPriorAuth`, whether the credentials worked. */
  httpResponse(req: Request, response: addinfourl): addinfourl {
    const mgr = this.passwd;
    if (mgr instanceof HTTPPasswordMgrWithPriorAuth) {
      const code = response.status ?? 0;
      mgr.updateAuthenticated(req.fullUrl, code >= 200 && code < 300);
    }
    return response;
  }

  /** Same as `httpRequest`. */
  httpsRequest(req: Request): Request {
    return this.httpRequest(req);
  }

  /** Same as `httpResponse`. */
  httpsResponse(req: Request, response: addinfourl): addinfourl {
    return this.httpResponse(req, response);
  }
}

/**
 * Python's `urllib.request.HTTPBasicAuthHandler`: answers a server's 401.
 *
 * @example
 * ```ts
 * const auth = new HTTPBasicAuthHandler();
 * auth.addPassword("private area", "http://127.0.0.1:8000/", "alice", "s3cret");
 * const opener = buildOpener(auth);
 * ```
 */
export class HTTPBasicAuthHandler extends AbstractBasicAuthHandler {
  protected readonly authHeader = "Authorization";

  /** Retries a 401 with credentials for the URL. */
  httpError401(...[req, , , , headers]: HTTPErrorArgs): Promise<MaybeResponse> {
    return this.httpErrorAuthReqed("www-authenticate", req.fullUrl, req, headers);
  }
}

/** Python's `urllib.request.ProxyBasicAuthHandler`: answers a proxy's 407. */
export class ProxyBasicAuthHandler extends AbstractBasicAuthHandler {
  protected readonly authHeader = "Proxy-authorization";

  /** Retries a 407 with credentials for the proxy. */
  httpError407(...[req, , , , headers]: HTTPErrorArgs): Promise<MaybeResponse> {
    return this.httpErrorAuthReqed("proxy-authenticate", req.host ?? "", req, headers);
  }
}

type Hash = (text: string) => string;

/** Digest's hash functions by algorithm name: Python's MD5 and SHA, plus RFC 7616's SHA-256. */
const ALGORITHMS: Record<string, string> = { MD5: "md5", SHA: "sha1", "SHA-256": "sha256" };

/**
 * Python's `AbstractDigestAuthHandler`: answers a Digest challenge (RFC 2617,
 * `qop=auth` or none; MD5, SHA, and, beyond Python, SHA-256), giving up
 * after 5 tries in one chain.
 *
 * Differs from Python: credentials are hashed as UTF-8 (Python allows only
 * ASCII and fails on anything else).
 */
export abstract class AbstractDigestAuthHandler extends PasswordAuthHandler {
  override handlerOrder = 490;
  /** Tries in the current chain (Python's `retried`). */
  retried = 0;
  /** Requests made with the last nonce (Python's `nonce_count`). */
  nonceCount = 0;
  /** The nonce last answered (Python's `last_nonce`). */
  lastNonce: string | null = null;

  /** Python's `reset_retry_count()`. */
  resetRetryCount(): void {
    this.retried = 0;
  }

  /**
   * Python's `http_error_auth_reqed(auth_header, host, req, headers)`.
   * @throws HTTPError 401 "digest auth failed" past 5 tries; ValueError for a scheme other than Digest or Basic
   */
  async httpErrorAuthReqed(
    authHeader: string,
    _host: string,
    req: Request,
    headers: HTTPMessage,
  ): Promise<MaybeResponse> {
    const authreq = headers.get(authHeader);
    if (this.retried > 5) throw new HTTPError(req.fullUrl, 401, "digest auth failed", headers, null);
    this.retried += 1;
    if (!authreq) return null;
    const scheme = authreq.trim().split(/\s+/)[0] ?? "";
    if (scheme.toLowerCase() === "digest") return this.retryHttpDigestAuth(req, authreq);
    if (scheme.toLowerCase() !== "basic") {
      throw new ValueError(`AbstractDigestAuthHandler does not support the following scheme: '${scheme}'`);
    }
    return null;
  }

  /** Python's `retry_http_digest_auth(req, auth)`. */
  async retryHttpDigestAuth(req: Request, auth: string): Promise<MaybeResponse> {
    const space = auth.indexOf(" ");
    const challenge = space < 0 ? "" : auth.slice(space + 1);
    const chal = parseKeqvList(parseHttpList(challenge).filter(Boolean));
    const authorization = this.getAuthorization(req, chal);
    if (!authorization) return null;
    const value = `Digest ${authorization}`;
    if (req.headers.get(this.authHeader) === value) return null;
    req.addUnredirectedHeader(this.authHeader, value);
    return this.opener.open(req, {
      timeout: req.timeout ?? null,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  }

  /** Python's `get_cnonce(nonce)`: 16 hex digits, random. */
  getCnonce(nonce: string): string {
    const seed = Buffer.concat([
      Buffer.from(`${this.nonceCount}:${nonce}:${new Date().toString()}:`),
      randomBytes(8),
    ]);
    return createHash("sha1").update(seed).digest("hex").slice(0, 16);
  }

  /**
   * Python's `get_authorization(req, chal)`: the Authorization value's
   * parameters, or null without a realm and nonce or without credentials.
   * @throws ValueError for an unknown algorithm; URLError for a qop other than "auth"
   */
  getAuthorization(req: Request, chal: Record<string, string>): string | null {
    const { realm, nonce, qop, opaque } = chal;
    if (realm === undefined || nonce === undefined) return null;
    const algorithm = chal.algorithm ?? "MD5";
    const hashName = ALGORITHMS[algorithm];
    if (!hashName) throw new ValueError(`Unsupported digest authentication algorithm ${pyRepr(algorithm)}`);
    const H: Hash = (text) => createHash(hashName).update(text, "utf8").digest("hex");
    const KD = (secret: string, data: string) => H(`${secret}:${data}`);
    const [user, pw] = this.passwd.findUserPassword(realm, req.fullUrl);
    if (user === null) return null;
    const A1 = `${user}:${realm}:${pw}`;
    const A2 = `${req.getMethod()}:${req.selector}`;
    let respdig: string;
    let ncvalue = "";
    let cnonce = "";
    if (qop === undefined) respdig = KD(H(A1), `${nonce}:${H(A2)}`);
    else if (qop.split(",").includes("auth")) {
      if (nonce === this.lastNonce) this.nonceCount += 1;
      else {
        this.nonceCount = 1;
        this.lastNonce = nonce;
      }
      ncvalue = this.nonceCount.toString(16).padStart(8, "0");
      cnonce = this.getCnonce(nonce);
      respdig = KD(H(A1), `${nonce}:${ncvalue}:${cnonce}:auth:${H(A2)}`);
    } else throw new URLError(`qop '${qop}' is not supported.`);
    let base = `username="${user}", realm="${realm}", nonce="${nonce}", uri="${req.selector}", response="${respdig}"`;
    if (opaque) base += `, opaque="${opaque}"`;
    base += `, algorithm="${algorithm}"`;
    if (qop) base += `, qop=auth, nc=${ncvalue}, cnonce="${cnonce}"`;
    return base;
  }
}

/** Python's `urllib.request.HTTPDigestAuthHandler`: answers a server's 401 with Digest. */
export class HTTPDigestAuthHandler extends AbstractDigestAuthHandler {
  protected readonly authHeader = "Authorization";

  /** Retries a 401 with a Digest answer. */
  async httpError401(...[req, , , , headers]: HTTPErrorArgs): Promise<MaybeResponse> {
    const host = urlparse(req.fullUrl).netloc;
    try {
      return await this.httpErrorAuthReqed("www-authenticate", host, req, headers);
    } finally {
      this.resetRetryCount();
    }
  }
}

/** Python's `urllib.request.ProxyDigestAuthHandler`: answers a proxy's 407 with Digest. */
export class ProxyDigestAuthHandler extends AbstractDigestAuthHandler {
  protected readonly authHeader = "Proxy-Authorization";

  /** Retries a 407 with a Digest answer. */
  async httpError407(...[req, , , , headers]: HTTPErrorArgs): Promise<MaybeResponse> {
    try {
      return await this.httpErrorAuthReqed("proxy-authenticate", req.host ?? "", req, headers);
    } finally {
      this.resetRetryCount();
    }
  }
}
