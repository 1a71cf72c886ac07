/**
 * Reading a system file (/etc, /sys) afresh on every call, as the C
 * library does; an unreadable file reads as missing.
 *
 * @module
 */
import { readFileSync } from "node:fs";

export function readSystemFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
