/**
 * TLS for netkit sockets: Python's `ssl` module (`SSLContext`,
 * `SSLContext.wrapSocket`, `SSLSocket`, the `SSLError` family), over
 * node:tls. `netkit/ssl` re-exports all of it; protocol modules
 * (`netkit/http/client`, ...) reach TLS only through here, never node:tls.
 *
 * ```text
 *   SSLContext(PROTOCOL_TLS_CLIENT)  ── loadVerifyLocations / loadCertChain / setAlpnProtocols
 *        │
 *        │ await ctx.wrapSocket(sock, { serverHostname })     (handshake happens here)
 *        ▼
 *   SSLSocket  (a Socket: recv / sendall / makefile / settimeout work unchanged)
 * ```
 *
 * How the bytes flow: a socket nothing has been read from yet gives its Node
 * socket up (`detach`) and TLS runs on it directly; a socket that has been
 * read from (an HTTP CONNECT tunnel) is driven through an adapter that calls
 * its `recv`/`sendall`, so TLS can start mid-stream.
 *
 * Python's rules kept: a client context verifies the peer's certificate
 * chain and host name by default (`PROTOCOL_TLS_CLIENT`, `createDefaultContext`);
 * `checkHostname` can only be on while `verifyMode` is not `CERT_NONE`; names
 * are matched against subjectAltName only (never the subject's CN); no SNI for
 * IP addresses. Errors carry Python's classes, `errno`, `library`, `reason`,
 * `verifyCode` and `verifyMessage`, and Python's text without the
 * `(_ssl.c:NNNN)` suffix.
 *
 * A server that asks for client certificates learns whether one verified
 * through Node's internals (`tlsVerifyError` in `_node_internals.ts`), or,
 * where they are not available, by running the handshake in a `tls.Server`
 * made for the connection: the same answers, slower.
 *
 * Where it differs, on purpose or because Node decides:
 * - `wrapSocket` is async and always does the handshake (Python's
 *   `do_handshake_on_connect=True`); there is no `pending()`, `unwrap()`
 *   works only on a session started over a socket already read from (see
 *   `SSLSocket.unwrap`), and a listening socket is not wrapped (wrap each
 *   accepted connection).
 *   `shutdown(SHUT_WR)` ends the TLS stream with close_notify (Python's
 *   sends none; its `unwrap()` does).
 * - A client that refuses the server's certificate closes without the TLS
 *   alert OpenSSL sends for Python: the server sees `SSLEOFError` where
 *   Python's would see `TLSV1_ALERT_UNKNOWN_CA` (Node sends no alert).
 * - `getpeercert()` leaves out `crlDistributionPoints` (Node does not expose it).
 * - `loadDefaultCerts` trusts Node's CA store (Mozilla's list, or the
 *   system's under `node --use-openssl-ca`), where Python uses OpenSSL's.
 * - A certificate that is both for the wrong host and expired is reported as
 *   expired (Node checks the chain first); OpenSSL reports the host name. A
 *   client certificate with several faults is reported by its last (Node lets
 *   OpenSSL check on), where Python reports the first.
 * - `SSLCertVerificationError` is not also a `ValueError` (single inheritance).
 *
 * @module
 */
import { X509Certificate } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type * as net from "node:net";
import { isIP } from "node:net";
import { Duplex } from "node:stream";
import * as tls from "node:tls";
import {
  EBADF,
  isSystemError,
  nameErrors,
  OSError,
  TimeoutError,
  ValueError,
  withCode,
} from "../errors/index.js";
import { hasTlsVerifyError, tlsVerifyError } from "./_node_internals.js";
import { SHUT_WR, SOCK_STREAM } from "./constants.js";
import { Socket } from "./socket.js";

// ---- constants ---------------------------------------------------------------

/** Python's `ssl.CERT_NONE`: the peer's certificate is not asked for (server) or not checked (client). */
export const CERT_NONE = 0;
/** Python's `ssl.CERT_OPTIONAL`: a server asks for a client certificate and checks it if sent; a client treats it as `CERT_REQUIRED`. */
export const CERT_OPTIONAL = 1;
/** Python's `ssl.CERT_REQUIRED`: the peer must present a certificate that verifies. */
export const CERT_REQUIRED = 2;
/** Python's `ssl.PROTOCOL_TLS` (deprecated there): a context for either side, verifying nothing by default. */
export const PROTOCOL_TLS = 2;
/** Python's `ssl.PROTOCOL_TLS_CLIENT`: client side, `CERT_REQUIRED` and `checkHostname` on. */
export const PROTOCOL_TLS_CLIENT = 16;
/** Python's `ssl.PROTOCOL_TLS_SERVER`: server side, `CERT_NONE`. */
export const PROTOCOL_TLS_SERVER = 17;
/** Python's `ssl.HAS_SNI`. */
export const HAS_SNI = true;
/** Python's `ssl.HAS_ALPN`. */
export const HAS_ALPN = true;
/** Python's `ssl.OPENSSL_VERSION`: the OpenSSL Node is built with. */
export const OPENSSL_VERSION = `OpenSSL ${process.versions.openssl}`;

/** Python's `ssl.TLSVersion`: the values are Node's protocol names. */
export const TLSVersion = Object.freeze({
  /** The oldest version Node supports. */
  MINIMUM_SUPPORTED: "TLSv1",
  /** TLS 1.0. */
  TLSv1: "TLSv1",
  /** TLS 1.1. */
  TLSv1_1: "TLSv1.1",
  /** TLS 1.2. */
  TLSv1_2: "TLSv1.2",
  /** TLS 1.3. */
  TLSv1_3: "TLSv1.3",
  /** The newest version Node supports. */
  MAXIMUM_SUPPORTED: "TLSv1.3",
} as const);
/** One of `TLSVersion`'s values. */
export type TLSVersionName = tls.SecureVersion;

/** Python's `ssl.Purpose`: what a default context is for. */
export const Purpose = Object.freeze({
  /** Verify servers: a client context (OID 1.3.6.1.5.5.7.3.1). */
  SERVER_AUTH: "SERVER_AUTH",
  /** Verify clients: a server context (OID 1.3.6.1.5.5.7.3.2). */
  CLIENT_AUTH: "CLIENT_AUTH",
} as const);
/** `Purpose.SERVER_AUTH` or `Purpose.CLIENT_AUTH`. */
export type PurposeName = (typeof Purpose)[keyof typeof Purpose];

// ---- errors --------------------------------------------------------------------

/** Python's `ssl.SSL_ERROR_SSL`: the `errno` of most SSL errors. */
export const SSL_ERROR_SSL = 1;
/** Python's `ssl.SSL_ERROR_WANT_READ`. */
export const SSL_ERROR_WANT_READ = 2;
/** Python's `ssl.SSL_ERROR_WANT_WRITE`. */
export const SSL_ERROR_WANT_WRITE = 3;
/** Python's `ssl.SSL_ERROR_SYSCALL`. */
export const SSL_ERROR_SYSCALL = 5;
/** Python's `ssl.SSL_ERROR_ZERO_RETURN`. */
export const SSL_ERROR_ZERO_RETURN = 6;
/** Python's `ssl.SSL_ERROR_EOF`: the `errno` of `SSLEOFError`. */
export const SSL_ERROR_EOF = 8;

/**
 * Python's `ssl.SSLError` (an `OSError`): TLS failed. `library` and `reason`
 * are OpenSSL's (`"SSL"`, `"WRONG_VERSION_NUMBER"`); the message reads as
 * Python's `str(err)`: `[SSL: WRONG_VERSION_NUMBER] wrong version number`.
 * `code` is `ERR_SSL_<reason>`.
 */
