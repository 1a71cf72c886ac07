/**
 * Every use netkit makes of Node's private internals, in this one file, each
 * behind a probe and with a fallback on public API only. No other file
 * touches an underscored field of a Node object or an internal symbol
 * (test/socket/node-internals.test.ts greps `src/` for them).
 *
 * The features, what each uses, what it buys, and its fallback:
 * - `sharedReads`: net.Socket's `kBuffer`, `kBufferCb` and `kBufferGen`
 *   symbol-keyed fields and `_handle.useUserBuffer`. An accepted socket
 *   reads as one made by `net.connect({ onread })` does: into a buffer
 *   netkit chooses, with no 64 KiB allocation per read. Fallback: Node's
 *   own reads, a fresh buffer per read delivered as `'data'`.
 * - `repointReads`: `_handle.useUserBuffer`. A read may land straight in a
 *   waiting reader's buffer, because the pending read can be moved elsewhere
 *   when that reader gives up. Fallback: reads land in netkit's buffers and
 *   are copied out.
 * - `fd`: `_handle.fd`, for Python's `fileno()`. Fallback: the descriptor
 *   Node's diagnostic report lists for the socket's TCP handle (tens of
 *   milliseconds a call; -1 for AF_UNIX sockets).
 * - `tlsVerifyError`: the TLS handle's `verifyError()`. A server-side
 *   `tls.TLSSocket` made without a `tls.Server` learns whether the client's
 *   certificate verified. Fallback (in tls.ts): the handshake runs in a
 *   `tls.Server` made for the connection, which tells it as
 *   `authorizationError` (a secure context per connection: slower).
 *
 * The probe runs lazily, once per process, in two halves: the socket half on
 * the first call that needs it (a `net.Socket` with `onread` and one given a
 * TCP handle, no system call made), the TLS half on the first server-side
 * handshake that asks for a client certificate (it loads node:tls).
 * `nodeInternals()` runs both and says which path is active.
 *
 * `NETKIT_NODE_INTERNALS=off` in the environment turns every feature off:
 * CI runs the whole suite once that way, so each fallback stays correct and
 * a Node that moves a key is caught by the probe test, not by a user.
 *
 * @module
 */

import { createRequire } from "node:module";
import * as net from "node:net";
import type * as tls from "node:tls";
import { withCode } from "../errors/index.js";

/** The features above, each true when this Node has the internal and it is not turned off. */
export interface NodeInternalFeatures {
  /** Accepted sockets read through a buffer netkit chooses (see `readAcceptedThrough`). */
  readonly sharedReads: boolean;
  /** A pending read can be moved to another buffer (see `repointReads`). */
  readonly repointReads: boolean;
  /** The OS descriptor of a socket is known (see `socketFd`). */
  readonly fd: boolean;
  /** A server-side TLS socket reports its client certificate's verification (see `tlsVerifyError`). */
  readonly tlsVerifyError: boolean;
}

/** What the probe found, as `nodeInternals()` reports it. */
export interface NodeInternals extends NodeInternalFeatures {
  /** `"fast"`: every feature on; `"fallback"`: none; `"partial"`: some. */
  readonly path: "fast" | "partial" | "fallback";
  /** `NETKIT_NODE_INTERNALS=off` turned every feature off. */
  readonly forcedOff: boolean;
}

/** The environment variable that turns every feature off (value `off`). */
export const NODE_INTERNALS_ENV = "NETKIT_NODE_INTERNALS";

const forcedOff = (): boolean => process.env[NODE_INTERNALS_ENV] === "off";

/** Where a net.Socket keeps its `onread` options: Node's own, unexported symbol keys. */
interface OnreadKeys {
  buffer: symbol;
  callback: symbol;
  generator: symbol;
}

interface SocketProbe {
  onreadKeys: OnreadKeys | null;
  userBuffer: boolean;
  fd: boolean;
}

