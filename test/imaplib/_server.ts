/**
 * A scripted IMAP server for fault and transcript tests (node:net,
 * independent of the code under test): it greets, answers CAPABILITY,
 * LOGIN, SELECT and NOOP plainly, and hands every command line to the
 * test's `onCommand` first, which may answer it its own way (a flood, a
 * stall, a close mid-literal). Everything the client sent is recorded.
 *
 * ```ts
 * const srv = await fakeIMAP((cmd, conn) => {
 *   if (cmd.name !== "FETCH") return false;          // the default answer
 *   conn.write(`* 1 FETCH (RFC822 {1099511627776}\r\n`);
 *   return true;
 * });
 * const M = await IMAP4.open("127.0.0.1", srv.port, { timeout: 5 });
 * ...
 * await srv.close();
 * ```
 */
import { createServer, type Server, type Socket } from "node:net";

/** One command line as the server read it. */
export interface Command {
  tag: string;
  /** The command name, upper case. */
  name: string;
  /** The rest of the line. */
  args: string;
  line: string;
}

/** The connection, for a handler's answers. */
export interface Conn {
  socket: Socket;
  write(data: string | Buffer): boolean;
  /** Reads the next `n` raw bytes the client sends (a literal), resolving when all came. */
  readBytes(n: number): Promise<Buffer>;
  /** Resolves with the next line the client sends (without CRLF). */
  readLine(): Promise<string>;
}

/** Answers a command; returns true when it did (false: the default answer). */
export type Handler = (cmd: Command, conn: Conn) => boolean | Promise<boolean>;

export interface FakeIMAP {
  port: number;
  server: Server;
  /** Every byte every client sent. */
  received(): Buffer;
  close(): Promise<void>;
}

export const CAPABILITIES = "IMAP4rev1 IDLE ENABLE STARTTLS AUTH=PLAIN LITERAL+";

/** Starts the server on 127.0.0.1:0. */
export async function fakeIMAP(
  onCommand: Handler = () => false,
  options: { greeting?: string; capabilities?: string } = {},
): Promise<FakeIMAP> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffered = Buffer.alloc(0);
    let waiter: (() => void) | null = null;
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      waiter?.();
    });
    socket.on("end", () => waiter?.());
    const more = () => new Promise<void>((resolve) => (waiter = resolve));
    const conn: Conn = {
      socket,
      write: (data) => !socket.destroyed && socket.write(data),
      async readBytes(n) {
        while (buffered.length < n && !socket.readableEnded) await more();
        const out = buffered.subarray(0, n);
        buffered = buffered.subarray(n);
        return out;
      },
      async readLine() {
        for (;;) {
          const i = buffered.indexOf("\r\n");
          if (i >= 0) {
            const line = buffered.subarray(0, i).toString("latin1");
            buffered = buffered.subarray(i + 2);
            return line;
          }
          if (socket.readableEnded || socket.destroyed) throw new Error("client closed");
          await more();
        }
      },
    };
    socket.write(options.greeting ?? "* OK fake IMAP ready\r\n");
    void (async () => {
      const caps = options.capabilities ?? CAPABILITIES;
      for (;;) {
        let line: string;
        try {
          line = await conn.readLine();
        } catch {
          return;
        }
        const [tag = "", name = "", ...rest] = line.split(" ");
        const cmd: Command = { tag, name: name.toUpperCase(), args: rest.join(" "), line };
        if (await onCommand(cmd, conn)) continue;
        if (cmd.name === "CAPABILITY") conn.write(`* CAPABILITY ${caps}\r\n${tag} OK done\r\n`);
        else if (cmd.name === "SELECT" || cmd.name === "EXAMINE") {
          conn.write(`* 2 EXISTS\r\n* FLAGS (\\Seen)\r\n${tag} OK [READ-WRITE] selected\r\n`);
        } else if (cmd.name === "LOGOUT") {
          conn.write(`* BYE bye\r\n${tag} OK done\r\n`);
          socket.end();
          return;
        } else conn.write(`${tag} OK ${cmd.name} done\r\n`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    server,
    received: () => Buffer.concat(received),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