export class SSLError extends OSError {
  /** The OpenSSL library that failed (`"SSL"`, `"X509"`, `"PEM"`), or null. */
  readonly library: string | null;
  /** OpenSSL's reason code (`"CERTIFICATE_VERIFY_FAILED"`), or null. */
  readonly reason: string | null;

  constructor(
    errno: number,
    message: string,
    detail: { library?: string | null; reason?: string | null; cause?: unknown } = {},
  ) {
    super(errno, message, undefined, { cause: detail.cause });
    this.message = message; // Python's SSLError str() is the message alone
    this.library = detail.library ?? null;
    this.reason = detail.reason ?? null;
    Object.defineProperty(this, "code", { value: `ERR_SSL${this.reason ? `_${this.reason}` : ""}` });
  }
}
/** Python's `ssl.SSLZeroReturnError`: the peer closed the TLS session cleanly. */
export class SSLZeroReturnError extends SSLError {}
/** Python's `ssl.SSLWantReadError` (non-blocking sockets). */
export class SSLWantReadError extends SSLError {}
/** Python's `ssl.SSLWantWriteError` (non-blocking sockets). */
export class SSLWantWriteError extends SSLError {}
/** Python's `ssl.SSLSyscallError`. */
export class SSLSyscallError extends SSLError {}
/** Python's `ssl.SSLEOFError`: the connection ended in the middle of the TLS protocol. */
export class SSLEOFError extends SSLError {}

/**
 * Python's `ssl.SSLCertVerificationError` (also `ssl.CertificateError`): the
 * peer's certificate did not verify. `verifyCode` is OpenSSL's
 * `X509_V_ERR_*` number (10 expired, 18 self-signed, 20 unknown issuer,
 * 62 host name mismatch, 64 IP address mismatch) and `verifyMessage` its text.
 */
export class SSLCertVerificationError extends SSLError {
  /** OpenSSL's verification error number (Python's `verify_code`). */
  readonly verifyCode: number;
  /** OpenSSL's verification error text (Python's `verify_message`). */
  readonly verifyMessage: string;
  constructor(verifyCode: number, verifyMessage: string, options: { cause?: unknown } = {}) {
    super(SSL_ERROR_SSL, `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${verifyMessage}`, {
      library: "SSL",
      reason: "CERTIFICATE_VERIFY_FAILED",
      cause: options.cause,
    });
    this.verifyCode = verifyCode;
    this.verifyMessage = verifyMessage;
  }
}
/** Python's `ssl.CertificateError`, an alias of `SSLCertVerificationError`. */
export const CertificateError = SSLCertVerificationError;

/**
 * OpenSSL 3's `X509_V_ERR_*` numbers and texts (`X509_verify_cert_error_string`),
 * by the names Node uses as error codes.
 */
const X509_V_ERR: Record<string, [number, string]> = {
  UNABLE_TO_GET_ISSUER_CERT: [2, "unable to get issuer certificate"],
  UNABLE_TO_GET_CRL: [3, "unable to get certificate CRL"],
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: [4, "unable to decrypt certificate's signature"],
  UNABLE_TO_DECRYPT_CRL_SIGNATURE: [5, "unable to decrypt CRL's signature"],
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: [6, "unable to decode issuer public key"],
  CERT_SIGNATURE_FAILURE: [7, "certificate signature failure"],
  CRL_SIGNATURE_FAILURE: [8, "CRL signature failure"],
  CERT_NOT_YET_VALID: [9, "certificate is not yet valid"],
  CERT_HAS_EXPIRED: [10, "certificate has expired"],
  CRL_NOT_YET_VALID: [11, "CRL is not yet valid"],
  CRL_HAS_EXPIRED: [12, "CRL has expired"],
  ERROR_IN_CERT_NOT_BEFORE_FIELD: [13, "format error in certificate's notBefore field"],
  ERROR_IN_CERT_NOT_AFTER_FIELD: [14, "format error in certificate's notAfter field"],
  ERROR_IN_CRL_LAST_UPDATE_FIELD: [15, "format error in CRL's lastUpdate field"],
  ERROR_IN_CRL_NEXT_UPDATE_FIELD: [16, "format error in CRL's nextUpdate field"],
  OUT_OF_MEM: [17, "out of memory"],
  DEPTH_ZERO_SELF_SIGNED_CERT: [18, "self-signed certificate"],
  SELF_SIGNED_CERT_IN_CHAIN: [19, "self-signed certificate in certificate chain"],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [20, "unable to get local issuer certificate"],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: [21, "unable to verify the first certificate"],
  CERT_CHAIN_TOO_LONG: [22, "certificate chain too long"],
  CERT_REVOKED: [23, "certificate revoked"],
  INVALID_CA: [79, "invalid CA certificate"],
  PATH_LENGTH_EXCEEDED: [25, "path length constraint exceeded"],
  INVALID_PURPOSE: [26, "unsuitable certificate purpose"],
  CERT_UNTRUSTED: [27, "certificate not trusted"],
  CERT_REJECTED: [28, "certificate rejected"],
  HOSTNAME_MISMATCH: [62, "hostname mismatch"],
  EMAIL_MISMATCH: [63, "email address mismatch"],
  IP_ADDRESS_MISMATCH: [64, "IP address mismatch"],
  UNSPECIFIED: [1, "unspecified certificate verification error"],
};
const X509_V_ERR_HOSTNAME_MISMATCH = X509_V_ERR.HOSTNAME_MISMATCH![0];
const X509_V_ERR_IP_ADDRESS_MISMATCH = X509_V_ERR.IP_ADDRESS_MISMATCH![0];

/** Python's library names for OpenSSL's ("SSL routines" → "SSL"). */
function libraryName(library: string | undefined): string | null {
  if (!library) return null;
  const first = library.split(" ")[0] ?? library;
  return first.toUpperCase();
}

/** Python's SSLEOFError for a connection that ended before the handshake did. */
function eofError(cause?: unknown): SSLEOFError {
  return new SSLEOFError(
    SSL_ERROR_EOF,
    "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol",
    {
      library: "SSL",
      reason: "UNEXPECTED_EOF_WHILE_READING",
      cause,
    },
  );
}

/**
 * Python's error for a peer certificate that did not verify, from the name
 * OpenSSL gives the reason (a Node error's `code`, or what
 * `tlsSocket.authorizationError` holds); undefined for a name that is no
 * verification error. The text is OpenSSL 3's, Python's, whatever Node's
 * OpenSSL says.
 */
function verificationError(code: string, cause?: unknown): SSLCertVerificationError | undefined {
  // Node lets OpenSSL go on after "unable to get local issuer certificate" (20)
  // and reports the error that follows from it (21); Python stops at the first.
  const [number, text] =
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
      ? X509_V_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY!
      : (X509_V_ERR[code] ?? []);
  if (number === undefined || text === undefined) return undefined;
  return new SSLCertVerificationError(number, text, { cause });
}

/** `verificationError` for a code known to name a verification failure. */
function verifyFailure(code: string): SSLCertVerificationError {
  return verificationError(code) ?? verificationError("UNSPECIFIED")!;
}

/**
 * Turns an error from node:tls into the class Python raises for it. OSErrors
 * (netkit's own, a timeout) pass through; a reset before the handshake ends
 * is Python's SSLEOFError.
 */