/** The part of Node's stream handle used here. */
interface StreamHandle {
  useUserBuffer?(buffer: Uint8Array): void;
  fd?: number;
}

/** The handle of a Node socket or server (`null` before connect and after close). */
const handleOf = (object: net.Socket | net.Server): StreamHandle | null | undefined =>
  (object as unknown as { _handle?: StreamHandle | null })._handle;

let socketProbe: SocketProbe | undefined;
let tlsProbe: boolean | undefined;
/** Features a test turned off (see `_disableNodeInternals`). */
let disabled: ReadonlySet<keyof NodeInternalFeatures> = new Set();

/**
 * Finds Node's keys of `onread` state on a socket made with `onread`, and
 * checks they hold what Node's constructor puts there (the generator and
 * callback given, and null on a socket made without `onread`), so a key
 * that kept its name but changed its meaning is not used either.
 */
function findOnreadKeys(): OnreadKeys | null {
  const generator = () => new Uint8Array(1);
  const callback = () => true;
  // Node takes `onread` here too (since 12), though @types/node lists it for net.connect only.
  const probe = new net.Socket({ onread: { buffer: generator, callback } } as net.SocketConstructorOpts);
  const plain = new net.Socket();
  const named = (name: string) => Object.getOwnPropertySymbols(probe).find((key) => key.description === name);
  const keys = { buffer: named("kBuffer"), callback: named("kBufferCb"), generator: named("kBufferGen") };
  const state = probe as unknown as Record<symbol, unknown>;
  const plainState = plain as unknown as Record<symbol, unknown>;
  const valid =
    keys.buffer !== undefined &&
    keys.callback !== undefined &&
    keys.generator !== undefined &&
    state[keys.generator] === generator &&
    state[keys.callback] === callback &&
    Boolean(state[keys.buffer]) &&
    plainState[keys.buffer] === null &&
    plainState[keys.generator] === null;
  probe.destroy();
  plain.destroy();
  return valid ? (keys as OnreadKeys) : null;
}

/**
 * A TCP handle without a descriptor: `connect` makes the socket's handle at
 * once and connects to an IP address a tick later, by which time the
 * socket is destroyed, so no socket is opened.
 */
function probeHandle(): StreamHandle | null | undefined {
  const socket = new net.Socket();
  socket.on("error", () => {});
  socket.connect({ port: 9, host: "127.0.0.1" });
  const handle = handleOf(socket);
  socket.destroy();
  return handle;
}

function probeSockets(): SocketProbe {
  if (forcedOff()) return { onreadKeys: null, userBuffer: false, fd: false };
  const handle = probeHandle();
  return {
    onreadKeys: findOnreadKeys(),
    userBuffer: typeof handle?.useUserBuffer === "function",
    fd: typeof handle?.fd === "number",
  };
}

function sockets(): SocketProbe {
  return (socketProbe ??= probeSockets());
}

/** A server-side TLS socket over an unconnected net.Socket: its handle exists at once. */
function probeTls(): boolean {
  if (forcedOff()) return false;
  // Loaded here, not imported: a program that never uses TLS does not load node:tls for this.
  const nodeTls = createRequire(import.meta.url)("node:tls") as typeof tls;
  const raw = new net.Socket();
  const socket = new nodeTls.TLSSocket(raw, {
    isServer: true,
    secureContext: nodeTls.createSecureContext(),
  });
  socket.on("error", () => {});
  const handle = (socket as unknown as { _handle?: { verifyError?: unknown } | null })._handle;
  const found = typeof handle?.verifyError === "function";
  socket.destroy();
  raw.destroy();
  return found;
}

function features(): NodeInternalFeatures {
  const s = sockets();
  return {
    sharedReads: s.onreadKeys !== null && s.userBuffer && !disabled.has("sharedReads"),
    repointReads: s.userBuffer && !disabled.has("repointReads"),
    fd: s.fd && !disabled.has("fd"),
    tlsVerifyError: (tlsProbe ??= probeTls()) && !disabled.has("tlsVerifyError"),
  };
}

