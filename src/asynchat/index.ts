/**
 * `netkit/asynchat`: Python's `asynchat` (removed from Python in 3.12; here
 * as Python 3.11 has it): `async_chat`, an asyncore channel that splits its
 * input on a terminator (bytes, a byte count, or none) and queues its output
 * (`push`, `pushWithProducer`, `closeWhenDone`); `simple_producer`;
 * `find_prefix_at_end`. The loop is netkit/asyncore's.
 *
 * @example
 * ```ts
 * import { async_chat } from "netkit/asynchat";
 * class Lines extends async_chat {
 *   lines: string[] = [];
 *   override collectIncomingData(data: Buffer): void {
 *     this._collectIncomingData(data);
 *   }
 *   override foundTerminator(): void {
 *     this.lines.push(this._getData().toString());
 *   }
 * }
 * const chat = new Lines();
 * chat.setTerminator(Buffer.from("\n"));
 * ```
 *
 * @module
 */
export { TerminatorNotFoundError } from "../asyncore/errors.js";
export { async_chat, type FifoEntry } from "./async_chat.js";
export { type Producer, simple_producer } from "./producer.js";
export {
  find_prefix_at_end,
  isNoTerminator,
  type SplitStep,
  splitStep,
  type Terminator,
} from "./terminator.js";
