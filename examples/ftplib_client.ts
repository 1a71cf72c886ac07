/**
 * Fetching from an FTP server with netkit's ftplib, as Python's `ftplib`
 * documentation does it:
 *
 * ```python
 * with FTP("ftp.example.org") as ftp:
 *     ftp.login()                      # anonymous
 *     ftp.cwd("pub")
 *     ftp.retrlines("LIST")
 *     with open("README", "wb") as fp:
 *         ftp.retrbinary("RETR README", fp.write)
 * ```
 *
 * Start a server, then run the example: `python3 -m pyftpdlib -p 2121`
 * (Debian's python3-pyftpdlib serves the current folder to anonymous), then
 * `npx tsx examples/ftplib_client.ts --port 2121 --file README.md`
 * (`--host` for another machine, `--user`/`--password` to log in, `--tls`
 * for explicit FTPS, `--debug` to see the FTP dialogue).
 */
import { createWriteStream } from "node:fs";
import { basename, join } from "node:path";
import { FTP, FTP_TLS } from "../src/ftplib/index.js";
import { isMain, parseEndpoint } from "./_args.js";

/** What to do: where to log in, which folder to list, which file to fetch. */
export interface FtpClientOptions {
  user?: string;
  password?: string;
  dir?: string;
  file?: string;
  tls?: boolean;
  debug?: boolean;
  /** The folder the file goes into. @default the current one */
  into?: string;
}

/**
 * Logs in, lists `dir` (MLSD: name, type and size), and fetches `file`
 * into the current folder; resolves with the lines the program prints.
 */
export async function ftpClient(
  host: string,
  port: number,
  options: FtpClientOptions = {},
): Promise<string[]> {
  const lines: string[] = [];
  const ftp = options.tls ? new FTP_TLS({ timeout: 30 }) : new FTP({ timeout: 30 });
  await using _ = ftp;
  if (options.debug) ftp.setDebuglevel(1);
  await ftp.connect(host, port);
  lines.push(ftp.getwelcome()?.split("\n")[0] ?? "");
  lines.push(await ftp.login(options.user ?? "", options.password ?? "")); // anonymous by default
  if (ftp instanceof FTP_TLS) await ftp.protP(); // the listings and files go over TLS too
  if (options.dir) await ftp.cwd(options.dir);
  for (const [name, facts] of await ftp.mlsd("", ["type", "size"])) {
    if (facts.type === "file" || facts.type === "dir")
      lines.push(`${facts.type.padEnd(4)} ${(facts.size ?? "").padStart(10)} ${name}`);
  }
  if (options.file) {
    const out = createWriteStream(join(options.into ?? ".", basename(options.file)));
    let bytes = 0;
    await ftp.retrbinary(
      `RETR ${options.file}`,
      (block) => {
        bytes += block.length;
        out.write(block);
      },
      { blocksize: 64 * 1024 },
    );
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    lines.push(`Fetched ${options.file}: ${bytes} bytes`);
  }
  return lines;
}

/** Command-line entry: `ftplib_client [--host H] [--port P] [--user U --password W] [--dir D] [--file F] [--tls] [--debug]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 2121 },
    {
      user: { type: "string" },
      password: { type: "string" },
      dir: { type: "string" },
      file: { type: "string" },
      tls: { type: "boolean" },
      debug: { type: "boolean" },
    },
  );
  const options: FtpClientOptions = { tls: values.tls === true, debug: values.debug === true };
  for (const key of ["user", "password", "dir", "file"] as const) {
    if (typeof values[key] === "string") options[key] = values[key] as string;
  }
  for (const line of await ftpClient(host, port, options)) console.log(line);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
