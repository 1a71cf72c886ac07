/**
 * Interop peers (python3, curl, Debian daemons) may be missing on a developer's
 * machine. A test asks `peerSkip(name, available)` for its `skip` option:
 * the test is skipped with a reason when the peer is missing, except under
 * `NETKIT_REQUIRE_PEERS=1` (CI), where a missing peer fails the run instead.
 */
import { spawnSync } from "node:child_process";

export const REQUIRE_PEERS = process.env.NETKIT_REQUIRE_PEERS === "1";

/** True when `command --version` (or the given args) runs and exits 0. */
export function hasCommand(command: string, args: string[] = ["--version"]): boolean {
  const r = spawnSync(command, args, { stdio: "ignore", timeout: 60_000 });
  return r.status === 0;
}

/**
 * The `skip` value for a test that needs the peer `name`: `false` when it is
 * available; a reason string when it is not. Throws under NETKIT_REQUIRE_PEERS=1.
 */
export function peerSkip(name: string, available: boolean): false | string {
  if (available) return false;
  if (REQUIRE_PEERS) throw new Error(`Interop peer "${name}" is missing and NETKIT_REQUIRE_PEERS=1`);
  return `interop peer "${name}" is not installed`;
}
