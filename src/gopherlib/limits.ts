/**
 * Every limit of netkit's Gopher client and server, in one place, each with
 * its reason. RFC 1436 sets none; Python 2's gopherlib read menus, text and
 * binaries with no bound at all, so a server that never ends a menu grew
 * the client's memory without end.
 *
 * @module
 */

/** The limits of gopherlib, in bytes unless said otherwise. */
export const GOPHER_LIMITS = {
  /**
   * Longest selector a client sends or a server reads, line end not
   * counted. RFC 1436 3 asks selectors to stay under 255 characters;
   * gophernicus reads at most 1024 bytes; netkit takes the same.
   */
  selector: 1024,
  /**
   * Longest menu line, line end included. Menu lines hold a display string
   * (about 70 characters), a selector, a host and a port: 4 KiB is far
   * past any seen; a megabyte line is refused at this bound.
   */
  menuLine: 16 * 1024,
  /** Most bytes of one menu (`.` line not counted): 10,000 lines of 400 bytes. */
  menuBytes: 4 * 1024 * 1024,
  /** Longest line of a text file, line end included. */
  textLine: 1024 * 1024,
  /** Most bytes of one text file read whole (`readText`, `getTextfile`). */
  textBytes: 64 * 1024 * 1024,
  /** Most bytes of one binary file read whole (`readBinary`, `getBinary`). */
  binaryBytes: 256 * 1024 * 1024,
  /** Gophermaps included into one another (`=file` lines) before the server stops following. */
  gophermapDepth: 8,
  /** Largest gophermap the server reads. */
  gophermapBytes: 1024 * 1024,
} as const;
