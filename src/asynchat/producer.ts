/**
 * Python's `asynchat.simple_producer` and the producer contract
 * `async_chat.pushWithProducer` takes.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { nameClasses } from "../errors/index.js";

/**
 * What `pushWithProducer` takes: an object whose `more()` returns the next
 * bytes to send, and empty bytes when it has no more (Python's "classic
 * producer"). A string is sent encoded when the channel's `useEncoding` is on.
 */
export interface Producer {
  /** The next bytes; empty when done. */
  more(): Uint8Array | string;
}

/**
 * Python's `asynchat.simple_producer(data, buffer_size=512)`: gives `data` out
 * in pieces of `bufferSize` bytes.
 *
 * @example
 * ```ts
 * import { simple_producer } from "netkit/asynchat";
 * const p = new simple_producer(Buffer.from("abcdef"), 4);
 * p.more().toString(); // "abcd"
 * p.more().toString(); // "ef"
 * p.more().length; // 0
 * ```
 */
export class simple_producer implements Producer {
  /** The bytes not given out yet. */
  data: Buffer;
  /** The size of each piece. */
  bufferSize: number;

  /**
   * @param data the bytes to give out
   * @param bufferSize the size of each piece @default 512
   */
  constructor(data: Uint8Array, bufferSize = 512) {
    this.data = asBuffer(data);
    this.bufferSize = bufferSize;
  }

  /** Python's `more()`: the next piece, or empty bytes when done. */
  more(): Buffer {
    if (this.data.length > this.bufferSize) {
      const result = this.data.subarray(0, this.bufferSize);
      this.data = this.data.subarray(this.bufferSize);
      return result;
    }
    const result = this.data;
    this.data = Buffer.alloc(0);
    return result;
  }
}

nameClasses({ simple_producer });
