/**
 * glibc's resolver status codes (`h_errno`, <netdb.h>), named once: the
 * resolver in `_nss_dns.ts` returns them, `herror` in `errors.ts` names and
 * explains them (`hstrerror`).
 */

export const NETDB_INTERNAL = -1;
export const NETDB_SUCCESS = 0;
export const HOST_NOT_FOUND = 1;
export const TRY_AGAIN = 2;
export const NO_RECOVERY = 3;
export const NO_DATA = 4;

/** Each `h_errno` value's name and glibc's `hstrerror` text. */
export const H_ERRNO: ReadonlyMap<number, readonly [name: string, message: string]> = new Map([
  [NETDB_INTERNAL, ["NETDB_INTERNAL", "Resolver internal error"]],
  [NETDB_SUCCESS, ["NETDB_SUCCESS", "Resolver Error 0 (no error)"]],
  [HOST_NOT_FOUND, ["HOST_NOT_FOUND", "Unknown host"]],
  [TRY_AGAIN, ["TRY_AGAIN", "Host name lookup failure"]],
  [NO_RECOVERY, ["NO_RECOVERY", "Unknown server error"]],
  [NO_DATA, ["NO_DATA", "No address associated with name"]],
] as const);
