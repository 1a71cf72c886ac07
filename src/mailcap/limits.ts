/**
 * The limits of `netkit/mailcap`, each with its reason. Python 3.11 has none:
 * it reads a mailcap file of any size into memory and waits for a `test=`
 * command however long it runs.
 *
 * @module
 */

/**
 * Largest mailcap file `getcaps` reads, in bytes (Debian's `/etc/mailcap` is
 * a few KB on a desktop with many viewers installed): a bigger file is skipped,
 * as Python skips a file it cannot open.
 */
export const MAX_MAILCAP_FILE = 4 * 1024 * 1024;

/**
 * Longest entry, in UTF-16 units, after its continuation lines are joined:
 * a longer one is skipped, as Python skips a line it cannot parse.
 */
export const MAX_MAILCAP_LINE = 64 * 1024;

/**
 * Seconds `findmatch` waits for a `test=` command before it kills the
 * command (its whole process group) and counts the test as failed. Python
 * waits forever.
 */
export const DEFAULT_TEST_TIMEOUT = 5;
