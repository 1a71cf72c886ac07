/**
 * Python's `ftplib.ftpcp`: copy a file from one FTP server to another
 * without passing its bytes through this client (RFC 959's server-to-server
 * transfer, "FXP"): the source is told PASV, the target PORT to the
 * source's address. Most servers refuse it nowadays (pure-ftpd without
 * `--allowuserfxp`), as it is the FTP bounce of CERT CA-1997-27.
 *
 * @module
 */
import { error_proto } from "./errors.js";
import type { FTP } from "./ftp.js";
import { parse227 } from "./parse.js";

/**
 * Python's `ftpcp(source, sourcename, target, targetname, type)`.
 * @param targetname @default sourcename
 * @param type the TYPE for both @default "I"
 * @throws error_proto when either transfer command is not answered 125 or 150; what the commands throw
 */
export async function ftpcp(
  source: FTP,
  sourcename: string,
  target: FTP,
  targetname = "",
  type = "I",
): Promise<void> {
  if (!targetname) targetname = sourcename;
  await source.voidcmd(`TYPE ${type}`);
  await target.voidcmd(`TYPE ${type}`);
  const [sourcehost, sourceport] = parse227(await source.sendcmd("PASV"));
  await target.sendport(sourcehost, sourceport);
  // RFC 959: the "user" side must listen before the transfer request: STOR before RETR.
  const treply = await target.sendcmd(`STOR ${targetname}`);
  if (!["125", "150"].includes(treply.slice(0, 3))) throw new error_proto(treply);
  const sreply = await source.sendcmd(`RETR ${sourcename}`);
  if (!["125", "150"].includes(sreply.slice(0, 3))) throw new error_proto(sreply);
  await source.voidresp();
  await target.voidresp();
}
