/**
 * A growable byte queue: bytes appended at the end, taken from the front,
 * searched in place. telnetlib's cooked queue is one: Python concatenates
 * `bytes` for every 50-byte receive (`cookedq + buf`), which copies the
 * whole queue each time; this doubles its room instead, so `readAll` of a
 * large stream stays linear.
 *
 * @module
 */

const EMPTY = Buffer.alloc(0);

/** Bytes queued in one Buffer, appended at the end and taken from the front. */
export class ByteQueue {
  #buf: Buffer = EMPTY;
  #start = 0;
  #end = 0;

  /** How many bytes are queued. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** The queued bytes, as a view (valid until the queue changes). */
  view(): Buffer {
    return this.#buf.subarray(this.#start, this.#end);
  }

  /** Appends `bytes`. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#end + bytes.length > this.#buf.length) {
      const size = this.length + bytes.length;
      // Move to the front when that makes room; grow (doubling) otherwise.
      const target = size <= this.#buf.length / 2 ? this.#buf : Buffer.allocUnsafe(Math.max(size * 2, 256));
      this.#buf.copy(target, 0, this.#start, this.#end);
      this.#buf = target;
      this.#end = this.length;
      this.#start = 0;
    }
    this.#buf.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  /** Takes (a copy of) the first `n` bytes, or all of them when `n` is left out. */
  take(n = this.length): Buffer {
    const out = Buffer.from(this.#buf.subarray(this.#start, this.#start + n));
    this.#start += out.length;
    if (this.#start === this.#end) {
      // Empty: let a large buffer go rather than hold it for the next bytes.
      this.#buf = EMPTY;
      this.#start = this.#end = 0;
    }
    return out;
  }
}