export function toSSLError(err: unknown): Error {
  if (err instanceof OSError) return err;
  const e = err as
    | (Error & { code?: string; reason?: string; library?: string; syscall?: string })
    | undefined;
  const code = e?.code;
  const verification = code === undefined ? undefined : verificationError(code, err);
  if (verification !== undefined) return verification;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return new SSLCertVerificationError(X509_V_ERR_HOSTNAME_MISMATCH, e!.message, { cause: err });
  }
  if (code?.startsWith("ERR_SSL_") || (code?.startsWith("ERR_OSSL_") && e?.reason)) {
    const reason = code.replace(/^ERR_(?:SSL|OSSL)_/, "");
    const text = e?.reason ?? reason.toLowerCase().replace(/_/g, " ");
    const library = libraryName(e?.library) ?? "SSL";
    if (reason === "UNEXPECTED_EOF_WHILE_READING") return eofError(err);
    return new SSLError(SSL_ERROR_SSL, `[${library}: ${reason}] ${text}`, { library, reason, cause: err });
  }
  if (code === "ECONNRESET" && e?.syscall === undefined) {
    // Node's "Client network socket disconnected before secure TLS connection was established".
    return eofError(err);
  }
  const os = OSError.fromNodeError(err);
  if (os instanceof OSError) return os;
  return new SSLError(SSL_ERROR_SSL, e?.message ?? String(err), { cause: err });
}

// ---- certificates --------------------------------------------------------------

/** Python's `ssl.PEM_HEADER`. */
export const PEM_HEADER = "-----BEGIN CERTIFICATE-----";
/** Python's `ssl.PEM_FOOTER`. */
export const PEM_FOOTER = "-----END CERTIFICATE-----";

/** Python's `ssl.DER_cert_to_PEM_cert(der)`: base64 in 64-character lines between the PEM markers. */
export function DERCertToPEMCert(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `${PEM_HEADER}\n${lines.join("\n")}\n${PEM_FOOTER}\n`;
}

/**
 * Python's `ssl.PEM_cert_to_DER_cert(pem)`.
 * @throws ValueError when the text lacks the PEM header or footer
 */
export function PEMCertToDERCert(pem: string): Buffer {
  const text = pem.trim();
  if (!text.startsWith(PEM_HEADER))
    throw new ValueError(`Invalid PEM encoding; must start with ${PEM_HEADER}`);
  if (!text.endsWith(PEM_FOOTER)) throw new ValueError(`Invalid PEM encoding; must end with ${PEM_FOOTER}`);
  return Buffer.from(text.slice(PEM_HEADER.length, -PEM_FOOTER.length), "base64");
}

/** Splits concatenated DER certificates (each an ASN.1 SEQUENCE) apart. */
function splitDER(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    if (data[at] !== 0x30 || at + 2 > data.length)
      throw new SSLError(SSL_ERROR_SSL, "[X509: NOT_ENOUGH_DATA] not enough data", {
        library: "X509",
        reason: "NOT_ENOUGH_DATA",
      });
    let len = data[at + 1]!;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || at + 2 + n > data.length)
        throw new SSLError(SSL_ERROR_SSL, "[X509: NOT_ENOUGH_DATA] not enough data", {
          library: "X509",
          reason: "NOT_ENOUGH_DATA",
        });
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + data[at + 2 + i]!;
      head += n;
    }
    if (at + head + len > data.length)
      throw new SSLError(SSL_ERROR_SSL, "[X509: NOT_ENOUGH_DATA] not enough data", {
        library: "X509",
        reason: "NOT_ENOUGH_DATA",
      });
    out.push(data.subarray(at, at + head + len));
    at += head + len;
  }
  return out;
}

/** Python's long attribute names (`OBJ_nid2ln`) for the short ones Node prints. */
const LONG_NAMES: Record<string, string> = {
  CN: "commonName",
  C: "countryName",
  ST: "stateOrProvinceName",
  L: "localityName",
  O: "organizationName",
  OU: "organizationalUnitName",
  emailAddress: "emailAddress",
  DC: "domainComponent",
  street: "streetAddress",
  serialNumber: "serialNumber",
  title: "title",
  GN: "givenName",
  SN: "surname",
  initials: "initials",
  pseudonym: "pseudonym",
  dnQualifier: "dnQualifier",
  postalCode: "postalCode",
  businessCategory: "businessCategory",
  UID: "userId",
  name: "name",
  description: "description",
};

/** One distinguished name: a list of RDNs, each a list of `[name, value]` (Python's nested tuples). */
export type DistinguishedName = Array<Array<[string, string]>>;

/** Python's `SSLSocket.getpeercert()` dictionary. */
export interface PeerCertificate {
  /** The subject's name, as Python's tuple of RDNs (`[[["commonName", "example.com"]]]`). */
  subject: DistinguishedName;
  /** The issuer's name, in the same form as `subject`. */
  issuer: DistinguishedName;
  /** The X.509 version: always 3, as Python shows for the certificates TLS uses. */
  version: number;
  /** The serial number in upper-case hexadecimal. */
  serialNumber: string;
  /** Valid from, in OpenSSL's text (`"Jan  5 09:34:43 2024 GMT"`). */
  notBefore: string;
  /** Valid until, in OpenSSL's text. */
  notAfter: string;
  /** The subject alternative names: `["DNS", "example.com"]`, `["IP Address", "127.0.0.1"]`. */
  subjectAltName?: Array<[string, string]>;
  /** The OCSP responder URLs, when the certificate names some. */
  OCSP?: string[];
  /** The URLs of the issuer's certificate, when the certificate names some. */
  caIssuers?: string[];
}

function parseDN(text: string): DistinguishedName {
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const eq = line.indexOf("=");
      const key = line.slice(0, eq);
      return [[LONG_NAMES[key] ?? key, line.slice(eq + 1)]];
    });
}

/** Python's `_ssl._decode_certificate` for what Node exposes. */
export function decodeCertificate(cert: X509Certificate): PeerCertificate {
  const out: PeerCertificate = {
    subject: parseDN(cert.subject),
    issuer: parseDN(cert.issuer),
    version: 3,
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: cert.validFrom,
    notAfter: cert.validTo,
  };
  if (cert.subjectAltName) {
    out.subjectAltName = cert.subjectAltName.split(", ").map((entry) => {
      const colon = entry.indexOf(":");
      return [entry.slice(0, colon), entry.slice(colon + 1)] as [string, string];
    });
  }
  if (cert.infoAccess) {
    for (const line of cert.infoAccess.split("\n")) {
      const m = /^(OCSP|CA Issuers) - URI:(.*)$/.exec(line);
      if (!m) continue;
      const key = m[1] === "OCSP" ? "OCSP" : "caIssuers";
      (out[key] ??= []).push(m[2]!);
    }
  }
  return out;
}

/**
 * The host name check Python's OpenSSL does: subjectAltName DNS names for a
 * name (never the subject's CN), IP entries for an address.
 * Returns the error, or undefined when `hostname` matches.
 */
function checkHostname(hostname: string, cert: tls.PeerCertificate): SSLCertVerificationError | undefined {
  const ip = isIP(hostname) !== 0;
  const mismatch = () =>
    ip
      ? new SSLCertVerificationError(
          X509_V_ERR_IP_ADDRESS_MISMATCH,
          `IP address mismatch, certificate is not valid for '${hostname}'.`,
        )
      : new SSLCertVerificationError(
          X509_V_ERR_HOSTNAME_MISMATCH,
          `Hostname mismatch, certificate is not valid for '${hostname}'.`,
        );
  const san = cert.subjectaltname ?? "";
  if (!ip && !/(^|, )DNS:/.test(san)) return mismatch(); // Node would fall back to the CN
  return tls.checkServerIdentity(hostname, cert) ? mismatch() : undefined;
}

// ---- the context -----------------------------------------------------------------

/**
 * Node TLS options an `SSLContext` accepts (`tls.SecureContextOptions`: `ca`,
 * `cert`, `key`, `passphrase`, `pfx`, `ciphers`, `minVersion`, `maxVersion`,
 * `ecdhCurve`, `sigalgs`, ...) plus the connection options a context decides
 * in Python.
 */
