/**
 * The bounds of netkit/asyncore and netkit/asynchat, in one table, each with
 * its reason. Python's modules have none of their own: the kernel's socket
 * buffers bound them. netkit's dispatchers read through Node, so the bounds
 * that the kernel gave are written down here.
 *
 * @module
 */

/**
 * Bytes one dispatcher holds read ahead of its `recv()` calls: one chunk, taken
 * from the socket only when the previous one is used up (the rest waits in
 * the socket's own bounded receive buffer). 65536 is asynchat's
 * `ac_in_buffer_size`, the largest `recv()` the Python modules make.
 */
export const RECV_CHUNK = 65536;

/**
 * Bytes `dispatcher.send()` accepts beyond what the socket has taken, before
 * it answers 0 ("would block", Python's EWOULDBLOCK) until the socket drains.
 * The socket's own write queue is bounded as well (1 MiB, netkit/socket), so a
 * peer that never reads holds at most both.
 */
export const SEND_QUEUE_LIMIT = 256 * 1024;

/**
 * Bytes `async_chat` passes to `collectIncomingData` while it looks for a
 * bytes terminator, before it gives up with `TerminatorNotFoundError`
 * (Python has no limit: a peer that never sends the terminator grows the
 * collected data until memory runs out). 1 MiB is far above any line of a
 * line protocol; a channel collecting larger records (a message body) raises
 * `acMaxTerminatorSearch`, or sets it to `Infinity` for Python's behaviour.
 */
export const MAX_TERMINATOR_SEARCH = 1024 * 1024;
