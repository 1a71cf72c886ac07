/**
 * The two halves of a SOCK_STREAM socket over node:net:
 *
 * - `StreamConnection` holds a connected `net.Socket` and turns its events into
 *   Python's pull model: bytes wait in a bounded queue until `take()`, and the
 *   socket stops reading (pauses) while the queue is over its high-water mark,
 *   so a slow reader never makes memory grow.
 * - `StreamListener` holds a listening `net.Server`; connections wait, paused,
 *   in a queue until `accept()` takes them.
 *
 * Both report state changes through a `WaitList`; the `Socket` facade adds
 * timeouts and Python's argument checks.
 *
 * @module
 */
import type * as net from "node:net";
import { BrokenPipeError, EBADF, EPIPE, OSError, withCode } from "../errors/index.js";
import { canRepointReads, readAcceptedThrough, repointReads } from "./_node_internals.js";
import { WaitList } from "./_wait.js";

/** Default bound on bytes received but not yet taken: past it, reading pauses. */
export const DEFAULT_RECEIVE_BUFFER = 1024 * 1024;

/** recv() joins queued chunks smaller than this; a larger one is returned without copying. */
const COALESCE_BELOW = 16 * 1024;

/**
 * Writes smaller than this wait for the end of the event-loop turn
 * (`setImmediate`) and leave joined with the writes that follow them in the
 * same turn: an HTTP head and its small body, written one after the other,
 * go out in one send(2) instead of two. On loopback each send runs the
 * receiver's TCP path inside the syscall, and two sends per answer cost a
 * busy server a third of its throughput. Larger writes go out at once,
 * after what is gathered.
 */
const GATHER_WRITES_BELOW = 16 * 1024;

/**
 * Sockets read through one buffer that all of them share (net.connect's
 * `onread`; accepted sockets get the same, see readThroughSharedBuffer): up
 * to this many bytes per read(2), copied out at once into a Buffer of the
 * bytes' own size (large reads excepted: see `StreamConnection.#bulk`).
 * Node's default read allocates a fresh 64 KiB buffer for every read;
 * downloading 1 GiB that way spent 2-3 s of system time in page faults of
 * new memory, against 0.9 s this way (as curl). Sharing is safe because
 * each read is copied out before the callback returns.
 */
const SHARED_READ_SIZE = 256 * 1024;
let sharedReadBuffer: Buffer | undefined;

function sharedBuffer(): Buffer {
  return (sharedReadBuffer ??= Buffer.allocUnsafeSlow(SHARED_READ_SIZE));
}

/**
 * A reader filling a buffer with at least this much room left has the
 * kernel read straight into it (see `StreamConnection.nextReadBuffer`);
 * smaller room goes through the shared buffer, so small reads stay few.
 */
const DIRECT_READ_MIN = 64 * 1024;

/** A read of at least this many bytes marks a bulk transfer (see `StreamConnection.#bulk`). */
const BULK_READ_MIN = SHARED_READ_SIZE / 2;

/**
 * `onread` options for `net.connect`, delivering into the StreamConnection
 * that will hold the socket (set `connection` before reading starts). Node
 * asks `buffer()` where each next read lands, before the first read and
 * after every one.
 */
export class SharedBufferReads {
  connection: StreamConnection | undefined;
  readonly onread = {
    buffer: (): Uint8Array => this.connection?.nextReadBuffer() ?? sharedBuffer(),
    callback: (n: number): boolean => {
      this.connection!.receiveRead(n);
      return true;
    },
  } satisfies net.OnReadOpts;
}

/**
 * Gives an accepted socket, before it first reads, the reads a connecting
 * socket gets from `net.connect`'s `onread`: into the shared buffer, or the
 * connection's own (see `StreamConnection.nextReadBuffer`). `net.Server`
 * takes no `onread`, and without it Node allocates 64 KiB for every read.
 * Where Node's internals do not allow it (see `readAcceptedThrough`), the
 * socket keeps Node's reads and its bytes come as 'data' events.
 */
function readThroughSharedBuffer(connection: StreamConnection): void {
  const reads = new SharedBufferReads();
  reads.connection = connection;
  readAcceptedThrough(connection.socket, reads.onread);
}

/** A Node error as netkit's OSError (or as it is, when it names no system error). */
const nodeError = (err: unknown): Error => OSError.fromNodeError(err);

