/**
 * Python's `asynchat.async_chat`: an asyncore dispatcher that splits what it
 * reads on a terminator and queues what it writes.
 *
 * ```text
 * handleRead ─► recv(acInBufferSize) ─► acInBuffer
 *              └─ loop: splitStep(acInBuffer, getTerminator())
 *                   ├─ collectIncomingData(bytes before the terminator)
 *                   └─ foundTerminator()       (may setTerminator for the next record)
 * push / pushWithProducer ─► producerFifo ─► initiateSend ─► send(≤ acOutBufferSize)
 * closeWhenDone ─► null in producerFifo ─► handleClose once all before it is sent
 * ```
 *
 * @module
 */

import { lookupCodec } from "../_codecs.js";
import { dispatcher } from "../asyncore/dispatcher.js";
import { TerminatorNotFoundError } from "../asyncore/errors.js";
import { MAX_TERMINATOR_SEARCH } from "../asyncore/limits.js";
import type { SocketMap } from "../asyncore/map.js";
import {
  argTypeError,
  BlockingIOError,
  nameClasses,
  OSError,
  ValueError,
  withCode,
} from "../errors/index.js";
import type { Socket } from "../socket/index.js";
import type { Producer } from "./producer.js";
import { isNoTerminator, splitStep, type Terminator } from "./terminator.js";

const EMPTY = Buffer.alloc(0);

/** An entry of `producerFifo`: bytes, text (sent encoded with `useEncoding`), a producer, or `null` (close here). */
export type FifoEntry = Buffer | string | Producer | null;

function notImplemented(): Error {
  return withCode(new Error("must be implemented in subclass"), "ERR_NOT_IMPLEMENTED");
}

/**
 * Python's `asynchat.async_chat`. Subclass it and override
 * `collectIncomingData(data)` and `foundTerminator()`; set the terminator with
 * `setTerminator`; send with `push` (bytes) or `pushWithProducer`.
 *
 * Methods for the caller: `setTerminator`, `getTerminator`, `push`,
 * `pushWithProducer`, `closeWhenDone`, `discardBuffers`, `initiateSend`.
 * Methods to override: `collectIncomingData`, `foundTerminator`, and the
 * dispatcher's. Attributes (class fields, override them): `acInBufferSize`,
 * `acOutBufferSize`, `useEncoding`, `encoding`, `acMaxTerminatorSearch`.
 *
 * Where netkit differs: a bytes terminator not found within
 * `acMaxTerminatorSearch` bytes (1 MiB) throws `TerminatorNotFoundError`
 * from `handleRead`, which `handleError` turns into closing the channel
 * (Python collects without limit). The terminator starts as `null` (Python's
 * is unset until `set_terminator`, and reading then fails). A string
 * terminator without `useEncoding` is refused by `setTerminator` with a
 * `TypeError` (Python fails later, at the first read).
 *
 * @example A line-echo channel
 * ```ts
 * import { async_chat } from "netkit/asynchat";
 * class LineEcho extends async_chat {
 *   #line: Buffer[] = [];
 *   constructor() {
 *     super();
 *     this.setTerminator(Buffer.from("\r\n"));
 *   }
 *   override collectIncomingData(data: Buffer): void {
 *     this.#line.push(data);
 *   }
 *   override foundTerminator(): void {
 *     this.push(Buffer.concat([...this.#line.splice(0), Buffer.from("\r\n")]));
 *   }
 * }
 * new LineEcho().getTerminator(); // <Buffer 0d 0a>
 * ```
 */
