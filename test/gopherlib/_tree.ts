/**
 * A served folder for the Gopher tests, made in a temp folder: a menu, a
 * text with dot lines, a binary with every byte value, a subfolder, a
 * gophermap folder, a dotfile and a link leading out of the root.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GopherServer } from "../../src/gopherlib/server.js";

/** Every byte value, twice over, then a "." line's bytes: a binary no text reading leaves whole. */
export const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)),
  Buffer.from("\r\n.\r\n"),
]);
/** A text whose lines start with dots (stuffed on the wire) and end in LF. */
export const TEXT = "Hello, Gopher.\n.hidden line\n..two dots\n.\nlast line\n";
/** The same text as lines, as a client reads them back. */
export const TEXT_LINES = ["Hello, Gopher.", ".hidden line", "..two dots", ".", "last line"];

/** Makes the tree; returns its root (with `outside`, a folder beside it) and a cleanup. */
export function makeTree(): { root: string; outside: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), "netkit-gopher-"));
  const root = join(base, "root");
  const outside = join(base, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "not for you\n");
  writeFileSync(join(root, "hello.txt"), TEXT);
  writeFileSync(join(root, "blob.bin"), BINARY);
  writeFileSync(join(root, ".hidden.txt"), "hidden\n");
  mkdirSync(join(root, "sub"));
  writeFileSync(join(root, "sub", "inner.txt"), "inner\n");
  mkdirSync(join(root, "mapped"));
  writeFileSync(
    join(root, "mapped", "gophermap"),
    "!Mapped folder\nWelcome to the mapped folder.\n0Hello\t/hello.txt\n1Up\t/\n-hidden.txt\n*\n",
  );
  writeFileSync(join(root, "mapped", "hidden.txt"), "hidden by the map\n");
  writeFileSync(join(root, "mapped", "shown.txt"), "shown\n");
  symlinkSync(outside, join(root, "escape"));
  symlinkSync(join(outside, "secret.txt"), join(root, "secret-link.txt"));
  symlinkSync(join(root, "hello.txt"), join(root, "inside-link.txt"));
  return { root, outside, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Runs `fn` with `server` listening and serving, then stops and closes it (even when `fn` throws). */
export async function whileServing(server: GopherServer, fn: (port: number) => Promise<void>): Promise<void> {
  try {
    await server.ready;
    const serving = server.serveForever(0.05);
    try {
      await fn(server.serverAddress[1] as number);
    } finally {
      await server.shutdown();
      await serving;
    }
  } finally {
    await server.serverClose();
  }
}
