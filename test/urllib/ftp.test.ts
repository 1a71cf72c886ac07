/**
 * `ftp:` URLs through urllib.request (FTPHandler, CacheFTPHandler,
 * urlretrieve) against python3-pyftpdlib, compared with python3's urllib on
 * the same URLs: the body, the headers, and the errors.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildOpener, CacheFTPHandler, URLError, urlopen, urlretrieve } from "../../src/urllib/request.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";
import {
  type FtpServer,
  HAS_PYFTPDLIB,
  PASSWORD,
  putDir,
  putFile,
  startPyftpdlib,
  USER,
} from "../ftplib/_peers.js";

type Got = { body: string; headers: [string, string][] } | { err: string };

const PY = `
import json, sys, urllib.request
out = []
for url in json.load(sys.stdin):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            out.append({'body': r.read().decode('latin-1'), 'headers': [[k, v] for k, v in r.headers.items()]})
    except Exception as e:
        out.append({'err': type(e).__name__ + ': ' + str(e)})
print(json.dumps(out))
`;

async function netkit(url: string): Promise<Got> {
  try {
    await using res = await urlopen(url, { timeout: 30 });
    return { body: (await res.read()).toString("latin1"), headers: [...res.headers.items()] };
  } catch (err) {
    if (!(err instanceof URLError)) throw err;
    return { err: `URLError: ${err.message}` };
  }
}

describe("urlopen() of ftp: URLs (pyftpdlib)", {
  skip: peerSkip("python3-pyftpdlib", HAS_PYFTPDLIB && hasCommand(PYTHON)),
}, () => {
  let server: FtpServer;
  let base: string;
  before(async () => {
    server = await startPyftpdlib("normal");
    putDir(server, "pub");
    putDir(server, "pub/sub dir");
    putFile(server, "pub/readme.txt", "line one\r\nline two\n");
    putFile(server, "pub/page.html", "<p>hi</p>");
    putFile(server, "pub/sub dir/data.bin", Buffer.from([0, 1, 2, 255, 13, 10]));
    base = `ftp://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.stop();
  });

  test("urlopen() gives python3's body, headers and errors for files, listings, ;type= and user:pass", async () => {
    const urls = [
      `${base}/pub/readme.txt`,
      `${base}/pub/page.html`,
      `${base}/pub/sub%20dir/data.bin`,
      `${base}/pub/readme.txt;type=a`,
      `${base}/pub/readme.txt;type=i`,
      `${base}/pub/sub%20dir;type=d`,
      `${base}/pub/sub%20dir`,
      `ftp://${USER}:${PASSWORD}@127.0.0.1:${server.port}/pub/readme.txt`,
      `ftp://${USER}:wrong@127.0.0.1:${server.port}/pub/readme.txt`,
      `${base}/pub/missing.txt`,
      `${base}/nowhere/file.txt`,
    ];
    const py = await python<Got[]>(PY, urls);
    for (const [i, url] of urls.entries()) {
      const nk = await netkit(url);
      assert.deepEqual(nk, py[i], `${url}\npython: ${JSON.stringify(py[i])}\nnetkit: ${JSON.stringify(nk)}`);
    }
    assert.equal((py[0] as { body: string }).body, "line one\r\nline two\n");
  });

  test("urlretrieve() copies an ftp: file", async () => {
    const target = join(tmpdir(), `netkit-ftp-${process.pid}.bin`);
    try {
      const [path, headers] = await urlretrieve(`${base}/pub/sub%20dir/data.bin`, target);
      assert.equal(path, target);
      assert.deepEqual(readFileSync(target), Buffer.from([0, 1, 2, 255, 13, 10]));
      assert.equal(headers.get("content-type"), "application/octet-stream");
    } finally {
      rmSync(target, { force: true });
    }
  });

  test("CacheFTPHandler keeps one connection for URLs in the same directory", async () => {
    const cache = new CacheFTPHandler();
    const opener = buildOpener(cache);
    try {
      for (const name of ["readme.txt", "page.html", "readme.txt"]) {
        await using res = await opener.open(`${base}/pub/${name}`, { timeout: 30 });
        assert.ok((await res.read()).length > 0);
      }
      assert.equal(cache.cache.size, 1);
    } finally {
      await cache.clearCache();
    }
  });
});