/**
 * Runs the probe (once) and reports which features are on and so which
 * path netkit takes: what the probe test asserts for each Node that CI runs.
 */
export function nodeInternals(): NodeInternals {
  const f = features();
  const on = Object.values(f).filter(Boolean).length;
  return Object.freeze({
    ...f,
    path: on === 4 ? "fast" : on === 0 ? "fallback" : "partial",
    forcedOff: forcedOff(),
  });
}

/**
 * @internal For tests: turns the named features off (none: all back to what
 * the probe found), so a test can run a fallback in a normal run. Turning a
 * feature on that the probe did not find is not possible.
 */
export function _disableNodeInternals(names: ReadonlyArray<keyof NodeInternalFeatures> = []): void {
  disabled = new Set(names);
}

/**
 * The OS file descriptor of a socket or listening server, or -1.
 *
 * Internal used: `_handle.fd` (the libuv handle's descriptor), as Python's
 * `fileno()` needs. Fallback: the descriptor Node's diagnostic report
 * gives for the TCP handle with the same addresses (see `fdFromReport`);
 * tens of milliseconds a call, and -1 for AF_UNIX sockets.
 */
export function socketFd(object: net.Socket | net.Server): number {
  if (!sockets().fd || disabled.has("fd")) return fdFromReport(object);
  const fd = handleOf(object)?.fd;
  return typeof fd === "number" ? fd : -1;
}

/** An endpoint of a libuv handle, as the diagnostic report lists it. */
interface ReportEndpoint {
  ip4?: string;
  ip6?: string;
  port?: number;
}

/** One libuv handle of the diagnostic report. */
interface ReportHandle {
  type?: string;
  fd?: number;
  localEndpoint?: ReportEndpoint | string | null;
  remoteEndpoint?: ReportEndpoint | string | null;
}

/**
 * The descriptor of the one TCP handle whose local and remote addresses
 * are those of `object`, from `process.report.getReport()` (public: it
 * lists every libuv handle with its descriptor and endpoints), made
 * without reverse DNS look-ups. -1 when no single handle matches: an
 * AF_UNIX socket (the report names those by path, which a net.Socket does
 * not tell), a socket not connected, or listeners sharing a port.
 */
function fdFromReport(object: net.Socket | net.Server): number {
  let local: { address: string; port: number } | undefined;
  let remote: { address: string; port: number } | null = null;
  if (object instanceof net.Server) {
    const a = object.address();
    if (a !== null && typeof a === "object") local = { address: a.address, port: a.port };
  } else {
    if (object.localAddress !== undefined && object.localPort !== undefined)
      local = { address: object.localAddress, port: object.localPort };
    if (object.remoteAddress === undefined || object.remotePort === undefined) return -1;
    remote = { address: object.remoteAddress, port: object.remotePort };
  }
  if (local === undefined) return -1;
  const report = process.report as typeof process.report & { excludeNetwork?: boolean };
  const excluded = report.excludeNetwork;
  let handles: ReportHandle[];
  try {
    report.excludeNetwork = true;
    handles = (report.getReport() as { libuv?: ReportHandle[] }).libuv ?? [];
  } finally {
    report.excludeNetwork = excluded ?? false;
  }
  const same = (endpoint: ReportHandle["localEndpoint"], want: typeof remote) =>
    endpoint === null || endpoint === undefined || typeof endpoint === "string"
      ? want === null
      : want !== null && (endpoint.ip4 ?? endpoint.ip6) === want.address && endpoint.port === want.port;
  const found = handles.filter(
    (h) => h.type === "tcp" && same(h.localEndpoint, local) && same(h.remoteEndpoint, remote),
  );
  return found.length === 1 && typeof found[0]!.fd === "number" ? found[0]!.fd : -1;
}