export class async_chat extends dispatcher {
  /** Python's `ac_in_buffer_size`: the most one `recv` asks for. */
  acInBufferSize = 65536;
  /** Python's `ac_out_buffer_size`: the most one `send` is given. */
  acOutBufferSize = 65536;
  /** Python's `use_encoding`: encode string terminators and produced strings with `encoding`. */
  useEncoding = false;
  /** Python's `encoding` (any codec netkit has). */
  encoding = "latin-1";
  /**
   * Bytes collected while looking for a bytes terminator before
   * `TerminatorNotFoundError` (netkit's bound; `Infinity` for Python's
   * behaviour). @default 1048576
   */
  acMaxTerminatorSearch = MAX_TERMINATOR_SEARCH;
  /** Python's `ac_in_buffer`: bytes read and not yet split. */
  acInBuffer: Buffer = EMPTY;
  /** Python's `incoming`: what `_collectIncomingData` collected. */
  incoming: Buffer[] = [];
  /** Python's `producer_fifo`: what waits to be sent, in order. */
  producerFifo: FifoEntry[] = [];
  /** Python's `terminator` (see `setTerminator`). */
  terminator: Terminator = null;
  /** Bytes collected since the bytes terminator was set or last found. */
  #searched = 0;

  /**
   * Python's `async_chat(sock=None, map=None)`.
   * @param sock a connected socket (from `accept()`), or none for a client
   * @param map the map to join @default socketMap
   */
  constructor(sock?: Socket | null, map?: SocketMap) {
    super(sock, map);
  }

  /**
   * Python's `collect_incoming_data(data)`: bytes of the current record. Override it.
   * @throws Error ERR_NOT_IMPLEMENTED unless overridden
   */
  collectIncomingData(_data: Buffer): void {
    throw notImplemented();
  }

  /** Python's `_collect_incoming_data`: keeps `data` in `incoming` (for `_getData`). */
  _collectIncomingData(data: Buffer): void {
    this.incoming.push(data);
  }

  /** Python's `_get_data`: what `incoming` holds, joined, and empties it. */
  _getData(): Buffer {
    const data = Buffer.concat(this.incoming);
    this.incoming = [];
    return data;
  }

  /**
   * Python's `found_terminator()`: the current record is complete. Override it.
   * @throws Error ERR_NOT_IMPLEMENTED unless overridden
   */
  foundTerminator(): void {
    throw notImplemented();
  }

  /**
   * Python's `set_terminator(term)`: bytes to split on, a count of bytes, or
   * `null` (collect everything). A string is encoded with `encoding` when
   * `useEncoding` is on.
   * @throws ValueError for a negative count; TypeError for a string without `useEncoding`
   */
  setTerminator(term: Uint8Array | string | number | null): void {
    let value: Terminator;
    if (typeof term === "string") {
      if (!this.useEncoding)
        throw argTypeError("setTerminator", "term", "bytes, int or None (or str with useEncoding)", term);
      value = lookupCodec(this.encoding).encode(term, "strict");
    } else if (typeof term === "number") {
      if (!Number.isInteger(term)) throw argTypeError("setTerminator", "term", "bytes, int or None", term);
      if (term < 0) throw new ValueError("the number of received bytes must be positive");
      value = term;
    } else if (term instanceof Uint8Array) {
      value = Buffer.from(term);
    } else if (term === null) {
      value = null;
    } else {
      throw argTypeError("setTerminator", "term", "bytes, int or None", term);
    }
    this.terminator = value;
    this.#searched = 0;
  }

  /** Python's `get_terminator()`. */
  getTerminator(): Terminator {
    return this.terminator;
  }

  /**
   * Python's `handle_read()`: reads, then splits on the terminator, calling
   * `collectIncomingData` and `foundTerminator` for every record the bytes
   * hold (the terminator may change in between).
   * @throws TerminatorNotFoundError past `acMaxTerminatorSearch`
   */
  override handleRead(): void {
    let data: Buffer;
    try {
      data = this.recv(this.acInBufferSize);
    } catch (err) {
      if (err instanceof BlockingIOError) return;
      if (err instanceof OSError) {
        this.handleError(err);
        return;
      }
      throw err;
    }
    this.acInBuffer = this.acInBuffer.length > 0 ? Buffer.concat([this.acInBuffer, data]) : data;
    // Bounded: every turn consumes at least one byte, or stops at a partial terminator.
    while (this.acInBuffer.length > 0) {
      const terminator = this.getTerminator();
      const step = splitStep(this.acInBuffer, terminator);
      if (step.collect !== undefined) {
        if (Buffer.isBuffer(terminator) && terminator.length > 0)
          this.#count(step.collect.length, terminator);
        this.collectIncomingData(step.collect);
      }
      this.acInBuffer = step.rest;
      if (typeof terminator === "number" && !isNoTerminator(terminator)) this.terminator = step.terminator;
      if (step.found) {
        this.#searched = 0;
        this.foundTerminator();
      }
      if (step.wait) break;
    }
  }

