/**
 * examples/ftplib_client.ts: logs in to pyftpdlib (anonymous, then a user,
 * then over FTPS), lists the folder with MLSD and fetches a file byte for byte.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ftpClient } from "../../examples/ftplib_client.js";
import { peerSkip } from "../_support/peers.js";
import { HAS_PYFTPDLIB, PASSWORD, putDir, putFile, startPyftpdlib, USER } from "../ftplib/_peers.js";

test("examples/ftplib_client.ts lists a folder and fetches a file from pyftpdlib", {
  skip: peerSkip("python3-pyftpdlib", HAS_PYFTPDLIB),
}, async () => {
  const server = await startPyftpdlib("normal");
  const into = await mkdtemp(join(tmpdir(), "netkit-ftp-example-"));
  try {
    putDir(server, "pub");
    putDir(server, "pub/docs");
    const data = Buffer.alloc(200_000, 0xa5);
    putFile(server, "pub/big.bin", data);
    const lines = await ftpClient(server.host, server.port, { dir: "pub", file: "big.bin", into });
    assert.match(lines[1]!, /^230 /);
    assert.deepEqual(
      lines.slice(2).sort(),
      ["Fetched big.bin: 200000 bytes", "dir        4096 docs", "file     200000 big.bin"].sort(),
    );
    assert.deepEqual(await readFile(join(into, "big.bin")), data);
    const asUser = await ftpClient(server.host, server.port, { user: USER, password: PASSWORD, dir: "pub" });
    assert.match(asUser[1]!, /^230 /);
  } finally {
    await server.stop();
    await rm(into, { recursive: true, force: true });
  }
});