/** `onread` options as `net.connect` takes them, with `buffer` a function. */
export interface OnreadFunctions {
  /** Where the next read lands: asked before the first read and after every one. */
  buffer: () => Uint8Array;
  /** Called with the count of bytes each read wrote into the buffer `buffer` gave last. */
  callback: (bytes: number) => boolean;
}

/**
 * Gives an accepted socket, before it first reads, the reads `onread` gives
 * a socket made by `net.connect` (`net.Server` takes no `onread`). Returns
 * false, changing nothing, when it cannot.
 *
 * Internals used: the socket's `kBuffer`, `kBufferCb` and `kBufferGen`
 * symbol-keyed fields, set as Node's constructor sets them for `onread`,
 * and `_handle.useUserBuffer(first)`, which Node's `initSocketHandle` calls
 * for such a socket. Why: without them every read of a server's connection
 * allocates a fresh 64 KiB buffer, which costs a busy server a large share
 * of its time in page faults and garbage collection. Fallback: the socket
 * keeps Node's own reads and emits `'data'` (the same bytes, more memory
 * traffic).
 */
export function readAcceptedThrough(socket: net.Socket, onread: OnreadFunctions): boolean {
  const keys = sockets().onreadKeys;
  if (keys === null || disabled.has("sharedReads")) return false;
  const state = socket as unknown as Record<symbol, unknown>;
  const handle = handleOf(socket);
  // A socket that already reads through `onread` (or no longer has a handle) stays as it is.
  if (typeof handle?.useUserBuffer !== "function" || state[keys.buffer] !== null) return false;
  const first = onread.buffer();
  state[keys.buffer] = first;
  state[keys.callback] = onread.callback;
  state[keys.generator] = onread.buffer;
  handle.useUserBuffer(first);
  return true;
}

/**
 * True when `repointReads` can move this socket's pending read: only then
 * may a read be set to land in a buffer that belongs to a caller.
 *
 * Internal used: `_handle.useUserBuffer` (see `repointReads`). Fallback:
 * false, so reads land in netkit's own buffers and are copied out.
 */
export function canRepointReads(socket: net.Socket): boolean {
  return (
    sockets().userBuffer &&
    !disabled.has("repointReads") &&
    typeof handleOf(socket)?.useUserBuffer === "function"
  );
}

/**
 * Moves the socket's pending read (of a socket reading through `onread`)
 * to `buffer`: the buffer it was set to land in belongs to a caller again.
 * Call only after `canRepointReads(socket)` said true.
 *
 * Internal used: `_handle.useUserBuffer(buffer)`, which Node itself calls
 * once per socket; Node adds a stream listener each time, so a connection
 * that re-points once reads through the shared buffer from then on.
 */
export function repointReads(socket: net.Socket, buffer: Uint8Array): void {
  handleOf(socket)?.useUserBuffer?.(buffer);
}

/** True when `tlsVerifyError` can answer (see there). */
export function hasTlsVerifyError(): boolean {
  return (tlsProbe ??= probeTls()) && !disabled.has("tlsVerifyError");
}

/**
 * Why the peer's certificate did not verify on a server-side TLS socket
 * made with `new tls.TLSSocket` (not by a `tls.Server`), after its
 * `'secure'` event: Node's error (`code` is OpenSSL's name, as
 * `DEPTH_ZERO_SELF_SIGNED_CERT`), or null when it verified. Call only when
 * `hasTlsVerifyError()` is true.
 *
 * Internal used: `_handle.verifyError()`, what a `tls.Server` calls after
 * the handshake to set `authorized` and `authorizationError`; a bare
 * TLSSocket sets neither. Fallback (in tls.ts): the handshake runs in a
 * `tls.Server` made for the connection, which sets them.
 */
export function tlsVerifyError(socket: tls.TLSSocket): Error | null {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null } | null })._handle;
  if (typeof handle?.verifyError !== "function") {
    // Not known is not verified.
    return withCode(new Error("unspecified certificate verification error"), "UNSPECIFIED");
  }
  return handle.verifyError();
}