  #count(bytes: number, terminator: Buffer): void {
    this.#searched += bytes;
    if (this.#searched > this.acMaxTerminatorSearch) {
      throw new TerminatorNotFoundError(this.acMaxTerminatorSearch, terminator);
    }
  }

  /** Python's `handle_write()`: `initiateSend()`. */
  override handleWrite(): void {
    this.initiateSend();
  }

  /** Python's `handle_close()`: closes. */
  override handleClose(): void {
    this.close();
  }

  /**
   * Python's `push(data)`: queues `data` (in pieces of `acOutBufferSize`) and
   * sends what it can now. The bytes are copied: the caller may reuse its buffer.
   * @throws TypeError when `data` is not bytes (a string included, as in Python 3)
   */
  push(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw argTypeError("push", "data", "byte-ish", data);
    const bytes = Buffer.from(data);
    const sabs = this.acOutBufferSize;
    if (bytes.length > sabs) {
      for (let i = 0; i < bytes.length; i += sabs) this.producerFifo.push(bytes.subarray(i, i + sabs));
    } else {
      this.producerFifo.push(bytes);
    }
    this.initiateSend();
  }

  /** Python's `push_with_producer(producer)`: queues a producer and sends what it can now. */
  pushWithProducer(producer: Producer): void {
    this.producerFifo.push(producer);
    this.initiateSend();
  }

  /** Python's `readable()`: always true. */
  override readable(): boolean {
    return true;
  }

  /** Python's `writable()`: while something waits to be sent, or not yet connected. */
  override writable(): boolean {
    return this.producerFifo.length > 0 || !this.connected;
  }

  /** Python's `close_when_done()`: close once everything queued before now is sent. */
  closeWhenDone(): void {
    this.producerFifo.push(null);
  }

  /**
   * Python's `initiate_send()`: sends from the head of `producerFifo` once
   * (one `send` per call, as in Python), asking producers for more first.
   */
  initiateSend(): void {
    // Bounded: each turn drops an entry or asks a producer once; the first send returns.
    while (this.producerFifo.length > 0 && this.connected) {
      const first = this.producerFifo[0]!;
      if (first === null || ((Buffer.isBuffer(first) || typeof first === "string") && first.length === 0)) {
        this.producerFifo.shift();
        if (first === null) this.handleClose();
        // Python then "sends" the empty entry, which sends nothing, and returns.
        return;
      }
      const obs = this.acOutBufferSize;
      if (!Buffer.isBuffer(first) && typeof first !== "string") {
        const more = first.more();
        if (more.length > 0) this.producerFifo.unshift(typeof more === "string" ? more : Buffer.from(more));
        else this.producerFifo.shift();
        continue;
      }
      const piece = typeof first === "string" ? first.slice(0, obs) : first.subarray(0, obs);
      let data: Buffer;
      if (typeof piece === "string") {
        if (!this.useEncoding) throw argTypeError("send", "data", "a bytes-like object", piece);
        data = lookupCodec(this.encoding).encode(piece, "strict");
      } else {
        data = piece;
      }
      let sent: number;
      try {
        sent = this.send(data);
      } catch (err) {
        if (!(err instanceof OSError)) throw err;
        this.handleError(err);
        return;
      }
      if (sent > 0) {
        if (sent < data.length || obs < first.length) {
          this.producerFifo[0] = typeof first === "string" ? first.slice(sent) : first.subarray(sent);
        } else this.producerFifo.shift();
      }
      return;
    }
  }

  /** Python's `discard_buffers()`: drops everything read and queued ("emergencies only"). */
  discardBuffers(): void {
    this.acInBuffer = EMPTY;
    this.incoming = [];
    this.producerFifo = [];
  }
}

nameClasses({ async_chat });
