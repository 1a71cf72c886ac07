/**
 * `netkit/io`: buffered byte streams, the `rfile` and `wfile` of every netkit
 * protocol. Python's `io.BufferedReader`, `io.BufferedWriter` and
 * `io.TextIOWrapper` (async), plus asyncio's `readexactly`/`readuntil`, over
 * any byte source: a socket (`sock.makefile()`), a Node stream, or memory.
 *
 * @module
 */
export { IncompleteReadError, LimitOverrunError, LineTooLongError } from "./errors.js";
export { BytesSink, BytesSource, readableSource, writableSink } from "./memory.js";
export { BufferedReader, type BufferedReaderOptions } from "./reader.js";
export type { ByteSink, ByteSource } from "./source.js";
export { TextIOWrapper, type TextIOWrapperOptions } from "./text.js";
export { BufferedWriter, type BufferedWriterOptions } from "./writer.js";
