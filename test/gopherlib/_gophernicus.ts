/**
 * Debian's gophernicus for the interop tests. gophernicus is an inetd
 * service: it serves one request on its standard input and output and
 * exits. There is no daemon mode, so this is the inetd: a loopback
 * listener (node:net, port 0) that spawns `/usr/sbin/gophernicus` for each
 * connection with the accepted socket as its stdin and stdout (Node
 * duplicates the socket's descriptor into the child, as inetd does), so
 * gophernicus sees the real peer address.
 *
 * Flags: `-r ROOT` the folder, `-h 127.0.0.1 -p PORT` what its menus
 * announce, `-nr` (tests run as root, which gophernicus refuses by
 * default), `-ns` no syslog, `-nm` no shared memory (nothing left behind),
 * `-nv` no virtual hosts, `-nh -nf -nd -nl` no menu header, footer, dates
 * or parent link, so its menus list only the folder.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Socket } from "node:net";

/** Where Debian installs it. */
export const GOPHERNICUS = "/usr/sbin/gophernicus";

/** True when gophernicus is installed. */
export function hasGophernicus(): boolean {
  return existsSync(GOPHERNICUS);
}

/** Starts the accept loop serving `root`; resolves with its port and a stop function (kills what still runs). */
export async function startGophernicus(root: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const children = new Set<ReturnType<typeof spawn>>();
  let port = 0;
  const server = createServer({ pauseOnConnect: true }, (sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    const child = spawn(
      GOPHERNICUS,
      [
        "-r",
        root,
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-nr",
        "-ns",
        "-nm",
        "-nv",
        "-nh",
        "-nf",
        "-nd",
        "-nl",
      ],
      { stdio: [sock, sock, "ignore"] },
    );
    children.add(child);
    child.on("error", () => sock.destroy());
    child.on("exit", () => {
      children.delete(child);
      // The child wrote through its own copy of the descriptor; ours closes now.
      sock.destroy();
      sockets.delete(sock);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const child of children) child.kill("SIGKILL");
        for (const sock of sockets) sock.destroy();
        server.close(() => resolve());
      }),
  };
}
