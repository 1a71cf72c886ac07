/**
 * What a dispatcher reads from and writes to, made synchronous: Python's
 * asyncore calls `recv()` and `send()` on a non-blocking socket and gets an
 * answer at once, while every netkit socket call is a promise. A `Channel`
 * bridges the two:
 *
 * - reading: it keeps one chunk (at most `RECV_CHUNK` bytes) read ahead. When
 *   the chunk is used up it asks for the next one, so a dispatcher holds at
 *   most one chunk and the rest waits in the socket's bounded buffer.
 *   `recv(n)` takes from the chunk at once; with nothing there it throws
 *   `BlockingIOError` (EAGAIN), as a non-blocking socket does.
 * - writing: `send(data)` hands the bytes to the socket at once (netkit's
 *   socket queues them in the call) and counts them until the socket says it
 *   has room again; past `SEND_QUEUE_LIMIT` it takes only what fits, and
 *   nothing when full (`BlockingIOError`), as a full kernel buffer does.
 *
 * Each change calls `wake()`, so a waiting `poll()` looks again. The same
 * class serves sockets and files (`file_dispatcher`): it sees only a read
 * function and a write function.
 *
 * @module
 */
import { BlockingIOError, EAGAIN, EBADF, OSError, toError } from "../errors/index.js";
import type { Address, Socket } from "../socket/index.js";
import { wake } from "./_wake.js";
import { RECV_CHUNK, SEND_QUEUE_LIMIT } from "./limits.js";

const EMPTY = Buffer.alloc(0);

/** Reads the next bytes: at least one, or an empty Buffer at the end. */
export type ReadChunk = (size: number) => Promise<Buffer>;
/** Queues bytes at once; settles when there is room for more (rejects when broken). */
export type WriteChunk = (data: Buffer) => Promise<unknown>;

export class Channel {
  readonly #read: ReadChunk;
  readonly #write: WriteChunk;
  #chunk: Buffer | undefined;
  #eof = false;
  #readError: Error | undefined;
  #writeError: Error | undefined;
  #reading = false;
  #closed = false;
  /** Bytes handed to the writer whose promise has not settled yet. */
  #unsettled = 0;

  constructor(read: ReadChunk, write: WriteChunk) {
    this.#read = read;
    this.#write = write;
    this.#pull();
  }

  /** Starts reading the next chunk when none is held or on its way. */
  #pull(): void {
    if (this.#reading || this.#closed || this.#chunk || this.#eof || this.#readError) return;
    this.#reading = true;
    this.#read(RECV_CHUNK).then(
      (chunk) => {
        this.#reading = false;
        if (this.#closed) return;
        if (chunk.length === 0) this.#eof = true;
        else this.#chunk = chunk;
        wake();
      },
      (err: unknown) => {
        this.#reading = false;
        if (this.#closed) return;
        this.#readError = toError(err);
        wake();
      },
    );
  }

  /** True when `recv` would not throw `BlockingIOError`: bytes, the end or an error are there. */
  get readReady(): boolean {
    return this.#chunk !== undefined || this.#eof || this.#readError !== undefined;
  }

  /** True when `send` would take at least one byte, or would report the error that broke the channel. */
  get writeReady(): boolean {
    return this.#unsettled < SEND_QUEUE_LIMIT || this.#writeError !== undefined;
  }

  /** The error that broke reading or writing, if any. */
  get error(): Error | undefined {
    return this.#readError ?? this.#writeError;
  }

  /**
   * Takes up to `size` bytes read ahead: an empty Buffer at the end of the
   * stream.
   * @throws BlockingIOError (EAGAIN) when nothing has come yet; the error that broke the connection
   */
  recv(size: number): Buffer {
    if (this.#closed) throw new OSError(EBADF);
    const chunk = this.#chunk;
    if (chunk !== undefined) {
      if (size <= 0) return EMPTY;
      if (size >= chunk.length) {
        this.#chunk = undefined;
        this.#pull();
        return chunk;
      }
      this.#chunk = chunk.subarray(size);
      return chunk.subarray(0, size);
    }
    if (this.#readError) throw this.#readError;
    if (this.#eof) return EMPTY;
    throw new BlockingIOError(EAGAIN);
  }

  /**
   * Queues as much of `data` as the send queue has room for and returns how
   * many bytes that was.
   * @throws BlockingIOError (EAGAIN) when the queue is full; the error of an earlier write
   */
  send(data: Uint8Array): number {
    if (this.#closed) throw new OSError(EBADF);
    if (this.#writeError) throw this.#writeError;
    if (data.length === 0) return 0;
    const room = SEND_QUEUE_LIMIT - this.#unsettled;
    if (room <= 0) throw new BlockingIOError(EAGAIN);
    // A copy: Python's send copies into the kernel, so the caller may reuse its buffer.
    const copy = Buffer.from(data.subarray(0, room));
    this.#unsettled += copy.length;
    let settled: Promise<unknown>;
    try {
      settled = this.#write(copy);
    } catch (err) {
      this.#unsettled -= copy.length;
      throw err;
    }
    settled.then(
      () => {
        this.#unsettled -= copy.length;
        wake();
      },
      (err: unknown) => {
        this.#unsettled -= copy.length;
        if (!this.#closed) this.#writeError ??= toError(err);
        wake();
      },
    );
    return copy.length;
  }

  /** Stops reading ahead; later calls throw EBADF. */
  close(): void {
    this.#closed = true;
    this.#chunk = undefined;
  }
}

/** One connection taken from the listening socket. */
type Accepted = [Socket, Address];

/**
 * A listening socket's side of the same idea: one connection taken ahead
 * (`accept()` resolved), held until the dispatcher's `accept()` takes it; the
 * others wait in the socket's queue.
 */
export class Acceptor {
  readonly #sock: Socket;
  #held: Accepted | undefined;
  #error: Error | undefined;
  #waiting = false;
  #closed = false;

  constructor(sock: Socket) {
    this.#sock = sock;
    this.#pull();
  }

  #pull(): void {
    if (this.#waiting || this.#closed || this.#held || this.#error) return;
    this.#waiting = true;
    this.#sock.accept().then(
      (pair) => {
        this.#waiting = false;
        if (this.#closed) {
          pair[0].close();
          return;
        }
        this.#held = pair;
        wake();
      },
      (err: unknown) => {
        this.#waiting = false;
        if (this.#closed) return;
        this.#error = toError(err);
        wake();
      },
    );
  }

  /** True when `take` has a connection or an error to give. */
  get ready(): boolean {
    return this.#held !== undefined || this.#error !== undefined;
  }

  /**
   * The waiting connection, or `null`.
   * @throws the error that broke the listening socket
   */
  take(): Accepted | null {
    const pair = this.#held;
    if (pair) {
      this.#held = undefined;
      this.#pull();
      return pair;
    }
    if (this.#error) throw this.#error;
    return null;
  }

  /** Stops accepting; a connection taken ahead and never handed out is closed. */
  close(): void {
    this.#closed = true;
    this.#held?.[0].close();
    this.#held = undefined;
  }
}
