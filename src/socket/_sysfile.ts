/**
 * Reading a system file (/etc, /sys) afresh on every call, as the C
 * library does; an unreadable file reads as missing.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { isSystemError } from "../errors/index.js";

export function readSystemFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return undefined;
  }
}
