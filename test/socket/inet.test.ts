/**
 * Unit tables and property tests for the pure address conversions of
 * netkit/socket (src/socket/inet.ts): inet_aton/inet_ntoa, inet_pton/inet_ntop,
 * the byte-order functions and the C helpers they share. Expected values
 * are python3's (checked on Debian 12, glibc 2.36); the differential test in
 * test/conformance/socket-names.test.ts compares thousands more.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { OSError, OverflowError, ValueError } from "../../src/errors/index.js";
import { AF_INET, AF_INET6, AF_UNIX } from "../../src/socket/constants.js";
import {
  asCInt,
  asCUIntMask,
  cStrtoul,
  htonl,
  htons,
  inet_aton,
  inet_ntoa,
  inet_ntop,
  inet_pton,
  inetAtonExact,
  ntohl,
  ntohs,
} from "../../src/socket/inet.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function throwsWith(fn: () => unknown, Class: new (...args: never[]) => Error, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

describe("inet_aton()", () => {
  const valid: Array<[string, string]> = [
    ["1.2.3.4", "01020304"],
    ["127.1", "7f000001"],
    ["127.0.1", "7f000001"],
    ["10.1.65535", "0a01ffff"],
    ["1.16777215", "01ffffff"],
    ["0x7f.1", "7f000001"],
    ["0X7F.0x0.0X0.0x1", "7f000001"],
    ["010.0.0.1", "08000001"],
    ["017700000001", "7f000001"],
    ["0x7f000001", "7f000001"],
    ["2130706433", "7f000001"],
    ["4294967295", "ffffffff"],
    ["0", "00000000"],
    ["00000000000000000000000001", "00000001"],
    ["0x00000000000000000000000ff", "000000ff"],
    ["1.2.3.4 junk", "01020304"],
    ["1.2.3.4\tanything", "01020304"],
    ["1.2.3.4\n", "01020304"],
    ["1.2.3.4 é", "01020304"],
    ["255.255.255.255", "ffffffff"],
    ["1 .2.3.4", "00000001"],
  ];
  for (const [text, expected] of valid) {
    test(`inet_aton() reads ${JSON.stringify(text)} as glibc does`, () => {
      assert.equal(hex(inet_aton(text)), expected);
    });
  }

  const invalid = [
    "",
    " 1.2.3.4",
    "+1.2.3.4",
    "-1",
    "1.2.3.4.5",
    "256.1.1.1",
    "1.256.1.1",
    "1.2.3.256",
    "1.2.65536",
    "1.16777216",
    "4294967296",
    "0x100000000",
    "99999999999999999999999999",
    "08",
    "09.1.1.1",
    "0x",
    "0x.1",
    "1..2",
    "1.2.3.",
    ".1.2.3",
    "1.2.3.4x",
    "1.2.3.é",
    "a.b.c.d",
    "localhost",
    "١.٢.٣.٤",
  ];
  for (const text of invalid) {
    test(`inet_aton() refuses ${JSON.stringify(text)} with OSError`, () => {
      throwsWith(() => inet_aton(text), OSError, "illegal IP address string passed to inet_aton");
    });
  }

  test("inet_aton() refuses a NUL character as Python's str argument does", () => {
    throwsWith(() => inet_aton("1.2.3.4\0"), ValueError, "embedded null character");
  });

  test("inetAtonExact() takes the same forms but nothing after them (getaddrinfo's rule)", () => {
    assert.equal(hex(inetAtonExact("127.1")!), "7f000001");
    assert.equal(hex(inetAtonExact("0x7f.1")!), "7f000001");
    assert.equal(inetAtonExact("127.0.0.1 "), undefined);
    assert.equal(inetAtonExact("1.2.3.4.5"), undefined);
  });
});

describe("inet_ntoa()", () => {
  test("inet_ntoa() writes dotted decimal", () => {
    assert.equal(inet_ntoa(Buffer.from([127, 0, 0, 1])), "127.0.0.1");
    assert.equal(inet_ntoa(new Uint8Array([255, 0, 10, 9])), "255.0.10.9");
  });
  test("inet_ntoa() refuses anything but 4 bytes", () => {
    for (const n of [0, 3, 5, 16]) {
      throwsWith(() => inet_ntoa(Buffer.alloc(n)), OSError, "packed IP wrong length for inet_ntoa");
    }
  });
});

describe("inet_pton()", () => {
  const v4: Array<[string, string | null]> = [
    ["1.2.3.4", "01020304"],
    ["0.0.0.0", "00000000"],
    ["255.255.255.255", "ffffffff"],
    ["01.2.3.4", null],
    ["1.2.3.04", null],
    ["00.0.0.0", null],
    ["1.2.3", null],
    ["1.2.3.4.5", null],
    ["256.0.0.0", null],
    ["1.2.3.4 ", null],
    ["1..2.3", null],
    ["0x1.2.3.4", null],
    ["", null],
    [".1.2.3", null],
    ["1.2.3.", null],
  ];
  for (const [text, expected] of v4) {
    test(`inet_pton(AF_INET) ${expected ? "reads" : "refuses"} ${JSON.stringify(text)}`, () => {
      if (expected) assert.equal(hex(inet_pton(AF_INET, text)), expected);
      else
        throwsWith(() => inet_pton(AF_INET, text), OSError, "illegal IP address string passed to inet_pton");
    });
  }

  const v6: Array<[string, string | null]> = [
    ["::", "00000000000000000000000000000000"],
    ["::1", "00000000000000000000000000000001"],
    ["1::", "00010000000000000000000000000000"],
    ["1:2:3:4:5:6:7:8", "00010002000300040005000600070008"],
    ["1:2:3:4:5:6:7::", "00010002000300040005000600070000"],
    ["::2:3:4:5:6:7:8", "00000002000300040005000600070008"],
    ["FFFF::aBcD", "ffff000000000000000000000000abcd"],
    ["0000:0000::0001", "00000000000000000000000000000001"],
    ["::ffff:1.2.3.4", "00000000000000000000ffff01020304"],
    ["::1.2.3.4", "00000000000000000000000001020304"],
    ["1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"],
    [":", null],
    [":::", null],
    ["1:", null],
    [":1", null],
    ["1::2::3", null],
    ["1:2:3:4:5:6:7:8:9", null],
    ["1:2:3:4:5:6:7:8::", null],
    ["::1:2:3:4:5:6:7:8", null],
    ["1:2:3:4:5:6:7", null],
    ["00000::1", null],
    ["g::1", null],
    ["::1.2.3", null],
    ["::01.2.3.4", null],
    ["::1.2.3.4:1", null],
    ["1.2.3.4::", null],
    ["1:2:3:4:5:6:7:1.2.3.4", null],
    ["fe80::1%lo", null],
    [" ::1", null],
    ["::1 ", null],
    ["", null],
    ["1.2.3.4", null],
  ];
  for (const [text, expected] of v6) {
    test(`inet_pton(AF_INET6) ${expected ? "reads" : "refuses"} ${JSON.stringify(text)}`, () => {
      if (expected) assert.equal(hex(inet_pton(AF_INET6, text)), expected);
      else
        throwsWith(() => inet_pton(AF_INET6, text), OSError, "illegal IP address string passed to inet_pton");
    });
  }

  test("inet_pton() refuses another family with EAFNOSUPPORT", () => {
    assert.throws(
      () => inet_pton(AF_UNIX, "1.2.3.4"),
      (e: unknown) =>
        e instanceof OSError &&
        e.errno === 97 &&
        e.code === "EAFNOSUPPORT" &&
        e.message === "[Errno 97] Address family not supported by protocol",
    );
  });

  test("inet_pton() refuses a NUL character", () => {
    throwsWith(() => inet_pton(AF_INET, "1.2.3.4\0"), ValueError, "embedded null character");
  });
});

describe("inet_ntop()", () => {
  const table: Array<[string, string]> = [
    ["00000000000000000000000000000000", "::"],
    ["00000000000000000000000000000001", "::1"],
    ["00010000000000000000000000000000", "1::"],
    ["00010000000000000000000000000001", "1::1"],
    ["20010db8000000000000000000000001", "2001:db8::1"],
    ["00000000000000000000ffff01020304", "::ffff:1.2.3.4"],
    ["00000000000000000000000001020304", "::1.2.3.4"],
    ["00000000000000000000000000010000", "::0.1.0.0"],
    ["0000000000000000000000000000ffff", "::ffff"],
    ["000000000000000000000000ffff0000", "::255.255.0.0"],
    ["00000000000000000001ffff01020304", "::1:ffff:102:304"],
    ["00010000000000010000000000000001", "1:0:0:1::1"],
    ["00010000000000010000000000010001", "1::1:0:0:1:1"],
    ["00010000000100010001000100010001", "1:0:1:1:1:1:1:1"],
    ["00010002000300040005000600070008", "1:2:3:4:5:6:7:8"],
    ["ABCD000000000000000000000000EF00".toLowerCase(), "abcd::ef00"],
    ["fe800000000000000000000000000001", "fe80::1"],
  ];
  for (const [packed, text] of table) {
    test(`inet_ntop(AF_INET6) writes ${text} as glibc does`, () => {
      assert.equal(inet_ntop(AF_INET6, Buffer.from(packed, "hex")), text);
    });
  }

  test("inet_ntop(AF_INET) writes dotted decimal and accepts any Uint8Array", () => {
    assert.equal(inet_ntop(AF_INET, new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
  });

  test("inet_ntop() refuses a wrong length with ValueError", () => {
    throwsWith(
      () => inet_ntop(AF_INET, Buffer.alloc(16)),
      ValueError,
      "invalid length of packed IP address string",
    );
    throwsWith(
      () => inet_ntop(AF_INET6, Buffer.alloc(4)),
      ValueError,
      "invalid length of packed IP address string",
    );
  });

  test("inet_ntop() refuses an unknown family with ValueError, as Python does", () => {
    throwsWith(() => inet_ntop(99, Buffer.alloc(4)), ValueError, "unknown address family 99");
  });
});

describe("byte order", () => {
  test("htons()/ntohs() swap the two bytes", () => {
    assert.equal(htons(1), 256);
    assert.equal(htons(0x1234), 0x3412);
    assert.equal(ntohs(0x3412), 0x1234);
    assert.equal(htons(0), 0);
    assert.equal(htons(0xffff), 0xffff);
  });

  test("htonl()/ntohl() reverse the four bytes", () => {
    assert.equal(htonl(0x12345678), 0x78563412);
    assert.equal(ntohl(0x78563412), 0x12345678);
    assert.equal(htonl(0xff000000), 0xff);
    assert.equal(htonl(1), 0x01000000);
  });

  const errors16: Array<[number, new (...args: never[]) => Error, string]> = [
    [-1, OverflowError, "htons: can't convert negative Python int to C 16-bit unsigned integer"],
    [65536, OverflowError, "htons: Python int too large to convert to C 16-bit unsigned integer"],
    [2 ** 31, OverflowError, "signed integer is greater than maximum"],
    [-(2 ** 31) - 1, OverflowError, "signed integer is less than minimum"],
    [2 ** 63, OverflowError, "Python int too large to convert to C long"],
    [1.5, TypeError, "'float' object cannot be interpreted as an integer"],
    [Number.NaN, TypeError, "'float' object cannot be interpreted as an integer"],
  ];
  for (const [value, Class, message] of errors16) {
    test(`htons(${value}) raises ${Class.name} as Python does`, () => {
      throwsWith(() => htons(value), Class, message);
    });
  }

  test("ntohs() names itself in its range errors", () => {
    throwsWith(
      () => ntohs(-1),
      OverflowError,
      "ntohs: can't convert negative Python int to C 16-bit unsigned integer",
    );
  });

  const errors32: Array<[number, new (...args: never[]) => Error, string]> = [
    [-1, OverflowError, "can't convert negative value to unsigned int"],
    [2 ** 32, OverflowError, "int larger than 32 bits"],
    [2 ** 64, OverflowError, "Python int too large to convert to C unsigned long"],
    [1.5, TypeError, "expected int, float found"],
  ];
  for (const [value, Class, message] of errors32) {
    test(`htonl(${value}) and ntohl(${value}) raise ${Class.name} as Python does`, () => {
      throwsWith(() => htonl(value), Class, message);
      throwsWith(() => ntohl(value), Class, message);
    });
  }
});

describe("C helpers", () => {
  const strtoul: Array<[string, 0 | 8 | 10 | 16, bigint, number, boolean]> = [
    ["80", 10, 80n, 2, false],
    ["  +80x", 10, 80n, 5, false],
    ["-1", 10, 2n ** 64n - 1n, 2, false],
    ["", 10, 0n, 0, false],
    ["abc", 10, 0n, 0, false],
    ["0x1f", 0, 31n, 4, false],
    ["0x", 0, 0n, 1, false],
    ["0xg", 16, 0n, 1, false],
    ["017", 0, 15n, 3, false],
    ["019", 0, 1n, 2, false],
    ["18446744073709551615", 10, 2n ** 64n - 1n, 20, false],
    ["18446744073709551616", 10, 2n ** 64n - 1n, 20, true],
  ];
  for (const [text, base, value, end, overflow] of strtoul) {
    test(`cStrtoul(${JSON.stringify(text)}, base ${base}) behaves as glibc's strtoul`, () => {
      assert.deepEqual(cStrtoul(text, 0, base), { value, end, overflow });
    });
  }

  test("asCInt() takes C int range only, with Python's messages", () => {
    assert.equal(asCInt(-(2 ** 31)), -(2 ** 31));
    assert.equal(asCInt(2 ** 31 - 1), 2 ** 31 - 1);
    throwsWith(() => asCInt("1"), TypeError, "'str' object cannot be interpreted as an integer");
  });

  test("asCUIntMask() wraps modulo 2**32 as Python's 'I' format", () => {
    assert.equal(asCUIntMask(-1), 0xffffffff);
    assert.equal(asCUIntMask(2 ** 32 + 5), 5);
  });
});

describe("properties", () => {
  test("inet_pton(AF_INET6, inet_ntop(AF_INET6, b)) is b for any 16 bytes", () => {
    const zeroBiased = fc.array(
      fc.oneof(fc.constant(0), fc.constant(0xff), fc.integer({ min: 0, max: 255 })),
      {
        minLength: 16,
        maxLength: 16,
      },
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), zeroBiased), (bytes) => {
        const packed = Buffer.from(bytes);
        const text = inet_ntop(AF_INET6, packed);
        assert.deepEqual(inet_pton(AF_INET6, text), packed);
        // The text is canonical: writing what was read gives it back.
        assert.equal(inet_ntop(AF_INET6, inet_pton(AF_INET6, text)), text);
        assert.equal(text, text.toLowerCase());
        assert.ok(text.split("::").length <= 2);
      }),
      { numRuns: 2000 },
    );
  });

  test("inet_pton(AF_INET, inet_ntop(AF_INET, b)) and inet_aton(inet_ntoa(b)) are b for any 4 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        assert.deepEqual(inet_pton(AF_INET, inet_ntop(AF_INET, bytes)), Buffer.from(bytes));
        assert.deepEqual(inet_aton(inet_ntoa(bytes)), Buffer.from(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  test("inet_aton() reads any 32-bit number in decimal, hex and octal", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        for (const text of [String(n), `0x${n.toString(16)}`, `0${n.toString(8)}`]) {
          assert.equal(inet_aton(text).readUInt32BE(), n);
        }
      }),
    );
  });

  test("ntohs(htons(x)) and ntohl(htonl(x)) are x; each swap is its own inverse", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (x) => {
        assert.equal(ntohs(htons(x)), x);
        assert.equal(htons(htons(x)), x);
        const b = Buffer.alloc(2);
        b.writeUInt16LE(x);
        assert.equal(htons(x), b.readUInt16BE());
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
        assert.equal(ntohl(htonl(x)), x);
        assert.equal(htonl(htonl(x)), x);
        const b = Buffer.alloc(4);
        b.writeUInt32LE(x);
        assert.equal(htonl(x), b.readUInt32BE());
      }),
    );
  });

  test("cStrtoul() agrees with BigInt on decimal digit strings", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,25}$/), (digits) => {
        const expected = BigInt(digits);
        const got = cStrtoul(digits, 0, 10);
        assert.equal(got.end, digits.length);
        assert.equal(got.overflow, expected > 2n ** 64n - 1n);
        assert.equal(got.value, got.overflow ? 2n ** 64n - 1n : expected);
      }),
    );
  });
});
