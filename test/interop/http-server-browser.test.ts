/**
 * A real browser against `netkit http.server` run as a user runs it (a child
 * process through tsx): headless Chromium, driven by playwright-core, reads
 * the directory listing (title and link texts as python3 shows them, and the
 * same as python3's own http.server shows for the same folder), follows a
 * link into a folder whose name needs escaping, downloads a binary file by
 * clicking it (bytes compared by SHA-256), revalidates a file on reload
 * (304: If-Modified-Since over HTTP/1.0, If-None-Match with -p HTTP/1.1), plays an <audio> element (the browser's own Range request: 206), and
 * submits a multipart/form-data form (text field and file upload) to a CGI
 * script written with netkit's FieldStorage, run by `http.server --cgi`.
 * A screenshot of each listing is kept under test-artifacts/http-server-browser/.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { writeCgiScript } from "../_support/cgi-script.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON } from "../_support/python.js";

const CHROMIUM = process.env.NETKIT_CHROMIUM ?? "/usr/bin/chromium";
const skip = peerSkip("chromium", existsSync(CHROMIUM) && hasCommand(CHROMIUM, ["--version"]));
const pySkip = skip || peerSkip("python3", hasCommand(PYTHON));

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "src/cli/main.ts");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const FORM_CGI = fileURLToPath(new URL("./fixtures/browser/form-cgi.ts", import.meta.url));
const ARTIFACTS = join(ROOT, "test-artifacts", "http-server-browser");

/** Bounds for every wait on the browser and the servers: guards against hangs, generous for a busy machine. */
const STEP_MS = 60_000;
/** Bound for each test (several steps). */
const TEST_MS = 240_000;

const SUB = "sub & <dir> ñé";
const SUB_HREF = "sub%20%26%20%3Cdir%3E%20%C3%B1%C3%A9/";
const UNICODE_FILE = "ünïcode name.txt";
const OUTSIDE_LINK = "leads-outside.txt";
const HELLO = "hello from netkit's http.server\n";
const INNER = "inside the folder with an awkward name\n";

/** Swallows the rejection of a header look-up that ends after its page closed (the checks then fail). */
const noop = () => {};
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A mono 8-bit PCM WAV file of `seconds` seconds of a 440 Hz tone. */
function wav(seconds: number, rate = 8000): Buffer {
  const n = seconds * rate;
  const b = Buffer.alloc(44 + n);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(36 + n, 4);
  b.write("WAVEfmt ", 8, "latin1");
  b.writeUInt32LE(16, 16); // fmt chunk size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // channels
  b.writeUInt32LE(rate, 24); // sample rate
  b.writeUInt32LE(rate, 28); // byte rate
  b.writeUInt16LE(1, 32); // block align
  b.writeUInt16LE(8, 34); // bits per sample
  b.write("data", 36, "latin1");
  b.writeUInt32LE(n, 40);
  for (let i = 0; i < n; i++) b[44 + i] = 128 + Math.round(100 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return b;
}

/** A server child process: its base URL, what it logged, and a bounded stop. */
interface Served {
  base: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGINT, then SIGKILL if it has not exited within STEP_MS; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns `command args` and waits (bounded) for its "Serving HTTP on 127.0.0.1 port N" line. */
async function startServer(command: string, args: string[]): Promise<Served> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), STEP_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Serving HTTP" line in ${STEP_MS} ms`)), STEP_MS);
      const check = () => {
        const m = /^Serving HTTP on 127\.0\.0\.1 port (\d+) \(http:\/\/127\.0\.0\.1:\d+\/\) \.\.\.\n/.exec(
          out,
        );
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on("data", check);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${command} exited (${code}) before serving:\n${out}\n${err}`));
      });
    });
    return { base: `http://127.0.0.1:${port}`, child, stdout: () => out, stderr: () => err, stop };
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
}

/** `netkit http.server 0 -b 127.0.0.1 -d dir [...extra]` through tsx, as a user runs it. */
function startNetkit(dir: string, extra: string[] = []): Promise<Served> {
  return startServer(process.execPath, [
    TSX,
    MAIN,
    "http.server",
    "0",
    "-b",
    "127.0.0.1",
    "-d",
    dir,
    ...extra,
  ]);
}

/** What a reader sees of a listing page: title, heading, and each link's text and href. */
async function readListing(page: Page): Promise<{ title: string; h1: string | null; links: string[][] }> {
  const anchors = page.locator("ul > li > a");
  const texts = await anchors.allTextContents();
  const hrefs = await anchors.evaluateAll((els) => els.map((e) => e.getAttribute("href") ?? ""));
  return {
    title: await page.title(),
    h1: await page.locator("h1").textContent(),
    links: texts.map((t, i) => [t, hrefs[i]!]),
  };
}

/** Screenshot of the page kept as a test artifact; checks it is a PNG. */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true, timeout: STEP_MS });
  const png = await readFile(path);
  assert.ok(png.length > 1000, `${path}: ${png.length} bytes`);
  assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a");
}