/** Bytes that may be queued as they are (a view of a chunk the connection owns). */
const asIs = (bytes: Uint8Array): Buffer => bytes as Buffer;

/**
 * The event-loop turn, as connections see it: one `setImmediate` per turn in
 * which any of them read or gathered writes ends it (see
 * `StreamConnection.endTurn`).
 */
let turn = 0;
let turnEndQueued = false;
/** Connections that received bytes this turn (see onNextChunk). */
let connectionsReadThisTurn = 0;

function queueTurnEnd(): void {
  if (turnEndQueued) return;
  turnEndQueued = true;
  setImmediate(StreamConnection.endTurn);
}

export class StreamConnection {
  readonly socket: net.Socket;
  readonly changed = new WaitList();
  /** Bytes waiting to be taken, oldest first; `#head` bytes of the first are gone. */
  #chunks: Buffer[] = [];
  #first = 0;
  #head = 0;
  #buffered = 0;
  #highWater: number;
  #paused = false;
  #eof = false;
  #readShut = false;
  #error: Error | undefined;
  #closed = false;

  /** Reads go through the shared buffer once they start (see readThroughSharedBuffer). */
  readonly #sharedReads: boolean;

  /** Turns the Node socket's errors into the errors netkit throws. */
  readonly #toError: (err: unknown) => Error;

  /**
   * @param sharedReads an accepted socket, not yet read from, to be read
   *   through the shared buffer as connecting ones are
   * @param toError turns the socket's errors into netkit's (netkit/ssl
   *   gives its own, for Python's SSLError classes)
   */
  constructor(
    socket: net.Socket,
    highWater = DEFAULT_RECEIVE_BUFFER,
    sharedReads = false,
    toError: (err: unknown) => Error = nodeError,
  ) {
    this.socket = socket;
    this.#highWater = highWater;
    this.#sharedReads = sharedReads;
    this.#toError = toError;
    this.#gatherWrites = !(socket as { encrypted?: boolean }).encrypted;
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("end", () => {
      this.#eof = true;
      this.#settleReader();
      this.changed.wake();
    });
    socket.on("error", (err) => {
      this.#error ??= this.#toError(err);
      this.#settleReader();
      this.changed.wake();
    });
    socket.on("close", () => {
      this.#eof = true;
      this.#settleReader();
      this.changed.wake();
    });
    // No 'drain' listener until a writer waits for one (see waitDrain).
    // Reading starts at the first take(): until then bytes stay in the
    // kernel, so a connection handed to another process loses nothing.
    socket.pause();
    this.#paused = true;
  }

  #started = false;

  /** Starts reading from the kernel (once; later pauses are backpressure). */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#paused = false;
    if (this.#sharedReads) readThroughSharedBuffer(this);
    this.socket.resume();
  }

  /** True when a take() would not wait: bytes, end of stream or an error are there. */
  get readable(): boolean {
    this.#start();
    return this.#buffered > 0 || this.#eof || this.#readShut || this.#error !== undefined;
  }

