/**
 * netkit's version, for the User-Agent and Server headers its modules send
 * (Python puts its own version there: `Python-urllib/3.11`). A test keeps it
 * equal to package.json's.
 *
 * @module
 */

/** The package version. */
export const VERSION = "0.1.0";
