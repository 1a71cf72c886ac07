/**
 * IPv6 address bytes: the loopback and wildcard addresses, and the tests
 * for IPv4-mapped, link-local and scoped multicast addresses.
 *
 * @module
 */

export const LOOPBACK6 = Buffer.from("00000000000000000000000000000001", "hex");
export const ANY6 = Buffer.alloc(16);

export function isV4Mapped(a: Uint8Array): boolean {
  return a.length === 16 && a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;
}

export function isLinkLocal6(a: Uint8Array): boolean {
  return a[0] === 0xfe && (a[1]! & 0xc0) === 0x80;
}

export function isMulticastLinkLocal6(a: Uint8Array): boolean {
  return a[0] === 0xff && (a[1]! & 0x0f) === 0x02;
}

export function isMulticastNodeLocal6(a: Uint8Array): boolean {
  return a[0] === 0xff && (a[1]! & 0x0f) === 0x01;
}