describe("a real browser (headless Chromium) against netkit http.server", { skip, timeout: 600_000 }, () => {
  let tmp = "";
  let www = "";
  let cgiRoot = "";
  let bin: Buffer;
  let tone: Buffer;
  let files: Served | undefined;
  let files11: Served | undefined;
  let cgi: Served | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  before(
    async () => {
      tmp = await mkdtemp(join(tmpdir(), "netkit-httpd-browser-"));
      // The CGI script runs as nobody when the tests run as root: it must reach its files.
      await chmod(tmp, 0o755);
      www = join(tmp, "www");
      await mkdir(join(www, SUB, "deeper"), { recursive: true });
      await writeFile(join(www, "hello.txt"), HELLO);
      await writeFile(join(www, SUB, "inner.txt"), INNER);
      await writeFile(join(www, SUB, UNICODE_FILE), "ü\n");
      await symlink("hello.txt", join(www, "link-to-hello.txt"));
      // A link that leads out of the served folder: netkit leaves it out of the listing (it answers 404).
      await writeFile(join(tmp, "outside.txt"), "not served\n");
      await symlink(join(tmp, "outside.txt"), join(www, SUB, "deeper", OUTSIDE_LINK));
      bin = randomBytes(300 * 1024 + 17);
      await writeFile(join(www, "random.bin"), bin);
      tone = wav(2);
      await writeFile(join(www, "tone.wav"), tone);
      await writeFile(
        join(www, "player.html"),
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>player</title></head>\n' +
          '<body><audio id="a" src="tone.wav" preload="auto" controls></audio></body></html>\n',
      );

      cgiRoot = join(tmp, "cgi");
      await mkdir(join(cgiRoot, "cgi-bin"), { recursive: true });
      await writeFile(
        join(cgiRoot, "form.html"),
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>upload</title></head><body>\n' +
          '<form method="post" enctype="multipart/form-data" action="/cgi-bin/form.mjs">\n' +
          '<input type="text" id="comment" name="comment">\n' +
          '<input type="file" id="upload" name="upload">\n' +
          '<button type="submit" id="send">Send</button>\n' +
          "</form></body></html>\n",
      );
      for (const path of [cgiRoot, join(cgiRoot, "cgi-bin")]) {
        await chmod(path, 0o755);
      }
      // The netkit FieldStorage script in fixtures/browser/form-cgi.ts, bundled into one file that
      // needs nothing from the clone (run as nobody, the script may not be able to read it).
      await writeCgiScript(join(cgiRoot, "cgi-bin", "form.mjs"), `import ${JSON.stringify(FORM_CGI)};`);

      // Settled one by one, so after() stops those that started when another did not.
      const servers = await Promise.allSettled([
        startNetkit(www),
        startNetkit(www, ["-p", "HTTP/1.1"]),
        startNetkit(cgiRoot, ["--cgi"]),
      ]);
      [files, files11, cgi] = servers.map((r) => (r.status === "fulfilled" ? r.value : undefined));
      for (const r of servers) if (r.status === "rejected") throw r.reason;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-dev-shm-usage"],
        timeout: STEP_MS,
      });
      context = await browser.newContext({ acceptDownloads: true, viewport: { width: 800, height: 600 } });
      context.setDefaultTimeout(STEP_MS);
      context.setDefaultNavigationTimeout(STEP_MS);
    },
    { timeout: 3 * STEP_MS },
  );

  after(
    async () => {
      let timer: NodeJS.Timeout | undefined;
      const closing = browser
        ? Promise.race([
            browser.close(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`browser.close() took over ${STEP_MS} ms`)), STEP_MS);
            }),
          ]).finally(() => clearTimeout(timer))
        : undefined;
      const results = await Promise.allSettled([closing, files?.stop(), files11?.stop(), cgi?.stop()]);
      if (tmp) await rm(tmp, { recursive: true, force: true });
      for (const r of results) if (r.status === "rejected") throw r.reason;
    },
    { timeout: 2 * STEP_MS },
  );

  test("listing, link into an escaped folder, a file, and a download by click", {
    timeout: TEST_MS,
  }, async () => {
    const page = await context!.newPage();
    try {
      const response = await page.goto(`${files!.base}/`);
      assert.equal(response?.status(), 200);
      assert.equal(response?.headers()["content-type"], "text/html; charset=utf-8");
      assert.deepEqual(await readListing(page), {
        title: "Directory listing for /",
        h1: "Directory listing for /",
        links: [
          ["hello.txt", "hello.txt"],
          ["link-to-hello.txt@", "link-to-hello.txt"],
          ["player.html", "player.html"],
          ["random.bin", "random.bin"],
          [`${SUB}/`, SUB_HREF],
          ["tone.wav", "tone.wav"],
        ],
      });
      await keepScreenshot(page, "listing.png");

      await page.getByRole("link", { name: `${SUB}/`, exact: true }).click();
      await page.waitForURL(`${files!.base}/${SUB_HREF}`);
      assert.equal(page.url(), `${files!.base}/${SUB_HREF}`);
      assert.deepEqual(await readListing(page), {
        title: `Directory listing for /${SUB}/`,
        h1: `Directory listing for /${SUB}/`,
        links: [
          ["deeper/", "deeper/"],
          ["inner.txt", "inner.txt"],
          [UNICODE_FILE, "%C3%BCn%C3%AFcode%20name.txt"],
        ],
      });
      await keepScreenshot(page, "listing-sub.png");

      // A folder link without its slash is redirected (301) to the one with it.
      await page.goto(`${files!.base}/${SUB_HREF}deeper`);
      assert.equal(page.url(), `${files!.base}/${SUB_HREF}deeper/`);
      assert.equal(await page.title(), `Directory listing for /${SUB}/deeper/`);
      assert.deepEqual((await readListing(page)).links, [], "the link leading outside is not listed");
      const outside = await page.goto(`${files!.base}/${SUB_HREF}deeper/${OUTSIDE_LINK}`);
      assert.equal(outside?.status(), 404);
      await page.goBack();
      await page.goBack();

      const [fileResponse] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/inner.txt")),
        page.getByRole("link", { name: "inner.txt", exact: true }).click(),
      ]);
      assert.equal(fileResponse.status(), 200);
      assert.equal(fileResponse.headers()["content-type"], "text/plain");
      assert.equal(await page.locator("body > pre").textContent(), INNER);

      await page.goto(`${files!.base}/`);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "random.bin", exact: true }).click(),
      ]);
      assert.equal(download.suggestedFilename(), "random.bin");
      assert.equal(await download.failure(), null);
      const got = await readFile(await download.path());
      assert.equal(got.length, bin.length);
      assert.equal(sha256(got), sha256(bin));
    } finally {
      await page.close();
    }
    const log = files!.stderr();
    assert.match(log, /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/random\.bin HTTP\/1\.1" 200 -$/m);
    assert.match(log, /"GET \/sub%20%26%20%3Cdir%3E%20%C3%B1%C3%A9\/deeper HTTP\/1\.1" 301 -$/m);
  });

  test("a reload revalidates the file: the browser's conditional GET gets 304", {
    timeout: TEST_MS,
  }, async () => {
    // HTTP/1.0 (http.server's default -p): Chromium ignores ETags on HTTP/1.0 responses and
    // revalidates with If-Modified-Since; with -p HTTP/1.1 it sends If-None-Match.
    for (const [served, validator] of [
      [files!, "if-modified-since"],
      [files11!, "if-none-match"],
    ] as const) {
      const page = await context!.newPage();
      const sent: Array<Record<string, string>> = [];
      const pending: Array<Promise<unknown>> = [];
      page.on("request", (r) => {
        if (r.url().endsWith("/hello.txt")) pending.push(r.allHeaders().then((h) => sent.push(h), noop));
      });
      let expected: string | undefined;
      try {
        const first = await page.goto(`${served.base}/hello.txt`);
        assert.equal(first?.status(), 200);
        assert.match(first?.headers().etag ?? "", /^"[^"]+"$/);
        assert.ok(first?.headers()["last-modified"]);
        expected = first?.headers()[validator === "if-none-match" ? "etag" : "last-modified"];
        await page.reload();
        assert.equal(await page.locator("body > pre").textContent(), HELLO);
        await Promise.all(pending);
      } finally {
        await page.close();
      }
      assert.equal(sent.length, 2, JSON.stringify(sent));
      assert.equal(sent[0]![validator], undefined);
      assert.equal(sent[1]![validator], expected, JSON.stringify(sent));
      const log = served.stderr();
      assert.match(log, /"GET \/hello\.txt HTTP\/1\.1" 200 -$/m);
      assert.match(log, /"GET \/hello\.txt HTTP\/1\.1" 304 -$/m);
    }
  });

  test("an <audio> element loads the file with the browser's own Range request (206)", {
    timeout: TEST_MS,
  }, async () => {
    const page = await context!.newPage();
    const seen: Array<{ range: string | undefined; status: number; contentRange: string | undefined }> = [];
    const pending: Array<Promise<unknown>> = [];
    page.on("response", (r) => {
      if (!r.url().endsWith("/tone.wav")) return;
      pending.push(
        r
          .request()
          .allHeaders()
          .then(
            (h) =>
              seen.push({ range: h.range, status: r.status(), contentRange: r.headers()["content-range"] }),
            noop,
          ),
      );
    });
    try {
      await page.goto(`${files!.base}/player.html`);
      await page.waitForFunction("document.getElementById('a').readyState >= 1", undefined, {
        timeout: STEP_MS,
      });
      const duration = (await page.evaluate("document.getElementById('a').duration")) as number;
      assert.ok(Math.abs(duration - 2) < 0.01, `duration ${duration}`);
      await Promise.all(pending);
    } finally {
      await page.close();
    }
    const partial = seen.filter((s) => s.status === 206);
    assert.ok(partial.length > 0, JSON.stringify(seen));
    for (const s of partial) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(s.range ?? "");
      assert.ok(m, JSON.stringify(s));
      const start = Number(m[1]);
      const end = m[2] ? Math.min(Number(m[2]), tone.length - 1) : tone.length - 1;
      assert.equal(s.contentRange, `bytes ${start}-${end}/${tone.length}`);
    }
    assert.match(files!.stderr(), /"GET \/tone\.wav HTTP\/1\.1" 206 -$/m);
  });

  test("a multipart/form-data form with a file, posted to a netkit FieldStorage CGI script", {
    timeout: TEST_MS,
  }, async () => {
    const upload = randomBytes(700 * 1024 + 3);
    const comment = `héllo & <wörld> "quoted" 'single' 100% + ☃`;
    const filename = "données ☃.bin";
    const page = await context!.newPage();
    try {
      await page.goto(`${cgi!.base}/form.html`);
      await page.locator("#comment").fill(comment);
      await page
        .locator("#upload")
        .setInputFiles({ name: filename, mimeType: "application/x-test", buffer: upload });
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/cgi-bin/form.mjs")),
        page.locator("#send").click(),
      ]);
      await page.waitForURL(`${cgi!.base}/cgi-bin/form.mjs`);
      const request = response.request();
      assert.equal(request.method(), "POST");
      assert.match((await request.allHeaders())["content-type"] ?? "", /^multipart\/form-data; boundary=/);
      assert.equal(response.status(), 200, `${await response.text()}\n${cgi!.stderr()}`);
      assert.equal(response.headers()["content-type"], "text/html; charset=utf-8");
      assert.equal(await page.title(), "Form received");
      const field = async (id: string) => page.locator(`#${id}`).textContent();
      assert.equal(await field("method"), "POST");
      assert.equal(await field("content-type"), "multipart/form-data");
      assert.equal(await field("keys"), JSON.stringify(["comment", "upload"]));
      assert.equal(await field("comment"), comment);
      assert.equal(await field("filename"), filename);
      assert.equal(await field("file-type"), "application/x-test");
      assert.equal(await field("size"), String(upload.length));
      assert.equal(await field("sha256"), sha256(upload));
      assert.equal(await field("spilled"), "true");
    } finally {
      await page.close();
    }
    assert.match(cgi!.stderr(), /"POST \/cgi-bin\/form\.mjs HTTP\/1\.1" 200 -$/m);
  });

  test("the listings look the same in the browser when python3's http.server serves the folder", {
    skip: pySkip,
    timeout: TEST_MS,
  }, async () => {
    const py = await startServer(PYTHON, ["-u", "-m", "http.server", "0", "-b", "127.0.0.1", "-d", www]);
    const page = await context!.newPage();
    try {
      for (const path of ["/", `/${SUB_HREF}`, `/${SUB_HREF}deeper/`]) {
        await page.goto(`${py.base}${path}`);
        const theirs = await readListing(page);
        await page.goto(`${files!.base}${path}`);
        const ours = await readListing(page);
        // The one deliberate difference: python3 lists the link that leads outside (and serves it).
        const outside = theirs.links.findIndex(([text]) => text === `${OUTSIDE_LINK}@`);
        if (path.endsWith("deeper/")) assert.notEqual(outside, -1, "python3 lists the link leading outside");
        if (outside !== -1) theirs.links.splice(outside, 1);
        assert.deepEqual(ours, theirs, path);
      }
    } finally {
      await page.close();
      await py.stop();
    }
  });
});
