/** examples/http_server.ts: its API routes and static files, over loopback, with python3's urllib as the client. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { App, startApp } from "../../examples/http_server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const PY = `
import json, sys, urllib.request
port = json.load(sys.stdin)
base = f"http://127.0.0.1:{port}"
out = {}
with urllib.request.urlopen(base + "/api/time", timeout=10) as r: out["time"] = json.loads(r.read())
req = urllib.request.Request(base + "/api/echo", data="héllo".encode(), method="POST")
with urllib.request.urlopen(req, timeout=10) as r: out["echo"] = json.loads(r.read())
with urllib.request.urlopen(base + "/static.txt", timeout=10) as r: out["static"] = r.read().decode()
print(json.dumps(out))
`;

test("examples/http_server.ts serves its API and static files", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "netkit-example-http-"));
  writeFileSync(join(dir, "static.txt"), "static file\n");
  App.prototype.logMessage = () => {};
  const httpd = await startApp("127.0.0.1", 0, dir);
  const serving = httpd.serveForever(0.05);
  try {
    const out = await python<{ time: { now: string }; echo: { received: string }; static: string }>(
      PY,
      httpd.serverAddress[1],
    );
    assert.ok(Math.abs(Date.parse(out.time.now) - Date.now()) < 60_000);
    assert.deepEqual(out.echo, { received: "héllo" });
    assert.equal(out.static, "static file\n");
  } finally {
    await httpd.shutdown();
    await serving;
    await httpd.serverClose();
    rmSync(dir, { recursive: true, force: true });
  }
});
