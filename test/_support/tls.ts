/**
 * A throwaway public-key infrastructure for TLS tests, made with the
 * `openssl` command at test time (nothing is checked in, nothing outlives the
 * process): a test CA, certificates it signs for 127.0.0.1/localhost (valid,
 * expired, for the wrong host, for a client), a self-signed certificate, and
 * a certificate from a second CA nobody trusts.
 *
 * ```ts
 * const pki = makePKI();           // cached: one set per test process
 * pki.server.certFile; pki.caFile; // paths, for python3 and for SSLContext
 * pki.server.cert;                 // PEM text, for Node options
 * ```
 *
 * Keys are EC P-256 (fast to make); every certificate lives 2 days except the
 * expired one, whose notAfter is a day before its notBefore.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasCommand } from "./peers.js";

/** True when the `openssl` command runs. */
export const HAS_OPENSSL = hasCommand("openssl", ["version"]);

/** One certificate and its key, as files and as PEM text. */
export interface CertPair {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** Everything `makePKI` makes. */
export interface TestPKI {
  /** The directory holding the files (removed when the process exits). */
  dir: string;
  /** The test CA's certificate (trust this). */
  caFile: string;
  ca: string;
  /** Signed by the CA for DNS:localhost, IP:127.0.0.1, IP:::1. */
  server: CertPair;
  /** Like `server`, but expired. */
  expired: CertPair;
  /** Signed by the CA for DNS:wrong.example only. */
  wrongHost: CertPair;
  /** Self-signed, for localhost and 127.0.0.1. */
  selfSigned: CertPair;
  /** Signed by a second CA (not trusted) for localhost and 127.0.0.1. */
  unknownCA: CertPair;
  /** The second CA's certificate. */
  otherCaFile: string;
  /** A client certificate signed by the CA (for mutual TLS). */
  client: CertPair;
}

let cached: TestPKI | undefined;

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const SERVER_NAMES = "DNS:localhost,IP:127.0.0.1,IP:::1";

function makeCA(dir: string, name: string, cn: string): void {
  openssl(dir, [
    "req",
    "-x509",
    ...EC,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.pem`,
    "-days",
    "2",
    "-subj",
    `/CN=${cn}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

function pair(dir: string, name: string): CertPair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, "latin1"), key: readFileSync(keyFile, "latin1") };
}

/** A leaf certificate for `san`, signed by `ca`, valid for `days` (negative: already expired). */
function makeLeaf(dir: string, name: string, ca: string, san: string, days: number, usage: string): CertPair {
  writeFileSync(
    join(dir, `${name}.ext`),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=${usage}\n`,
  );
  openssl(dir, [
    "req",
    "-new",
    ...EC,
    "-keyout",
    `${name}.key`,
    "-subj",
    `/CN=${name}`,
    "-out",
    `${name}.csr`,
  ]);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.pem`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-days",
    String(days),
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.pem`,
  ]);
  return pair(dir, name);
}

/**
 * Makes (once per process) the CA and certificates described in the module
 * notes, in a fresh temporary directory.
 * @throws when `openssl` is missing or fails (check `HAS_OPENSSL` first)
 */
export function makePKI(): TestPKI {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "netkit-pki-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  makeCA(dir, "ca", "netkit test CA");
  makeCA(dir, "otherca", "netkit untrusted CA");
  const server = makeLeaf(dir, "server", "ca", SERVER_NAMES, 2, "serverAuth");
  const expired = makeLeaf(dir, "expired", "ca", SERVER_NAMES, -1, "serverAuth");
  const wrongHost = makeLeaf(dir, "wronghost", "ca", "DNS:wrong.example", 2, "serverAuth");
  const unknownCA = makeLeaf(dir, "unknownca", "otherca", SERVER_NAMES, 2, "serverAuth");
  const client = makeLeaf(dir, "client", "ca", "DNS:client.example", 2, "clientAuth");
  writeFileSync(join(dir, "self.ext"), `subjectAltName=${SERVER_NAMES}\n`);
  openssl(dir, [
    "req",
    "-x509",
    ...EC,
    "-keyout",
    "self.key",
    "-out",
    "self.pem",
    "-days",
    "2",
    "-subj",
    "/CN=localhost",
    "-addext",
    `subjectAltName=${SERVER_NAMES}`,
  ]);
  cached = {
    dir,
    caFile: join(dir, "ca.pem"),
    ca: readFileSync(join(dir, "ca.pem"), "latin1"),
    server,
    expired,
    wrongHost,
    selfSigned: pair(dir, "self"),
    unknownCA,
    otherCaFile: join(dir, "otherca.pem"),
    client,
  };
  return cached;
}
