/**
 * Python's `asyncore.file_dispatcher` and `file_wrapper`: a pipe, a terminal
 * or any file descriptor (or a Node stream) in the loop, read with `recv` and
 * written with `send` like a socket.
 *
 * @module
 */
import { createReadStream, createWriteStream } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { BrokenPipeError, EPIPE, nameClasses, withCode } from "../errors/index.js";
import { type ByteSink, type ByteSource, readableSource, writableSink } from "../io/index.js";
import { SO_ERROR, SOL_SOCKET } from "../socket/index.js";
import { Channel } from "./_channel.js";
import { attachChannel, dispatcher } from "./dispatcher.js";
import type { SocketMap } from "./map.js";

/** Separate streams to read and write (stdin and stdout). */
export interface FileStreams {
  /** Where `recv` reads from (none: nothing ever comes). */
  readable?: Readable;
  /** Where `send` writes to (none: `send` finds the pipe broken). */
  writable?: Writable;
}

/** What `file_dispatcher` reads and writes: a file descriptor, a readable stream, or both directions. */
export type FileLike = number | Readable | FileStreams;

/**
 * Python's `asyncore.file_wrapper`: the file a `file_dispatcher` holds, with
 * the little of a socket's interface asyncore asks of it. Reading and
 * writing go through the dispatcher's `recv` and `send`.
 */
export class file_wrapper {
  /** The file descriptor, -1 for streams or once closed. */
  fd: number;
  readonly #streams: (Readable | Writable)[];

  /**
   * @param fd the file descriptor (-1 for streams)
   * @param streams the Node streams over it, destroyed by `close()`
   */
  constructor(fd: number, streams: (Readable | Writable)[]) {
    this.fd = fd;
    this.#streams = streams;
  }

  /** Python's `fileno()`. */
  fileno(): number {
    return this.fd;
  }

  /**
   * Python's `getsockopt(SOL_SOCKET, SO_ERROR)`: always 0 (a file has no
   * pending socket error).
   * @throws Error ERR_NOT_IMPLEMENTED for any other option, as Python's NotImplementedError
   */
  getsockopt(level: number, optname: number): number {
    if (level === SOL_SOCKET && optname === SO_ERROR) return 0;
    throw withCode(new Error("Only asyncore specific behaviour implemented."), "ERR_NOT_IMPLEMENTED");
  }

  /**
   * Python's `close()`: destroys the streams, which closes a descriptor given
   * as a number. (Python closes its own duplicate of the descriptor and
   * leaves the original open; Node cannot duplicate a descriptor, and an fs
   * stream closes its descriptor when destroyed.)
   */
  close(): void {
    if (this.fd === -2) return;
    this.fd = -2;
    for (const stream of this.#streams) stream.destroy();
  }
}

/**
 * Python's `asyncore.file_dispatcher`: a connected channel over a file
 * descriptor (a pipe, a terminal, stdin) or over Node streams. `recv` and
 * `send` work as on a socket; the end of the input calls `handleClose`.
 *
 * A descriptor is read and written through `fs` streams, and closed with
 * the dispatcher (see `file_wrapper.close`). To read and write different
 * streams (stdin and stdout), pass `{ readable, writable }`.
 *
 * @example Read lines a child process prints
 * ```ts
 * import { spawn } from "node:child_process";
 * import { file_dispatcher, loop } from "netkit/asyncore";
 * const child = spawn(process.execPath, ["-e", "console.log('hi')"]);
 * let text = "";
 * class Reader extends file_dispatcher {
 *   override writable(): boolean { return false; }
 *   override handleRead(): void { text += this.recv(1024).toString(); }
 *   override handleClose(): void { this.close(); }
 * }
 * new Reader(child.stdout);
 * await loop(5, false, undefined, 1000);
 * console.log(text); // "hi\n"
 * ```
 */
export class file_dispatcher extends dispatcher {
  /** Python's `socket` attribute here: the file, as a `file_wrapper`. */
  file: file_wrapper | null = null;

  /**
   * @param fd a file descriptor, a readable stream, or `{ readable, writable }`
   * @param map the map to join @default socketMap
   */
  constructor(fd: FileLike, map?: SocketMap) {
    super(null, map);
    this.connected = true;
    this.setFile(fd);
  }

  /** Python's `set_file(fd)`: takes `fd` as this channel's file and joins the map. */
  setFile(fd: FileLike): void {
    let readable: Readable | undefined;
    let writable: Writable | undefined;
    let number = -1;
    if (typeof fd === "number") {
      number = fd;
      readable = createReadStream("", { fd, autoClose: false, highWaterMark: 65536 });
      writable = createWriteStream("", { fd, autoClose: false });
    } else if ("read" in fd && typeof fd.read === "function") {
      readable = fd as Readable;
    } else {
      ({ readable, writable } = fd as FileStreams);
    }
    const source: ByteSource | undefined = readable && readableSource(readable);
    const sink: ByteSink | undefined = writable && writableSink(writable);
    const streams = [readable, writable].filter((s): s is Readable | Writable => s !== undefined);
    this.file = new file_wrapper(number, streams);
    attachChannel(
      this,
      new Channel(
        // No reading side: an input that never has data (Python's read would fail; netkit just waits).
        source ? () => source.readChunk() : () => new Promise<Buffer>(() => {}),
        sink
          ? (data) => sink.write(data)
          : () => {
              throw new BrokenPipeError(EPIPE);
            },
      ),
    );
    this.addChannel();
  }

  /** Closes the channel and the file (see `file_wrapper.close`). */
  override close(): void {
    super.close();
    this.file?.close();
  }
}

nameClasses({ file_dispatcher, file_wrapper });