export interface SSLContextOptions extends tls.SecureContextOptions {
  /** Python's `verify_mode`. @default CERT_REQUIRED for a client context, CERT_NONE for a server one */
  verifyMode?: number;
  /** Python's `check_hostname`. @default true for a client context */
  checkHostname?: boolean;
  /** Node's switch: `false` is `verifyMode: CERT_NONE` with `checkHostname: false`. @default true */
  rejectUnauthorized?: boolean;
  /** ALPN protocols to offer (client) or accept (server). @default none */
  ALPNProtocols?: string[];
  /** Server only: ask for a client certificate (Node's name for `verifyMode` ≥ `CERT_OPTIONAL`). @default false */
  requestCert?: boolean;
}

/** `loadVerifyLocations`'s arguments (Python's `cafile`, `capath`, `cadata`). */
export interface VerifyLocations {
  /** A PEM file of CA certificates. */
  cafile?: string;
  /** A directory of PEM CA certificate files (every file in it holding a certificate is read). */
  capath?: string;
  /** CA certificates as PEM text or DER bytes (several may be concatenated). */
  cadata?: string | Uint8Array;
}

/** Options for `SSLContext.wrapSocket`, Python's keyword arguments. */
export interface WrapSocketOptions {
  /** Python's `server_side`: do the server's half of the handshake. @default false */
  serverSide?: boolean;
  /**
   * Python's `server_hostname`: the name sent as SNI (unless it is an IP
   * address) and checked against the certificate when `checkHostname` is on.
   * @default none (an error when the context checks host names)
   */
  serverHostname?: string | null;
  /**
   * Check the host name on this socket, overriding the context's
   * `checkHostname` (netkit's; Python's HTTPSConnection changes the context instead).
   * @default the context's `checkHostname`
   */
  checkHostname?: boolean;
  /** Python's `session`: a session (`SSLSocket.session`) to resume. @default none */
  session?: Buffer | null;
  /**
   * Seconds the handshake may take. @default the socket's timeout (`null`: no limit)
   */
  handshakeTimeout?: number | null;
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw OSError.fromNodeError(err, path);
  }
}

/**
 * Python's `ssl.SSLContext`: certificates, keys and verification settings
 * shared by many TLS connections, and `wrapSocket` to start one.
 *
 * @example A client context trusting one private CA
 * ```ts world
 * import { createConnection } from "netkit/socket";
 * const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
 * ctx.loadVerifyLocations({ cafile: "ca.pem" });
 * const raw = await createConnection(["localhost", 8443], { timeout: 10 });
 * const sock = await ctx.wrapSocket(raw, { serverHostname: "localhost" });
 * ```
 * @example A server context
 * ```ts world
 * import type { Socket } from "netkit/socket";
 * declare const listener: Socket; // bound and listening
 * const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
 * ctx.loadCertChain("cert.pem", "key.pem");
 * const [conn] = await listener.accept();
 * const tlsConn = await ctx.wrapSocket(conn, { serverSide: true });
 * ```
 */
export class SSLContext {
  /** Python's `protocol`. */
  readonly protocol: number;
  #verifyMode: number;
  #checkHostname: boolean;
  /** CA certificates loaded with `loadVerifyLocations` (PEM text). */
  #ca: string[] = [];
  #defaultCerts = false;
  #certs: Array<{ cert: string | Buffer; key: string | Buffer; passphrase?: string }> = [];
  #alpn: string[] | undefined;
  #node: tls.SecureContextOptions = {};
  #secureContext: tls.SecureContext | undefined;

  /**
   * @param protocol `PROTOCOL_TLS_CLIENT` (the default here; Python 3.11's
   *   default `PROTOCOL_TLS` is deprecated), `PROTOCOL_TLS_SERVER` or `PROTOCOL_TLS`
   * @param options Node TLS options to start from (see `SSLContextOptions`); `ca`
   *   given here replaces the default CAs, as in Node
   * @throws ValueError for an unknown protocol or contradicting options
   */
  constructor(protocol: number = PROTOCOL_TLS_CLIENT, options: SSLContextOptions = {}) {
    if (protocol !== PROTOCOL_TLS && protocol !== PROTOCOL_TLS_CLIENT && protocol !== PROTOCOL_TLS_SERVER)
      throw new ValueError(`invalid or unsupported protocol version ${protocol}`);
    this.protocol = protocol;
    const client = protocol === PROTOCOL_TLS_CLIENT;
    this.#verifyMode = client ? CERT_REQUIRED : CERT_NONE;
    this.#checkHostname = client;
    const { verifyMode, checkHostname, rejectUnauthorized, ALPNProtocols, requestCert, ca, ...node } =
      options;
    this.#node = node; // cert/key/pfx given here stay Node options
    if (ca !== undefined) this.#ca = (Array.isArray(ca) ? ca : [ca]).map((c) => pemOf(c));
    if (rejectUnauthorized === false) {
      this.#checkHostname = false;
      this.#verifyMode = CERT_NONE;
    }
    if (requestCert !== undefined) this.#verifyMode = requestCert ? CERT_REQUIRED : CERT_NONE;
    if (verifyMode !== undefined) {
      if (checkHostname === false) this.#checkHostname = false;
      this.verifyMode = verifyMode;
    }
    if (checkHostname !== undefined) this.checkHostname = checkHostname;
    if (ALPNProtocols) this.setAlpnProtocols(ALPNProtocols);
    // Bad certificates or keys given here fail now, as a loader call would.
    if (ca !== undefined || Object.keys(node).length > 0) this.#invalidate();
  }

