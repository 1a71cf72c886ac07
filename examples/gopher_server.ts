/**
 * A Gopher server for a folder, with a gophermap: the server half of the
 * tutorial's "client/server model" for Gopher ("a menu-driven information
 * service"). `makeSite` writes a small gopherspace (a gophermap, a text, a
 * subfolder listed without one); `main` serves it, or `--dir DIR`, until
 * Ctrl-C:
 *
 *     npx tsx examples/gopher_server.ts --port 7070
 *     npx tsx examples/gopher_client.ts --port 7070     (or: curl gopher://127.0.0.1:7070/, lynx gopher://127.0.0.1:7070/)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GopherServer, infoItem, type MenuItem } from "../src/gopherlib/index.js";
import { serveUntilInterrupted } from "../src/socketserver/index.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Writes a small gopherspace into a new temp folder; returns the folder. */
export function makeSite(): string {
  const dir = mkdtempSync(join(tmpdir(), "netkit-gopherspace-"));
  writeFileSync(
    join(dir, "gophermap"),
    [
      "!netkit's gopherspace",
      "Lines without a TAB are info lines.",
      "0About this server\tabout.txt",
      "7Search the titles\t/search",
      "1Documents\tdocs/",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "about.txt"),
    "This server is netkit/gopherlib's GopherServer.\n.A line starting with a dot travels stuffed.\n",
  );
  mkdirSync(join(dir, "docs"));
  writeFileSync(join(dir, "docs", "rfc1436.txt"), "The Internet Gopher Protocol.\n");
  writeFileSync(join(dir, "docs", "rfc4266.txt"), "The gopher URI Scheme.\n");
  return dir;
}

/** The server for `dir` on `host`:`port`, answering type 7 searches with the text files whose first line holds the query. */
export function buildServer(dir: string, host: string, port: number): GopherServer {
  const server: GopherServer = new GopherServer([host, port], {
    directory: dir,
    search: (_selector, query) => {
      const found: MenuItem[] = [];
      for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
        if (!name.endsWith(".txt")) continue;
        const title = readFileSync(join(dir, name), "utf8").split("\n", 1)[0]!;
        if (!title.toLowerCase().includes(query.toLowerCase())) continue;
        const [host, port] = [server.hostname, server.announcedPort];
        found.push({ type: "0", display: title, selector: `/${name}`, host, port, plus: "", extra: [] });
      }
      return found.length > 0 ? found : [infoItem(`No title holds "${query}".`)];
    },
  });
  return server;
}

/** Command-line entry: `gopher_server [--host HOST] [--port PORT] [--dir DIR]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 7070 },
    { dir: { type: "string" } },
  );
  const dir = typeof values.dir === "string" ? values.dir : makeSite();
  const server = buildServer(dir, host, port);
  await server.ready;
  try {
    await serveUntilInterrupted(server, {
      onServing: () => console.log(`Serving ${dir} on gopher://${host}:${server.serverAddress[1]}/ ...`),
    });
  } finally {
    await server.serverClose();
  }
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
