/**
 * The wrapper values of `xmlrpc.client`: `Binary` (`<base64>`), `DateTime`
 * (`<dateTime.iso8601>`), and netkit's `Double` (a `<double>` for a whole
 * number, which a plain JS number would send as `<int>`).
 *
 * @module
 */
import { pyRepr, pyTypeName, ValueError, withCode } from "../errors/index.js";
import { decodebytes, encodebytes } from "./_base64.js";
import { escape as xmlEscape } from "./_escape.js";
import { pyStrip } from "./_pynum.js";

/**
 * Python's `xmlrpc.client.Binary`: bytes sent as `<base64>`. A `Buffer` or
 * `Uint8Array` marshals the same way; `loads` returns `Binary` unless
 * `useBuiltinTypes` asks for a `Buffer`.
 */
export class Binary {
  /** The bytes (a copy of what was given, as Python copies). */
  data: Buffer;

  /**
   * @param data the bytes @default empty
   * @throws TypeError when `data` is not bytes
   */
  constructor(data?: Uint8Array | null) {
    if (data === undefined || data === null) this.data = Buffer.alloc(0);
    else if (data instanceof Uint8Array) this.data = Buffer.from(data);
    else
      throw withCode(
        new TypeError(`expected bytes or bytearray, not ${pyTypeName(data)}`),
        "ERR_INVALID_ARG_TYPE",
      );
  }

  /** Python's `str(binary)`: the bytes as Latin-1 text. */
  toString(): string {
    return this.data.toString("latin1");
  }

  /** Python's `==`: equal to another `Binary` or to bytes with the same content. */
  equals(other: unknown): boolean {
    const bytes = other instanceof Binary ? other.data : other;
    return bytes instanceof Uint8Array && Buffer.compare(this.data, bytes) === 0;
  }

  /** Python's `decode(data)`: sets the bytes from base64 text. */
  decode(data: string | Uint8Array): void {
    this.data = decodebytes(typeof data === "string" ? data : Buffer.from(data).toString("latin1"));
  }

  /** Python's `encode(out)`: writes the `<value><base64>` element. */
  encode(out: { write(text: string): void }): void {
    out.write("<value><base64>\n");
    out.write(encodebytes(this.data));
    out.write("</base64></value>\n");
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/**
 * The XML-RPC time text `YYYYMMDDTHH:MM:SS` of a `Date`, from its UTC fields
 * (Python formats a naive `datetime`; a JS `Date` is an instant, and UTC
 * keeps the text independent of the machine's time zone).
 * @throws ValueError for an invalid date or a year outside 1-9999
 */
export function isoFormatUTC(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new ValueError("cannot marshal an invalid Date");
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) throw new ValueError(`year ${y} is out of range`);
  return `${pad(y, 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A 6-or-more item time tuple: year, month, day, hour, minute, second (Python's `time.struct_time` prefix). */
export type TimeTuple = readonly [number, number, number, number, number, number, ...number[]];

/**
 * Python's `xmlrpc.client.DateTime`: the `dateTime.iso8601` text
 * (`"20240131T12:30:00"`) as sent and received. `loads` returns it unless
 * `useDatetime` / `useBuiltinTypes` ask for a `Date`.
 */
export class DateTime {
  /** The ISO 8601 text, as Python's `value`. */
  value: string;

  /**
   * @param value the text as is; a `Date` (UTC fields); a time tuple; or
   *   seconds since the epoch as local time, as Python's `time.localtime`,
   *   with `0` meaning now @default 0 (now)
   */
  constructor(value: string | Date | TimeTuple | number = 0) {
    if (typeof value === "string") this.value = value;
    else if (value instanceof Date) this.value = isoFormatUTC(value);
    else if (typeof value === "number") {
      const d = new Date(value === 0 ? Date.now() : value * 1000);
      this.value = `${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1)}${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    } else {
      const [y, mo, da, h, mi, s] = value;
      this.value = `${pad(y, 4)}${pad(mo)}${pad(da)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
    }
  }

  /** Python's `str(dt)`: the text. */
  toString(): string {
    return this.value;
  }

  /** Python's `==` against a `DateTime`, a `Date` (UTC fields) or text. */
  equals(other: unknown): boolean {
    const o = DateTime.#text(other);
    return o !== undefined && this.value === o;
  }

  /**
   * Python's ordering: negative, zero or positive as this sorts before, with or after `other`.
   * @throws TypeError for anything but a `DateTime`, a `Date` or text, as Python's `<` does
   */
  compare(other: DateTime | Date | string): number {
    const o = DateTime.#text(other);
    if (o === undefined) {
      throw withCode(
        new TypeError(`'<' not supported between instances of 'DateTime' and '${pyTypeName(other)}'`),
        "ERR_INVALID_COMPARISON",
      );
    }
    return this.value < o ? -1 : this.value > o ? 1 : 0;
  }

  static #text(other: unknown): string | undefined {
    if (other instanceof DateTime) return other.value;
    if (other instanceof Date) return isoFormatUTC(other);
    if (typeof other === "string") return other;
    return undefined;
  }

  /** Python's `decode(data)`: sets the text, stripped. */
  decode(data: string): void {
    this.value = pyStrip(String(data));
  }

  /** Python's `encode(out)`: writes the `<value><dateTime.iso8601>` element (the text escaped, unlike Python). */
  encode(out: { write(text: string): void }): void {
    out.write("<value><dateTime.iso8601>");
    out.write(xmlEscape(this.value));
    out.write("</dateTime.iso8601></value>\n");
  }
}

const STRPTIME =
  /^(\d\d\d\d)(1[0-2]|0[1-9]|[1-9])(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])T(2[0-3]|[0-1]\d|\d):([0-5]\d|\d):(6[0-1]|[0-5]\d|\d)$/i;

/**
 * Python's `datetime.strptime(text, "%Y%m%dT%H:%M:%S")` (what
 * `use_datetime` applies), giving a `Date` with those UTC fields.
 * @throws ValueError as Python does for text that does not match or a day past the month's end
 */
export function parseIso8601(text: string): Date {
  const m = STRPTIME.exec(text);
  if (!m) throw new ValueError(`time data ${pyRepr(text)} does not match format '%Y%m%dT%H:%M:%S'`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x.trim())) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (y < 1) throw new ValueError(`year ${y} is out of range`);
  const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate();
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 ? (leap ? 29 : 28) : days)) throw new ValueError("day is out of range for month");
  if (s > 59) throw new ValueError("second must be in 0..59");
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date;
}

/**
 * A `<double>` for a value JS would otherwise send as `<int>` (a whole
 * number): `new Double(2)` marshals as `<double>2.0</double>`, as Python's
 * float `2.0` does. Not in Python, which has a separate float type.
 */
export class Double {
  /** The number. */
  readonly value: number;
  constructor(value: number) {
    this.value = Number(value);
  }
  /** The number, so a `Double` works in arithmetic. */
  valueOf(): number {
    return this.value;
  }
}