  /**
   * Python's `verify_mode`: `CERT_NONE`, `CERT_OPTIONAL` or `CERT_REQUIRED`.
   * @throws ValueError setting `CERT_NONE` while `checkHostname` is on (Python's rule)
   */
  get verifyMode(): number {
    return this.#verifyMode;
  }
  /** Sets the mode; see the getter for the rule. */
  set verifyMode(mode: number) {
    if (mode !== CERT_NONE && mode !== CERT_OPTIONAL && mode !== CERT_REQUIRED)
      throw new ValueError("invalid value for verify_mode");
    if (mode === CERT_NONE && this.#checkHostname)
      throw new ValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.");
    this.#verifyMode = mode;
  }

  /** Python's `check_hostname`; turning it on turns `CERT_NONE` into `CERT_REQUIRED`, as Python does. */
  get checkHostname(): boolean {
    return this.#checkHostname;
  }
  /** Turns host name checking on or off. */
  set checkHostname(value: boolean) {
    if (value && this.#verifyMode === CERT_NONE) this.#verifyMode = CERT_REQUIRED;
    this.#checkHostname = value;
  }

  /** Python's `minimum_version` (`TLSVersion.TLSv1_2`, ...). @default Node's (TLSv1.2) */
  get minimumVersion(): TLSVersionName {
    return this.#node.minVersion ?? (tls.DEFAULT_MIN_VERSION as TLSVersionName);
  }
  /** Sets the lowest TLS version this context negotiates. */
  set minimumVersion(version: TLSVersionName) {
    this.#node.minVersion = version;
    this.#invalidate();
  }

  /** Python's `maximum_version`. @default Node's (TLSv1.3) */
  get maximumVersion(): TLSVersionName {
    return this.#node.maxVersion ?? (tls.DEFAULT_MAX_VERSION as TLSVersionName);
  }
  /** Sets the highest TLS version this context negotiates. */
  set maximumVersion(version: TLSVersionName) {
    this.#node.maxVersion = version;
    this.#invalidate();
  }

  /**
   * Python's `load_cert_chain(certfile, keyfile, password)`: this side's
   * certificate (chain) and private key, from PEM files. Without `keyfile`
   * the key is read from `certfile`.
   * @throws FileNotFoundError, SSLError for a key that does not match or cannot be read
   */
  loadCertChain(certfile: string, keyfile?: string | null, password?: string | null): void {
    const cert = readFile(certfile);
    const key = keyfile ? readFile(keyfile) : cert;
    this.#certs.push({ cert, key, ...(password ? { passphrase: password } : {}) });
    try {
      this.#invalidate();
    } catch (err) {
      this.#certs.pop();
      throw err;
    }
  }

  /**
   * Python's `load_verify_locations(cafile, capath, cadata)`: adds CA
   * certificates to trust. A string argument is `cafile`.
   * @throws TypeError when nothing is given; FileNotFoundError; SSLError for data with no certificate
   */
  loadVerifyLocations(locations: VerifyLocations | string): void {
    const { cafile, capath, cadata } = typeof locations === "string" ? { cafile: locations } : locations;
    if (cafile === undefined && capath === undefined && cadata === undefined)
      throw withCode(new TypeError("cafile, capath and cadata cannot be all omitted"), "ERR_MISSING_ARGS");
    const added: string[] = [];
    if (cafile !== undefined) added.push(...pemCertificates(readFile(cafile).toString("latin1"), cafile));
    if (capath !== undefined) {
      let names: string[];
      try {
        names = readdirSync(capath);
      } catch (err) {
        throw OSError.fromNodeError(err, capath);
      }
      for (const name of names.sort()) {
        let text: string;
        try {
          text = readFileSync(`${capath}/${name}`, "latin1");
        } catch (err) {
          if (!isSystemError(err)) throw err;
          continue; // sub-directories and unreadable entries are skipped, as OpenSSL's lookup does
        }
        if (text.includes(PEM_HEADER)) added.push(...pemCertificates(text, name));
      }
    }
    if (cadata !== undefined) {
      if (typeof cadata === "string") added.push(...pemCertificates(cadata, "cadata"));
      else for (const der of splitDER(Buffer.from(cadata))) added.push(new X509Certificate(der).toString());
    }
    this.#ca.push(...added);
    this.#invalidate();
  }

  /**
   * Python's `load_default_certs(purpose)`: trusts the default CAs (Node's
   * store; see the module notes).
   */
  loadDefaultCerts(_purpose: PurposeName = Purpose.SERVER_AUTH): void {
    this.#defaultCerts = true;
    this.#secureContext = undefined; // made on first use: nothing here can fail
  }

  /** Python's `set_default_verify_paths()`: the same as `loadDefaultCerts` here. */
  setDefaultVerifyPaths(): void {
    this.loadDefaultCerts();
  }

  /**
   * Python's `set_ciphers(ciphers)`: OpenSSL's cipher list for TLS 1.2 and below.
   * @throws SSLError "No cipher can be selected." when the list selects none
   */
  setCiphers(ciphers: string): void {
    const before = this.#node.ciphers;
    this.#node.ciphers = ciphers;
    try {
      this.#invalidate();
    } catch (err) {
      if (before === undefined) delete this.#node.ciphers;
      else this.#node.ciphers = before;
      throw new SSLError(SSL_ERROR_SSL, "('No cipher can be selected.',)", { cause: err });
    }
  }

  /** Python's `set_alpn_protocols(protocols)`. */
  setAlpnProtocols(protocols: string[]): void {
    for (const p of protocols) {
      if (p.length === 0 || Buffer.byteLength(p) > 255) throw new ValueError(`ALPN protocol ${p} is invalid`);
    }
    this.#alpn = [...protocols];
  }

  /** Python's `get_ca_certs(binary_form)`: the CA certificates loaded (not the defaults, as in Python before first use). */
  getCaCerts(binaryForm = false): Array<PeerCertificate | Buffer> {
    return this.#ca.map((pem) => {
      const cert = new X509Certificate(pem);
      return binaryForm ? cert.raw : decodeCertificate(cert);
    });
  }

  /** Python's `cert_store_stats()`: counts of the loaded CA certificates. */
  certStoreStats(): { x509: number; crl: number; x509_ca: number } {
    const certs = this.#ca.map((pem) => new X509Certificate(pem));
    return { x509: certs.length, crl: 0, x509_ca: certs.filter((c) => c.ca).length };
  }

  /** The Node options the secure context is made of. */
  #contextOptions(): tls.SecureContextOptions {
    const options: tls.SecureContextOptions = { ...this.#node };
    if (this.#ca.length > 0 || !this.#defaultCerts) {
      // Python trusts nothing until told to; Node trusts its store unless `ca` is set.
      options.ca = this.#defaultCerts ? [...tls.rootCertificates, ...this.#ca] : [...this.#ca];
    }
    if (this.#certs.length > 0) {
      const certs = [...this.#certs];
      if (options.cert !== undefined)
        certs.unshift({ cert: options.cert as string, key: options.key as string });
      options.cert = certs.map((c) => c.cert);
      options.key = certs.map((c) => ({ pem: c.key, ...(c.passphrase ? { passphrase: c.passphrase } : {}) }));
    }
    return options;
  }

  #invalidate(): void {
    this.#secureContext = undefined;
    try {
      this.#secureContext = tls.createSecureContext(this.#contextOptions());
    } catch (err) {
      throw toSSLError(err);
    }
  }