  /**
   * Gives the Node socket up: netkit's listeners come off and it stays paused,
   * so whoever takes it (another process) reads from the start.
   * @throws when bytes were already read from it
   */
  detach(): net.Socket {
    if (this.#buffered > 0 || this.#started)
      throw withCode(
        new Error("Cannot detach a socket that has been read from"),
        "ERR_SOCKET_DETACH_AFTER_READ",
      );
    this.#writeGathered();
    this.#closed = true;
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("end");
    this.socket.removeAllListeners("close");
    this.socket.removeAllListeners("drain");
    this.socket.removeAllListeners("error");
    return this.socket;
  }

  /** The error that broke the connection, if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Sets the bound on unread bytes (SO_RCVBUF as netkit honours it on streams). */
  set highWater(bytes: number) {
    this.#highWater = Math.max(1, bytes);
  }

  get highWater(): number {
    return this.#highWater;
  }

  /** Bytes received and not yet taken. */
  get buffered(): number {
    return this.#buffered;
  }

  /** The next read lands in the waiting reader's buffer, not the shared one. */
  #direct = false;
  /** Cleared when the socket cannot re-point its reads, or did so once. */
  #directAllowed = true;

  /**
   * Where the socket's next read(2) should land (asked by `SharedBufferReads`
   * after each read): straight into the buffer of a reader that is filling
   * one (`readInto` with `fill`) and has room left, else the shared buffer.
   * A download through `BufferedReader.readinto` then costs no copy in
   * user space for most of its bytes.
   */
  nextReadBuffer(): Uint8Array {
    const into = this.#readerInto;
    this.#direct =
      into !== undefined &&
      this.#readerFill &&
      this.#directAllowed &&
      into.length - this.#readerFilled >= DIRECT_READ_MIN &&
      !(into.buffer as { resizable?: boolean }).resizable &&
      canRepointReads(this.socket);
    if (this.#direct) return into!.subarray(this.#readerFilled);
    if (this.#bulk) return (this.#own ??= Buffer.allocUnsafeSlow(SHARED_READ_SIZE));
    this.#own = undefined;
    return sharedBuffer();
  }

  /**
   * While reads come large (a bulk transfer read with recv), each lands in a
   * buffer of this connection's own (`#own`) that is handed to the reader
   * as it is: one allocation per read and no copy, as Node's own 'data'
   * reads. A small read copies out of it and goes back to the shared buffer.
   */
  #bulk = false;
  /** Set exactly when the next read (unless direct) lands in it rather than the shared buffer. */
  #own: Buffer | undefined;

  /**
   * A read of `n` bytes into the buffer `nextReadBuffer` chose last, for a
   * socket of `SharedBufferReads` (which emits no 'data' events).
   */
  receiveRead(n: number): void {
    this.#noteRead();
    if (this.#direct) {
      // The kernel wrote the bytes into the waiting reader's buffer itself.
      this.#direct = false;
      this.#readerFilled += n;
      this.#progressInto();
      return;
    }
    if (this.#readShut) return;
    const own = this.#own;
    const bytes = (own ?? sharedBuffer()).subarray(0, n);
    this.#bulk = n >= BULK_READ_MIN;
    if (this.#readerInto !== undefined && this.#reader && this.#buffered === 0) {
      // Bytes beyond what the reader takes are copied: the shared buffer is reused.
      this.#deliverInto(bytes, this.#keep);
      return;
    }
    if (this.#streaming && !this.#reader) {
      this.#queue(this.#keep(bytes));
      if (!this.#paused) {
        this.#paused = true;
        this.socket.pause(); // the kernel keeps the rest until the next read
      }
      return;
    }
    if (this.#bulk && own !== undefined) {
      this.#own = undefined; // the reader's now; the next read gets a fresh one
      this.#onData(bytes);
      return;
    }
    this.#onData(Buffer.from(bytes));
  }

  /**
   * Copies `bytes` into the waiting reader's buffer; what does not fit waits
   * in the queue (as `keep` makes it), before the reader runs and perhaps
   * reads again.
   */
  #deliverInto(bytes: Uint8Array, keep: (rest: Uint8Array) => Buffer): void {
    const into = this.#readerInto!;
    const count = Math.min(bytes.length, into.length - this.#readerFilled);
    into.set(bytes.subarray(0, count), this.#readerFilled);
    if (count < bytes.length) this.#queue(keep(bytes.subarray(count)));
    this.#readerFilled += count;
    this.#progressInto();
  }

  /** Ends the reader of `into` once its buffer is full, or at once unless it fills. */
  #progressInto(): void {
    const into = this.#readerInto!;
    if (this.#readerFilled < into.length && this.#readerFill) {
      this.#readerTimer?.refresh(); // the timeout bounds each wait for bytes, as recv's does
      return;
    }
    this.#streaming = this.#readerFill;
    this.#settle(Buffer.from(into.buffer, into.byteOffset, this.#readerFilled));
  }

  #turnRead = -1;

  /** Counts this connection once among those that received bytes this turn. */
  #noteRead(): void {
    if (this.#turnRead === turn) return;
    this.#turnRead = turn;
    connectionsReadThisTurn++;
    queueTurnEnd();
  }

  #onData(data: Buffer): void {
    this.#noteRead();
    let chunk = data;
    if (this.#readShut) return;
    const reader = this.#reader;
    if (reader && this.#buffered === 0 && this.#readerFill) {
      this.#deliverInto(chunk, asIs); // a 'data' chunk is the connection's own
      return;
    }
    if (reader && this.#buffered === 0) {
      // Hand the chunk straight to the waiting reader: no queue, no wake-up round.
      const max = this.#readerMax;
      if (chunk.length > max) {
        this.#chunks.push(chunk.subarray(max));
        this.#buffered += chunk.length - max;
        chunk = chunk.subarray(0, max);
      }
      this.#settle(chunk);
      return;
    }
    this.#queue(chunk);
  }

  #queue(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= this.#highWater && !this.#paused) {
      this.#paused = true;
      this.socket.pause();
    }
    this.changed.wake();
  }

  /**
   * Takes up to `max` bytes that have arrived, without waiting: a Buffer of at
   * least one byte, an empty Buffer at end of stream, or `undefined` when
   * nothing is there yet. Throws the connection's error once data runs out.
   * With `peek`, the bytes stay queued; with `oneChunk`, only the oldest
   * chunk is taken (no copy).
   */
  take(max: number, peek = false, oneChunk = false): Buffer | undefined {
    if (!this.#started) this.#start();
    if (this.#buffered > 0) {
      const chunk = this.#chunks[this.#first]!;
      const available = chunk.length - this.#head;
      // A view of the spare leaves the connection: the spare is the caller's now.
      if (this.#spareQueued && chunk.buffer === this.#spare!.buffer) this.#giveAwaySpare();
      if (peek) return chunk.subarray(this.#head, this.#head + Math.min(max, available));
      // Like recv(2), hand over everything waiting up to `max` in one piece:
      // a caller looping recv/sendall then makes few large writes, not many small ones.
      // A chunk of 16 KiB or more goes out as it is (no copy); smaller pieces are joined.
      if (!oneChunk && max > available && this.#buffered > available && available < COALESCE_BELOW) {
        return this.#takeMany(max);
      }
      const out =
        max >= available
          ? this.#head === 0
            ? chunk
            : chunk.subarray(this.#head)
          : chunk.subarray(this.#head, this.#head + max);
      this.#consumed(out.length);
      return out;
    }
    if (this.#readShut) return Buffer.alloc(0);
    if (this.#error) throw this.#error;
    if (this.#eof) return Buffer.alloc(0);
    return undefined;
  }

  /** Drops `n` bytes (at most the rest of the oldest chunk) from the queue's front. */
  #consumed(n: number): void {
    const chunk = this.#chunks[this.#first]!;
    this.#head += n;
    if (this.#head === chunk.length) {
      if (this.#spareQueued && chunk.buffer === this.#spare!.buffer) this.#spareQueued = false;
      this.#chunks[this.#first] = undefined as unknown as Buffer;
      this.#first++;
      this.#head = 0;
      if (this.#first > 64 && this.#first * 2 > this.#chunks.length) {
        this.#chunks = this.#chunks.slice(this.#first);
        this.#first = 0;
      }
    }
    this.#buffered -= n;
    if (this.#paused && this.#started && this.#buffered < this.#highWater / 2) {
      this.#paused = false;
      this.socket.resume();
    }
  }

  /** Copies queued bytes into `target` from `offset` on (no view leaves); returns the new offset. */
  #copyQueued(target: Uint8Array, offset: number): number {
    let filled = offset;
    while (filled < target.length && this.#buffered > 0) {
      const chunk = this.#chunks[this.#first]!;
      const n = Math.min(target.length - filled, chunk.length - this.#head);
      target.set(chunk.subarray(this.#head, this.#head + n), filled);
      filled += n;
      this.#consumed(n);
    }
    return filled;
  }

  /**
   * While a reader fills buffer after buffer (a download), bytes that come
   * between two of its reads wait in this connection's own spare buffer, and
   * reading pauses until the next read: no fresh memory per gap, which the
   * allocator would keep as the process's size.
   */
  #streaming = false;
  #spare: Buffer | undefined;
  /** The spare's bytes are in the queue. */
  #spareQueued = false;

  #giveAwaySpare(): void {
    this.#spare = undefined;
    this.#spareQueued = false;
  }

  /** A copy of `bytes` (read into the shared buffer) for the queue. */
  readonly #keep = (bytes: Uint8Array): Buffer => {
    if (!this.#streaming || this.#spareQueued) return Buffer.from(bytes);
    const spare = (this.#spare ??= Buffer.allocUnsafeSlow(SHARED_READ_SIZE));
    spare.set(bytes);
    this.#spareQueued = true;
    return spare.subarray(0, bytes.length);
  };

  /** The read waiting for the next chunk, kept in fields: no object per wait. */
  #reader: ((chunk: Buffer | Error) => void) | undefined;
  #readerMax = Number.POSITIVE_INFINITY;
  /** The waiting read's own buffer, when it gave one (`recv_into`). */
  #readerInto: Uint8Array | undefined;
  /** The waiting read ends only when `#readerInto` is full (or the stream ends). */
  #readerFill = false;
  /** Bytes already in `#readerInto`. */
  #readerFilled = 0;
  #readerTimer: NodeJS.Timeout | undefined;

  /** Ends the waiting read with `chunk` (bytes, or the error that ends it). */
  #settle(chunk: Buffer | Error): void {
    const reader = this.#reader!;
    this.#reader = undefined;
    this.#readerInto = undefined;
    this.#readerFill = false;
    this.#readerFilled = 0;
    if (this.#direct) this.#stopDirectReads();
    if (this.#readerTimer) {
      clearTimeout(this.#readerTimer);
      this.#readerTimer = undefined;
    }
    reader(chunk);
  }

  /**
   * Calls `onChunk` once with the oldest chunk (no copy; at most `max` bytes
   * of it), at once if one is there, else when it comes: the read path of
   * `recv` and of buffered readers. After `timeout` seconds (`null`: none)
   * it gets the error `onTimeout` makes instead. One read may wait at a time.
   *
   * With `into` (of `max` bytes or more), bytes that arrive while the read
   * waits may be written straight into it: then the chunk given to
   * `onChunk` is a view of `into` itself. With `fill` too, the read waits
   * until `into` is full or the stream ends.
   */
  onNextChunk(
    timeout: number | null,
    onTimeout: () => Error,
    max: number,
    onChunk: (chunk: Buffer | Error) => void,
    into?: Uint8Array,
    fill = false,
  ): void {
    let ready: Buffer | undefined;
    try {
      ready = this.takeChunk(max);
    } catch (err) {
      onChunk(err as Error);
      return;
    }
    if (ready !== undefined) {
      onChunk(ready);
      return;
    }
    if (this.#reader) {
      onChunk(withCode(new Error("Another read is already waiting on this socket"), "ERR_READ_IN_PROGRESS"));
      return;
    }
    // A peer that was sent an answer and is now read from waits for that
    // answer. When this is the only connection that had bytes this turn, what
    // it gathered leaves now, not after the poll phase: one request at a time
    // is answered 10% sooner. With many busy connections, their answers
    // still leave together after the poll phase, which serves more of them.
    if (connectionsReadThisTurn <= 1) this.#writeGathered();
    this.#reader = onChunk;
    this.#readerMax = max;
    this.#readerInto = into?.subarray(0, max);
    this.#readerFill = fill && into !== undefined;
    if (into === undefined) this.#streaming = false;
    if (timeout !== null) {
      this.#readerTimer = setTimeout(() => {
        this.#readerTimer = undefined;
        this.#settle(onTimeout());
      }, timeout * 1000);
    }
  }

  /**
   * The reader ended before its buffer filled (a timeout, SHUT_RD) while the
   * socket's next read was set to land in that buffer, which now belongs to
   * the caller again: the read is re-pointed at the shared buffer. Node adds
   * a stream listener each time it re-points, so this connection reads
   * through the shared buffer from now on.
   */
  #stopDirectReads(): void {
    this.#direct = false;
    this.#directAllowed = false;
    this.#bulk = false;
    this.#own = undefined;
    repointReads(this.socket, sharedBuffer());
  }

  /** `onNextChunk` as a promise. */
  nextChunk(
    timeout: number | null,
    onTimeout: () => Error,
    max = Number.POSITIVE_INFINITY,
    into?: Uint8Array,
  ): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.onNextChunk(
        timeout,
        onTimeout,
        max,
        (chunk) => (chunk instanceof Error ? reject(chunk) : resolve(chunk)),
        into,
      );
    });
  }

  /**
   * Reads what has arrived, else waits for the next bytes, into `target`
   * (at most its length) and resolves with how many; 0 at end of stream.
   * Bytes that arrive while it waits go straight into `target`. With `fill`,
   * it waits until `target` is full or the stream ends (an error after some
   * bytes resolves with those; the next read throws it), and `timeout`
   * bounds each wait for more bytes.
   */
  async readInto(
    target: Uint8Array,
    timeout: number | null,
    onTimeout: () => Error,
    fill = false,
  ): Promise<number> {
    if (!this.#started) this.#start();
    const filled = this.#copyQueued(target, 0);
    if (filled > 0 && !fill) return filled;
    if (filled === target.length || this.#readShut) return filled;
    if (this.#error) {
      if (filled > 0) return filled;
      throw this.#error;
    }
    if (this.#eof) return filled;
    const rest = target.subarray(filled);
    const data = await new Promise<Buffer>((resolve, reject) => {
      this.onNextChunk(
        timeout,
        onTimeout,
        rest.length,
        (chunk) => (chunk instanceof Error ? reject(chunk) : resolve(chunk)),
        rest,
        fill,
      );
    });
    // A chunk that is `rest` itself was written in place (see receiveRead).
    if (data.buffer !== rest.buffer || data.byteOffset !== rest.byteOffset) rest.set(data);
    return filled + data.length;
  }

  /** Ends a waiting read with end of stream, an error, or what is queued. */
  #settleReader(): void {
    if (!this.#reader) return;
    const into = this.#readerInto;
    if (into !== undefined && this.#readerFilled > 0) {
      // A filling reader keeps what it got; the end or error comes next read.
      this.#settle(Buffer.from(into.buffer, into.byteOffset, this.#readerFilled));
      return;
    }
    let chunk: Buffer | undefined;
    try {
      chunk = this.takeChunk(this.#readerMax);
    } catch (err) {
      this.#settle(err as Error);
      return;
    }
    if (chunk !== undefined) this.#settle(chunk);
  }

  /** Joins queued chunks into one Buffer of at most `max` bytes. */
  #takeMany(max: number): Buffer {
    const size = Math.min(max, this.#buffered);
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const piece = this.take(size - filled, false, true)!;
      out.set(piece, filled);
      filled += piece.length;
    }
    return out;
  }

  /**
   * Takes the bytes of the oldest chunk only (at most `max`), never copying:
   * what a buffered reader wants.
   */
  takeChunk(max = Number.POSITIVE_INFINITY): Buffer | undefined {
    return this.take(max, false, true);
  }

  /**
   * Writes `data` and reports whether more may be written at once (under
   * Node's high-water mark). The fast path for buffered writers: no callback.
   */
  writeNow(data: Uint8Array): boolean {
    const failure = this.#writeFailure();
    if (failure) throw failure;
    if (this.#gatherWrites && this.#gatheredBytes + data.length < GATHER_WRITES_BELOW) {
      this.#gathered.push(data);
      this.#gatheredBytes += data.length;
      if (!this.#gatherListed) {
        this.#gatherListed = true;
        StreamConnection.#gatheredThisTurn.push(this);
        queueTurnEnd();
      }
      return !this.socket.writableNeedDrain;
    }
    this.#writeGathered();
    return this.socket.write(data);
  }

  /**
   * Writes `data` (after what is gathered) and returns a check that turns
   * true once the socket holds no reference to it: every byte is in the
   * kernel, or the write failed (`error` then tells). `changed` wakes then.
   */
  writeTracked(data: Uint8Array): () => boolean {
    const failure = this.#writeFailure();
    if (failure) throw failure;
    this.#writeGathered();
    let released = false;
    this.socket.write(data, (err) => {
      // Node calls back before it emits 'error': keep the error for `error`.
      if (err) this.#error ??= this.#toError(err);
      released = true;
      this.changed.wake();
    });
    return () => released;
  }

  /**
   * TLS connections write at once: a TLS 1.3 server that refuses the client
   * certificate sends its alert and closes right after the handshake, and a
   * request written a turn later meets the closed socket, whose RST discards
   * the alert before the client can read it.
   */
  readonly #gatherWrites: boolean;

  /** Small writes of this event-loop turn, oldest first, not yet given to the socket. */
  #gathered: Uint8Array[] = [];
  #gatheredBytes = 0;
  /** In `#gatheredThisTurn`. */
  #gatherListed = false;

  /** Connections that gathered writes this turn. */
  static #gatheredThisTurn: StreamConnection[] = [];

  /** Ends the event-loop turn: gathered writes leave, reads are counted afresh. */
  static readonly endTurn = (): void => {
    turnEndQueued = false;
    turn++;
    connectionsReadThisTurn = 0;
    const gathered = StreamConnection.#gatheredThisTurn;
    if (gathered.length === 0) return;
    StreamConnection.#gatheredThisTurn = [];
    for (const connection of gathered) {
      connection.#gatherListed = false;
      connection.#writeGathered();
    }
  };

  /** Gives the gathered small writes to the socket as one write. */
  #writeGathered(): void {
    if (this.#gatheredBytes === 0) return;
    const chunks = this.#gathered;
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#gatheredBytes);
    this.#gathered = [];
    this.#gatheredBytes = 0;
    // A socket that broke meanwhile has reported its error to the writer already.
    if (this.socket.writable) this.socket.write(data);
  }

  /** True when the socket's own write buffer is over its high-water mark. */
  get needsDrain(): boolean {
    const full = this.socket.writableNeedDrain;
    if (full && !this.#drainWatched) {
      // A writer is about to wait: from now on 'drain' wakes the waiters.
      this.#drainWatched = true;
      this.socket.on("drain", () => this.changed.wake());
    }
    return full;
  }

  #drainWatched = false;

  #writeFailure(): Error | undefined {
    if (this.#error) return this.#error;
    // `writable` turns false once the socket is ended (SHUT_WR) or destroyed.
    if (this.#closed || !this.socket.writable) {
      return new BrokenPipeError(EPIPE);
    }
    return undefined;
  }

  /** SHUT_RD: later reads see end of stream; what arrives is dropped. */
  shutdownRead(): void {
    this.#readShut = true;
    this.#chunks = [];
    this.#first = 0;
    this.#head = 0;
    this.#buffered = 0;
    this.#start();
    // What arrives is dropped, so nothing holds reading back.
    this.#paused = false;
    this.socket.resume();
    this.#settleReader();
    this.changed.wake();
  }

  /** SHUT_WR: send FIN after what is queued. */
  shutdownWrite(): void {
    this.#writeGathered();
    if (!this.socket.writableEnded) this.socket.end();
  }

  /**
   * Closes like close(2): what the kernel already holds is still sent, so
   * a caller who awaited `sendall` loses nothing; bytes still queued in Node
   * are flushed first.
   */
  close(): void {
    if (this.#closed) return;
    this.#writeGathered();
    this.#closed = true;
    if (this.socket.writableLength > 0 && !this.socket.destroyed) {
      this.socket.end();
      this.socket.once("finish", () => this.socket.destroy());
      // A peer that never reads must not keep the socket alive forever.
      setTimeout(() => this.socket.destroy(), 30_000).unref();
    } else {
      this.socket.destroy();
    }
    if (this.#reader) this.#settle(new OSError(EBADF));
    this.changed.wake();
  }

  get closed(): boolean {
    return this.#closed;
  }
}

export class StreamListener {
  readonly server: net.Server;
  readonly changed = new WaitList();
  #pending: net.Socket[] = [];
  #error: Error | undefined;
  #closed = false;

  constructor(server: net.Server) {
    this.server = server;
    server.on("connection", (socket: net.Socket) => {
      if (this.#closed) {
        socket.destroy();
        return;
      }
      // Until accept() hands it to a caller, an error must not crash the process.
      socket.on("error", () => {});
      this.#pending.push(socket);
      this.changed.wake();
    });
    server.on("error", (err) => {
      this.#error = OSError.fromNodeError(err);
      this.changed.wake();
    });
  }

  /** Connections accepted by the kernel and not yet taken. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Takes the oldest waiting connection, or `undefined`. Throws once closed. */
  take(): net.Socket | undefined {
    const socket = this.#pending.shift();
    if (socket) return socket;
    if (this.#error) throw this.#error;
    if (this.#closed) throw new OSError(EBADF);
    return undefined;
  }

  /** Stops listening; connections nobody accepted are reset, as the kernel does. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const socket of this.#pending) socket.destroy();
    this.#pending = [];
    this.changed.wake();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get closed(): boolean {
    return this.#closed;
  }
}
