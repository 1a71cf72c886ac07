/**
 * The asynchronous chat server of "Beginning Python" (the book the tutorial
 * follows; its chat project, "A Virtual Tea Party", builds on asyncore and
 * asynchat), in netkit. One process serves every client on the event loop:
 * each line a client sends goes to every client connected, prefixed with its
 * sender's name; `/name NAME` sets the name, `/quit` leaves.
 *
 * Python (the book's first chat server):
 * ```python
 * class ChatSession(async_chat):
 *     def __init__(self, server, sock):
 *         async_chat.__init__(self, sock)
 *         self.server = server
 *         self.set_terminator(b"\r\n")
 *         self.data = []
 *         self.push(b'Welcome to %s\r\n' % self.server.name)
 *     def collect_incoming_data(self, data):
 *         self.data.append(data)
 *     def found_terminator(self):
 *         line = b''.join(self.data)
 *         self.data = []
 *         self.server.broadcast(line)
 *     def handle_close(self):
 *         async_chat.handle_close(self)
 *         self.server.disconnect(self)
 *
 * class ChatServer(dispatcher):
 *     def __init__(self, port, name):
 *         dispatcher.__init__(self)
 *         self.create_socket(socket.AF_INET, socket.SOCK_STREAM)
 *         self.set_reuse_addr()
 *         self.bind(('', port))
 *         self.listen(5)
 *         self.name = name
 *         self.sessions = []
 *     def disconnect(self, session):
 *         self.sessions.remove(session)
 *     def broadcast(self, line):
 *         for session in self.sessions:
 *             session.push(line + b'\r\n')
 *     def handle_accept(self):
 *         conn, addr = self.accept()
 *         self.sessions.append(ChatSession(self, conn))
 *
 * if __name__ == '__main__':
 *     s = ChatServer(PORT, NAME)
 *     try: asyncore.loop()
 *     except KeyboardInterrupt: print()
 * ```
 *
 * Run: `npx tsx examples/async_chat_server.ts [--host H] [--port P]`, then
 * `telnet localhost 5005` (or `nc`) from two terminals.
 */

import { async_chat } from "../src/asynchat/index.js";
import { closeAll, dispatcher, loop } from "../src/asyncore/index.js";
import type { Socket } from "../src/socket/index.js";
import { isMain, parseEndpoint } from "./_args.js";

const CRLF = Buffer.from("\r\n");

/** One client: lines in, broadcast out. */
export class ChatSession extends async_chat {
  readonly #data: Buffer[] = [];
  /** The name shown before this client's lines. */
  name: string;

  constructor(
    readonly server: ChatServer,
    sock: Socket,
  ) {
    super(sock, server.map);
    this.setTerminator(CRLF);
    const [host, port] = this.addr as [string, number];
    this.name = `${host}:${port}`;
    this.push(Buffer.from(`Welcome to ${server.name}\r\n`));
  }

  override collectIncomingData(data: Buffer): void {
    this.#data.push(data);
  }

  override foundTerminator(): void {
    const line = Buffer.concat(this.#data.splice(0)).toString("utf8");
    if (line.startsWith("/name ")) {
      const old = this.name;
      this.name = line.slice(6).trim() || old;
      this.server.broadcast(`* ${old} is now ${this.name}`);
    } else if (line === "/quit") {
      this.push(Buffer.from("Goodbye\r\n"));
      this.closeWhenDone();
    } else {
      this.server.broadcast(`${this.name}: ${line}`);
    }
  }

  override handleClose(): void {
    super.handleClose();
    this.server.disconnect(this);
  }
}

/** The listening socket: one ChatSession per client. */
export class ChatServer extends dispatcher {
  readonly sessions: ChatSession[] = [];

  constructor(
    host: string,
    port: number,
    readonly name: string,
    readonly map: Map<number, dispatcher> = new Map(),
  ) {
    super(null, map);
    this.createSocket();
    this.setReuseAddr();
    void this.bind([host, port]);
    void this.listen(5);
  }

  disconnect(session: ChatSession): void {
    const i = this.sessions.indexOf(session);
    if (i >= 0) this.sessions.splice(i, 1);
  }

  broadcast(line: string): void {
    const data = Buffer.from(`${line}\r\n`);
    for (const session of this.sessions) session.push(data);
  }

  override handleAccept(): void {
    const pair = this.accept();
    if (pair !== null) this.sessions.push(new ChatSession(this, pair[0]));
  }
}

/** Serves until interrupted; prints the address first. */
export async function main(argv: string[]): Promise<void> {
  const { host, port } = parseEndpoint(argv, { host: "127.0.0.1", port: 5005 });
  const server = new ChatServer(host, port, "TestChat");
  await server.ready;
  const [, bound] = server.socket!.getsockname() as [string, number];
  console.log(`TestChat serving on ${host} port ${bound}`);
  // The loop runs while any channel is open: a signal closes them all.
  const stop = (): void => closeAll(server.map);
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await loop({ map: server.map, timeout: 30 });
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