  /**
   * The Node `SecureContext` this context stands for (for code that talks to node:tls itself).
   * @throws SSLError when the certificates or keys cannot be used
   */
  get secureContext(): tls.SecureContext {
    if (!this.#secureContext) this.#invalidate();
    return this.#secureContext!;
  }

  /** ALPN protocols set with `setAlpnProtocols`. */
  get alpnProtocols(): readonly string[] | undefined {
    return this.#alpn;
  }

  /**
   * Python's `wrap_socket(sock, server_side, server_hostname, session)`:
   * does the TLS handshake over the connected stream socket `sock` and
   * resolves with the `SSLSocket` to use from now on. `sock` is taken over:
   * do not use it afterwards.
   * @throws ValueError for a missing `serverHostname` while checking host names, or a side the context is not for;
   *   SSLCertVerificationError, SSLError, SSLEOFError, TimeoutError from the handshake
   */
  async wrapSocket(sock: Socket, options: WrapSocketOptions = {}): Promise<SSLSocket> {
    const serverSide = options.serverSide ?? false;
    const hostname = options.serverHostname ?? null;
    if (serverSide && this.protocol === PROTOCOL_TLS_CLIENT)
      throw new ValueError("Cannot create a server socket with a PROTOCOL_TLS_CLIENT context");
    if (!serverSide && this.protocol === PROTOCOL_TLS_SERVER)
      throw new ValueError("Cannot create a client socket with a PROTOCOL_TLS_SERVER context");
    if (serverSide && hostname) throw new ValueError("server_hostname can only be specified in client mode");
    const check = options.checkHostname ?? this.#checkHostname;
    if (check && this.#verifyMode === CERT_NONE)
      throw new ValueError("check_hostname needs a SSL context with either CERT_OPTIONAL or CERT_REQUIRED");
    if (!serverSide && check && !hostname) throw new ValueError("check_hostname requires server_hostname");
    if (hostname !== null && (hostname.startsWith(".") || hostname.includes("\0")))
      throw new ValueError("server_hostname cannot be an empty string or start with a leading dot.");
    if (sock.type !== SOCK_STREAM) throw new ValueError("only stream sockets are supported");
    const secureContext = this.secureContext; // before the socket is taken over: this may throw
    const timeout = options.handshakeTimeout !== undefined ? options.handshakeTimeout : sock.gettimeout();
    const sockTimeout = sock.gettimeout();
    const family = sock.family;
    let transport: net.Socket | Duplex;
    let raw: Socket | null = null;
    let duplex: SocketDuplex | null = null;
    try {
      transport = sock.detach();
    } catch (err) {
      if (err instanceof OSError) throw err;
      // Already read from (a CONNECT tunnel): run TLS through its recv/sendall.
      raw = sock;
      raw.settimeout(null); // the SSLSocket's own timeout governs from here
      duplex = new SocketDuplex(raw);
      transport = duplex;
    }
    const verify = this.#verifyMode !== CERT_NONE;
    const alpn = this.#alpn ? { ALPNProtocols: this.#alpn } : {};
    const info: SSLSocketInfo = {
      context: this,
      serverSide,
      serverHostname: hostname,
      raw,
      duplex,
      verified: verify,
    };
    return new Promise<SSLSocket>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const end: HandshakeEnd = {
        secure: (tlsSocket) => {
          clearTimeout(timer);
          // Once TLS has ended (the peer's close_notify), the duplex takes no more bytes from the socket.
          if (duplex) tlsSocket.once("end", () => duplex.stop());
          // Built inside the event, so nothing the socket emits next is missed.
          const ssl = SSLSocket._create(tlsSocket, family, info);
          ssl.settimeout(sockTimeout);
          resolve(ssl);
        },
        failed: (err) => {
          clearTimeout(timer);
          raw?.close();
          reject(err);
        },
      };
      let abort: (err: Error) => void;
      if (serverSide && verify && !hasTlsVerifyError()) {
        const serverOptions: tls.TlsOptions = {
          ...this.#contextOptions(),
          // A tls.Server prefers its own cipher order unless told; the secure context here does not.
          honorCipherOrder: this.#node.honorCipherOrder ?? false,
          ...alpn,
        };
        abort = handshakeInServer(transport, serverOptions, this.#verifyMode, end);
      } else {
        const tlsSocket = serverSide
          ? new tls.TLSSocket(transport as net.Socket, {
              isServer: true,
              secureContext,
              requestCert: verify,
              rejectUnauthorized: this.#verifyMode === CERT_REQUIRED,
              ...alpn,
            })
          : tls.connect({
              socket: transport,
              secureContext,
              rejectUnauthorized: verify,
              ...(hostname && isIP(hostname) === 0 ? { servername: hostname } : {}),
              checkServerIdentity: (_host: string, cert: tls.PeerCertificate) =>
                check && hostname ? checkHostname(hostname, cert) : undefined,
              ...(options.session ? { session: options.session } : {}),
              ...alpn,
            });
        abort = watchHandshake(
          tlsSocket,
          serverSide,
          serverSide && verify ? this.#verifyMode : CERT_NONE,
          end,
        );
      }
      if (timeout !== null) {
        timer = setTimeout(
          () => abort(new TimeoutError(undefined, "The handshake operation timed out")),
          timeout * 1000,
        );
      }
    });
  }
}

const peerCertificates = new WeakMap<tls.TLSSocket, X509Certificate | null>();

/**
 * The peer's certificate, or null when it sent none. Kept: Node gives it
 * once (`getPeerX509Certificate()` returns undefined from the second call
 * on, in Node 20 and 24), and Python's `getpeercert()` may be asked often.
 */
function peerCertificate(tlsSocket: tls.TLSSocket): X509Certificate | null {
  let cert = peerCertificates.get(tlsSocket);
  if (cert === undefined) {
    cert = tlsSocket.getPeerX509Certificate() ?? null;
    peerCertificates.set(tlsSocket, cert);
  }
  return cert;
}

/** How a handshake ends: with the TLS socket, or Python's error for why it failed. */
interface HandshakeEnd {
  secure(tlsSocket: tls.TLSSocket): void;
  failed(err: Error): void;
}

/**
 * Whether a server that asked for the client's certificate (`verifyMode`)
 * refuses the client: always when the certificate did not verify under
 * CERT_REQUIRED; under CERT_OPTIONAL only when one was sent and did not
 * verify (no certificate is fine), as OpenSSL decides for Python.
 */
function refusesClient(verifyMode: number, failed: boolean, tlsSocket: tls.TLSSocket): boolean {
  if (!failed) return false;
  return verifyMode === CERT_REQUIRED || peerCertificate(tlsSocket) !== null;
}

/**
 * Watches the handshake of `tlsSocket` until it ends (see `HandshakeEnd`);
 * returns the function that aborts it with an error (and closes the connection).
 * A server that asks for the client's certificate (`clientVerifyMode` not
 * CERT_NONE) checks it once the handshake is done, as a tls.Server would.
 */
function watchHandshake(
  tlsSocket: tls.TLSSocket,
  serverSide: boolean,
  clientVerifyMode: number,
  end: HandshakeEnd,
): (err: Error) => void {
  const secureEvent = serverSide ? "secure" : "secureConnect";
  const stop = () => {
    tlsSocket.off("error", fail);
    tlsSocket.off("end", onClose);
    tlsSocket.off("close", onClose);
    tlsSocket.off(secureEvent, onSecure);
  };
  const fail = (err: unknown) => {
    stop();
    tlsSocket.on("error", () => {}); // late errors of a dead handshake
    tlsSocket.destroy();
    end.failed(toSSLError(err));
  };
  // The end of the stream before the handshake's: a socket that allows half-open
  // connections (netkit's all do) emits 'end' and waits, so 'close' alone would never come.
  const onClose = () => fail(eofError());
  const onSecure = () => {
    if (clientVerifyMode !== CERT_NONE) {
      const verifyError = tlsVerifyError(tlsSocket);
      if (refusesClient(clientVerifyMode, verifyError !== null, tlsSocket)) {
        fail(verifyError);
        return;
      }
    }
    stop();
    end.secure(tlsSocket);
  };
  tlsSocket.on("error", fail);
  tlsSocket.on("end", onClose);
  tlsSocket.on("close", onClose);
  tlsSocket.on(secureEvent, onSecure);
  return fail;
}

/** The longest timer Node keeps (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The server's half of a handshake that asks for the client's certificate,
 * where Node's internals cannot tell whether it verified (see
 * `tlsVerifyError`): it runs in a `tls.Server` made for this connection,
 * given the connection as its documented `server.emit("connection",
 * duplex)` allows; the server reports the outcome as the socket's
 * `authorized` and `authorizationError`. The same handshake and errors as
 * `watchHandshake`, at the cost of a secure context per connection.
 * Returns the function that aborts it with an error.
 */
function handshakeInServer(
  transport: net.Socket | Duplex,
  options: tls.TlsOptions,
  verifyMode: number,
  end: HandshakeEnd,
): (err: Error) => void {
  const server = new tls.Server({
    ...options,
    requestCert: true,
    rejectUnauthorized: verifyMode === CERT_REQUIRED,
    // The caller's timeout bounds the handshake, not the server's default of 120 s.
    handshakeTimeout: MAX_TIMER_MS,
  });
  let ended = false;
  const finish = (outcome: tls.TLSSocket | Error) => {
    if (ended) return;
    ended = true;
    server.off("secureConnection", onSecure);
    server.off("tlsClientError", onError);
    if (outcome instanceof Error) {
      // The TLS socket is not known before the server reports it: its connection is closed from below.
      transport.destroy();
      end.failed(outcome);
    } else {
      end.secure(outcome);
    }
  };
  // `authorizationError` is OpenSSL's name for why the certificate did not verify (null until then).
  const reason = (tlsSocket: tls.TLSSocket): string | null => {
    const code: unknown = tlsSocket.authorizationError;
    return typeof code === "string" ? code : null;
  };
  const onSecure = (tlsSocket: tls.TLSSocket) => {
    tlsSocket.allowHalfOpen = halfOpen; // see below
    const code = reason(tlsSocket);
    if (refusesClient(verifyMode, code !== null, tlsSocket)) {
      tlsSocket.destroy();
      finish(verifyFailure(code!));
      return;
    }
    finish(tlsSocket);
  };
  const onError = (err: Error, tlsSocket: tls.TLSSocket) => {
    // A certificate that did not verify under CERT_REQUIRED: the server closed the socket, naming why.
    const code = reason(tlsSocket);
    finish(code !== null ? verifyFailure(code) : toSSLError(err));
  };
  server.on("secureConnection", onSecure);
  server.on("tlsClientError", onError);
  // The TLS socket takes `allowHalfOpen` from the connection. Off during the
  // handshake, so a client that ends its stream mid-handshake closes the socket
  // (and the server reports it) instead of leaving it waiting; then as it was.
  const halfOpen = transport.allowHalfOpen;
  transport.allowHalfOpen = false;
  server.emit("connection", transport);
  transport.allowHalfOpen = halfOpen;
  return finish;
}

/** PEM text for a `ca` entry (PEM string or Buffer, or DER Buffer). */
function pemOf(value: string | Buffer): string {
  if (typeof value === "string") return value;
  const text = value.toString("latin1");
  if (text.includes(PEM_HEADER)) return text;
  return splitDER(value)
    .map((der) => new X509Certificate(der).toString())
    .join("");
}

/** The PEM certificate blocks in `text`. */
function pemCertificates(text: string, where: string): string[] {
  const blocks = text.match(
    /-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g,
  );
  if (!blocks)
    throw new SSLError(
      SSL_ERROR_SSL,
      `[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found: ${where}`,
      {
        library: "X509",
        reason: "NO_CERTIFICATE_OR_CRL_FOUND",
      },
    );
  return blocks.map((b) => `${b}\n`);
}

/**
 * Python's `ssl.create_default_context(purpose, cafile, capath, cadata)`:
 * for `Purpose.SERVER_AUTH` (the default) a client context that verifies
 * certificates and host names; for `Purpose.CLIENT_AUTH` a server context.
 * Trusts the given CAs, or else the default ones.
 */
export function createDefaultContext(
  purpose: PurposeName = Purpose.SERVER_AUTH,
  locations: VerifyLocations = {},
): SSLContext {
  const ctx = new SSLContext(purpose === Purpose.SERVER_AUTH ? PROTOCOL_TLS_CLIENT : PROTOCOL_TLS_SERVER);
  if (locations.cafile !== undefined || locations.capath !== undefined || locations.cadata !== undefined)
    ctx.loadVerifyLocations(locations);
  else if (ctx.verifyMode !== CERT_NONE) ctx.loadDefaultCerts(purpose);
  return ctx;
}

/**
 * A shortcut for `new SSLContext(...).wrapSocket(sock, ...)` with a default
 * context for the side asked for (Python's deprecated module-level
 * `ssl.wrap_socket`, with safe defaults: a client verifies).
 */
export function wrapSocket(
  sock: Socket,
  options: WrapSocketOptions & { context?: SSLContext } = {},
): Promise<SSLSocket> {
  const { context, ...rest } = options;
  const ctx = context ?? createDefaultContext(rest.serverSide ? Purpose.CLIENT_AUTH : Purpose.SERVER_AUTH);
  return ctx.wrapSocket(sock, rest);
}

// ---- the socket ------------------------------------------------------------------

let constructing = false;

interface SSLSocketInfo {
  context: SSLContext;
  serverSide: boolean;
  serverHostname: string | null;
  /** The socket under TLS when TLS runs through `SocketDuplex` (it was read from), else null. */
  raw: Socket | null;
  duplex: SocketDuplex | null;
  verified: boolean;
}

/**
 * Python's `ssl.SSLSocket`: a `Socket` whose bytes travel over TLS. Every
 * `Socket` method works (`recv`, `sendall`, `makefile`, `settimeout`, ...);
 * the TLS ones are added. Made only by `SSLContext.wrapSocket`.
 */
export class SSLSocket extends Socket {
  #tls!: tls.TLSSocket;
  #info!: SSLSocketInfo;

