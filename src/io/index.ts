/**
 * `netkit/io`: buffered byte streams, the `rfile` and `wfile` of every netkit
 * protocol (what Python's `socket.makefile()` returns).
 *
 * It mirrors Python's `io` module, async: `BufferedReader` (`read`, `read1`,
 * `readline`, `readlines`, `peek`, line iteration), `BufferedWriter` (`write`,
 * `flush`, write-through with `bufferSize: 0` like socketserver's `wfile`)
 * and `TextIOWrapper` (strings over either); plus asyncio's
 * `StreamReader.readexactly` and `readuntil`, which binary protocols want.
 *
 * ```text
 *   ByteSource ──▶ BufferedReader ──┐
 *   (socket, Node stream, memory)   ├──▶ TextIOWrapper (strings)
 *   ByteSink   ◀── BufferedWriter ──┘
 * ```
 *
 * The streams never know what is underneath: anything that implements the
 * two small contracts `ByteSource` and `ByteSink` will do. `Socket.makefile()`
 * gives socket ones; `readableSource`/`writableSink` adapt Node streams;
 * `BytesSource`/`BytesSink` are bytes in memory (Python's `BytesIO`), for
 * parsing and tests.
 *
 * Differences from Python, on purpose: `readline()` without a size is bounded
 * (`maxLineLength`, 65536 bytes by default: Python's http.client `_MAXLINE`)
 * and throws `LineTooLongError` past it, so no peer can grow a reader's memory
 * without limit; `TextIOWrapper` returns lines untranslated by default.
 *
 * @example
 * ```ts
 * import { BufferedReader, BufferedWriter, BytesSink, BytesSource } from "netkit/io";
 * const rfile = new BufferedReader(new BytesSource("HELO a\r\nQUIT\r\n"));
 * const sink = new BytesSink();
 * const wfile = new BufferedWriter(sink, { bufferSize: 0 });
 * for await (const line of rfile) await wfile.write(Buffer.from(`250 ${line.toString()}`));
 * ```
 *
 * @module
 */
export { IncompleteReadError, LimitOverrunError, LineTooLongError } from "./errors.js";
export { BytesSink, BytesSource, iterableSource, readableSource, writableSink } from "./memory.js";
export { BufferedReader, type BufferedReaderOptions } from "./reader.js";
export type { ByteSink, ByteSource } from "./source.js";
export { TextIOWrapper, type TextIOWrapperOptions } from "./text.js";
export { BufferedWriter, type BufferedWriterOptions } from "./writer.js";