  /** @internal Use `SSLContext.wrapSocket`. */
  constructor(family?: number, type?: number, proto?: number) {
    if (!constructing)
      throw withCode(
        new TypeError(
          "SSLSocket does not have a public constructor. Instances are returned by SSLContext.wrapSocket().",
        ),
        "ERR_ILLEGAL_CONSTRUCTOR",
      );
    super(family, type, proto);
  }

  /** @internal */
  static _create(tlsSocket: tls.TLSSocket, family: number, info: SSLSocketInfo): SSLSocket {
    constructing = true;
    let sock: SSLSocket;
    try {
      // Errors are Python's classes, also those the connection meets later.
      sock = SSLSocket.fromNodeSocket(tlsSocket, family, { toError: toSSLError }) as SSLSocket;
    } finally {
      constructing = false;
    }
    sock.#tls = tlsSocket;
    sock.#info = info;
    return sock;
  }

  /** Python's `context`. */
  get context(): SSLContext {
    return this.#info.context;
  }
  /** Python's `server_side`. */
  get serverSide(): boolean {
    return this.#info.serverSide;
  }
  /** Python's `server_hostname`. */
  get serverHostname(): string | null {
    return this.#info.serverHostname;
  }
  /** Python's `session`: the TLS session, to resume with `wrapSocket({ session })`; null if none. */
  get session(): Buffer | null {
    return this.#tls.getSession() ?? null;
  }
  /** Python's `session_reused`. */
  get sessionReused(): boolean {
    return this.#tls.isSessionReused();
  }

  /**
   * Python's `getpeercert(binary_form)`: the peer's certificate as Python's
   * dictionary (`{}` when it was not verified, as Python gives), or its DER
   * bytes with `binaryForm`; null when the peer sent none.
   */
  getpeercert(binaryForm?: false): PeerCertificate | Record<string, never> | null;
  getpeercert(binaryForm: true): Buffer | null;
  getpeercert(binaryForm = false): PeerCertificate | Record<string, never> | Buffer | null {
    const cert = peerCertificate(this.#tls);
    if (!cert) return null;
    if (binaryForm) return cert.raw;
    if (!this.#info.verified) return {};
    return decodeCertificate(cert);
  }

  /** Python's `cipher()`: `[name, protocol, secret bits]`, or null before the handshake. */
  cipher(): [string, string, number] | null {
    const c = this.#tls.getCipher();
    if (!c) return null;
    const aes = /AES[_-]?(\d+)/.exec(c.name);
    const bits = aes
      ? Number(aes[1])
      : /CHACHA20/.test(c.name)
        ? 256
        : /DES-CBC3|3DES/.test(c.name)
          ? 112
          : 0;
    return [c.name, this.version() ?? c.version, bits];
  }

  /** Python's `version()`: `"TLSv1.3"`, `"TLSv1.2"`, ... */
  version(): string | null {
    return this.#tls.getProtocol();
  }

  /** Python's `selected_alpn_protocol()`. */
  selectedAlpnProtocol(): string | null {
    const p = this.#tls.alpnProtocol;
    return typeof p === "string" ? p : null;
  }

  /** Python's `compression()`: always null (TLS compression is off). */
  compression(): null {
    return null;
  }

  /**
   * Python's `get_channel_binding("tls-unique")`: the first Finished message
   * of the handshake; null when not available (TLS 1.3 has none).
   * @throws ValueError for another binding type
   */
  getChannelBinding(cbType = "tls-unique"): Buffer | null {
    if (cbType !== "tls-unique") throw new ValueError(`${cbType} channel binding type not implemented`);
    if (this.version() === "TLSv1.3") return null;
    const resumed = this.#tls.isSessionReused();
    const fromClient = this.#info.serverSide ? resumed : !resumed;
    return (fromClient ? this.#tls.getFinished() : this.#tls.getPeerFinished()) ?? null;
  }

  /**
   * Python's `unwrap()`: the TLS shutdown handshake (close_notify sent, the
   * peer's awaited), then the socket under TLS, to go on in clear text on
   * the same connection (FTP's CCC). Bytes the peer sends after its
   * close_notify stay in that socket, unread. This `SSLSocket` is closed;
   * the socket returned keeps its timeout.
   *
   * Where netkit differs: only a TLS session started over a socket that had
   * already been read from (a protocol that negotiated TLS in clear text
   * first: FTP's AUTH TLS, SMTP's STARTTLS, a CONNECT tunnel) can be
   * unwrapped; one started on a fresh socket runs inside Node's own socket,
   * which cannot give it back.
   * @returns the socket under TLS
   * @throws ValueError with code `ERR_SSL_UNWRAP_UNSUPPORTED` for a TLS
   *   session on a fresh socket (nothing is sent); OSError EBADF when closed;
   *   SSLEOFError when the connection ends without close_notify; TimeoutError
   *   when the peer's close_notify does not come within the socket's timeout;
   *   the SSLError the peer's bytes cause (clear text before close_notify).
   *   On any error the connection is closed.
   */
  async unwrap(): Promise<Socket> {
    if (this.closed) throw new OSError(EBADF);
    const { raw, duplex } = this.#info;
    if (!raw || !duplex)
      throw withCode(
        new ValueError(
          "Cannot unwrap a TLS session started on a fresh socket: Node runs it inside its own socket; wrap a socket that has been read from",
        ),
        "ERR_SSL_UNWRAP_UNSUPPORTED",
      );
    const tlsSocket = this.#tls;
    const timeout = this.gettimeout();
    duplex.keepSocket();
    let timer: NodeJS.Timeout | undefined;
    const cleanups: (() => void)[] = [];
    try {
      const peerClosed = new Promise<void>((resolve, reject) => {
        if (tlsSocket.readableEnded) return resolve();
        const onEnd = () => resolve();
        const onError = (err: Error) => reject(toSSLError(err));
        const onClose = () => reject(eofError());
        tlsSocket.once("end", onEnd);
        tlsSocket.once("error", onError);
        tlsSocket.once("close", onClose);
        cleanups.push(() => {
          tlsSocket.off("end", onEnd);
          tlsSocket.off("error", onError);
          tlsSocket.off("close", onClose);
        });
      });
      const expired = new Promise<never>((_, reject) => {
        if (timeout !== null)
          timer = setTimeout(
            () => reject(new TimeoutError(undefined, "The read operation timed out")),
            timeout * 1000,
          );
      });
      tlsSocket.end(); // our close_notify
      await Promise.race([Promise.all([peerClosed, duplex.finalSent()]), expired]);
      // TLS also ends when the TCP connection does: that is no close_notify.
      if (duplex.sockEnded) throw eofError();
    } catch (err) {
      this.close();
      throw err;
    } finally {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
    }
    duplex.stop();
    this.#info.raw = null;
    this.#info.duplex = null;
    super.close(); // the TLS socket goes; the duplex leaves `raw` open
    raw.settimeout(timeout);
    return raw;
  }

  /** The address, from the TCP socket under TLS when TLS runs through an adapter. */
  override getpeername() {
    if (this.#info.raw && !this.closed) return this.#info.raw.getpeername();
    return super.getpeername();
  }

  override getsockname() {
    if (this.#info.raw && !this.closed) return this.#info.raw.getsockname();
    return super.getsockname();
  }

  override fileno(): number {
    if (this.#info.raw && !this.closed) return this.#info.raw.fileno();
    return super.fileno();
  }

  override close(): void {
    super.close();
    this.#info?.raw?.close();
  }

  /** Python's repr: `<ssl.SSLSocket fd=5, family=2, type=1, proto=0, laddr=..., raddr=...>`. */
  override toString(): string {
    return super.toString().replace("<socket.socket", "<ssl.SSLSocket");
  }
}

/** A TLS record's header: content type (1 byte), version (2), body length (2). */
const RECORD_HEADER = 5;
/** The longest record body TLS allows: 2^14 + 2048 (RFC 5246 §6.2.3; TLS 1.3's 2^14 + 256 is less). */
const MAX_RECORD_BODY = 16384 + 2048;

/**
 * A Node duplex over a netkit `Socket` that has already been read from, so
 * TLS can run on it: each `_write` is one `sendall`; reading passes TLS one
 * whole record at a time, taken from the socket with exact `recv`s (the
 * 5-byte header, then the body), so no byte past the record is ever taken
 * from the socket. That is what lets `SSLSocket.unwrap()` hand the socket
 * back at the peer's close_notify with nothing lost: the bytes after it stay
 * in the socket. Before each new record the duplex lets TLS report an end
 * (a macrotask: Node emits `'end'` on the next tick), and stops reading once
 * it has.
 */
class SocketDuplex extends Duplex {
  readonly #sock: Socket;
  #reading = false;
  /** Set once TLS has ended (the peer's close_notify): no more reads from the socket. */
  #stopped = false;
  /** Set by unwrap(): ending and destroying leave the socket open. */
  #keep = false;
  /** Whether the socket itself ended (TCP FIN) under TLS. */
  #sockEnded = false;
  #finalDone = false;
  #onFinal: (() => void) | null = null;

  constructor(sock: Socket) {
    super({ allowHalfOpen: true });
    this.#sock = sock;
  }

  /** Whether the TCP connection under TLS ended (so a TLS end there was no close_notify). */
  get sockEnded(): boolean {
    return this.#sockEnded;
  }

  /** No more bytes are taken from the socket (TLS ended). */
  stop(): void {
    this.#stopped = true;
  }

  /** From now on, ending or destroying the duplex leaves the socket open (unwrap). */
  keepSocket(): void {
    this.#keep = true;
  }

  /** Resolves once every byte TLS wrote has been sent and TLS ended its side. */
  finalSent(): Promise<void> {
    if (this.#finalDone) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onFinal = resolve;
    });
  }

  override _read(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.#readRecord().then(
      (record) => {
        this.#reading = false;
        if (record !== undefined) this.push(record);
      },
      (err: unknown) => {
        this.#reading = false;
        this.destroy(err as Error);
      },
    );
  }

  /** One record (or, for bytes that are no record, what was read: TLS rejects it); null at the end. */
  async #readRecord(): Promise<Buffer | null | undefined> {
    // Let TLS finish with the record before (a close_notify ends it on the next tick).
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#stopped) return undefined;
    const header = await this.#recvExactly(RECORD_HEADER);
    if (header.length < RECORD_HEADER) return this.#eof(header);
    const length = header.readUInt16BE(3);
    // A content type outside 20..24 or an oversized length is no TLS record: TLS gets the header and fails.
    if (header[0]! < 20 || header[0]! > 24 || length > MAX_RECORD_BODY) return header;
    this.push(header); // TLS takes a record in pieces: no copy to join them
    const body = await this.#recvExactly(length);
    if (body.length < length) return this.#eof(body);
    return body;
  }

  #eof(partial: Buffer): Buffer | null {
    this.#sockEnded = true;
    if (partial.length === 0) return null;
    this.push(partial);
    return null;
  }

  /** `n` bytes from the socket, fewer only at its end. */
  async #recvExactly(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const chunk = await this.#sock.recv(n - got);
      if (chunk.length === 0) break;
      parts.push(chunk);
      got += chunk.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#sock.sendall(chunk).then(
      () => callback(),
      (err: unknown) => callback(err as Error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.#keep) {
      try {
        this.#sock.shutdown(SHUT_WR);
      } catch (err) {
        if (!(err instanceof OSError)) throw err; // already closed: nothing left to end
      }
    }
    this.#finalDone = true;
    this.#onFinal?.();
    callback();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#keep) this.#sock.close();
    this.#finalDone = true;
    this.#onFinal?.();
    callback(err);
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({
  SSLError,
  SSLZeroReturnError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLSyscallError,
  SSLEOFError,
  SSLCertVerificationError,
});
