/**
 * The Telnet receive state machine of Python's `Telnet.process_rawq`, with
 * no I/O: bytes in, cooked data and subnegotiation data out, each command
 * reported to a function. `Telnet` feeds it what each `recv` gives; tests
 * and fuzzers feed it byte arrays cut anywhere.
 *
 * ```text
 *             data byte ─▶ cooked (or SB data between SB and SE)
 *   NUL, DC1 (0x11) ───────▶ dropped (so CR NUL arrives as CR)
 *        ┌──────────┐ IAC  ┌──────────┐ DO DONT WILL WONT ┌──────────┐
 *   ────▶│   data   │─────▶│   IAC    │──────────────────▶│ IAC cmd  │
 *        └──────────┘      └──────────┘                   └──────────┘
 *          ▲   ▲  IAC: a data byte 255 │ any other cmd          │ option byte
 *          │   └───────────────────────┘ (SB, SE, NOP, ...)     │
 *          └──────────────── onCommand(cmd, option) ◀───────────┘
 * ```
 *
 * The state (a command half received, inside SB or not) lives on between
 * calls, so a sequence cut between two receives is read as one. Python's
 * quirks are kept, because what `read_sb_data()` returns depends on them:
 * subnegotiation data gathered in one call is added to the SB queue at SE
 * or at the end of the call, and SB empties the queue but not the data
 * already gathered in the same call. NUL and DC1 are dropped everywhere,
 * inside SB too, as Python drops them.
 *
 * Bounded where Python is not (`TELNET_LIMITS`): the SB queue and its
 * unfinished subnegotiation hold at most `maxSbData` bytes
 * (`TelnetSubnegotiationError`), and at most `maxCommands` commands come in
 * a row without a data byte (`TelnetCommandFloodError`).
 *
 * @module
 */
import { TelnetCommandFloodError, TelnetSubnegotiationError } from "./errors.js";
import { TELNET_LIMITS } from "./limits.js";

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const NUL = 0;
const DC1 = 0x11;

/** The option byte `onCommand` gets for a command that has none (Python's `NOOPT`). */
const NOOPT = 0;

/**
 * What the parser calls for each command: `cmd` the command byte (`DO`,
 * `SB`, `NOP`, ...), `option` the option byte for DO, DONT, WILL and WONT,
 * else 0 (Python's `NOOPT`). Called at the point Python calls its option
 * callback: for SE, after the subnegotiation's data is in the SB queue.
 */
export type CommandHandler = (cmd: number, option: number) => void;

/** The parser's limits (`null`: none). */
export interface ParserLimits {
  /** Bytes of SB data held. @default TELNET_LIMITS.maxSbData */
  maxSbData?: number | null;
  /** Commands in a row with no data byte. @default TELNET_LIMITS.maxCommands */
  maxCommands?: number | null;
}

const EMPTY = Buffer.alloc(0);

/**
 * Python's `process_rawq` state machine (its `iacseq`, `sb` and `sbdataq`),
 * pure.
 *
 * @example Negotiation, cut in the middle of a command
 * ```ts
 * import { TelnetParser } from "netkit/telnetlib";
 * const parser = new TelnetParser();
 * const seen: number[][] = [];
 * const a = parser.process(Buffer.from([104, 105, 255, 253]), (c, o) => seen.push([c, o]));
 * const b = parser.process(Buffer.from([1, 33]), (c, o) => seen.push([c, o]));
 * // a: "hi", b: "!", seen: [[253, 1]] (IAC DO ECHO)
 * ```
 */
export class TelnetParser {
  /** The command bytes received so far of an unfinished command (Python's `iacseq`): 0, 1 or 2. */
  #iacseq: number[] = [];
  /** Inside SB ... SE (Python's `sb`). */
  #sb = false;
  /** Subnegotiation data not yet taken (Python's `sbdataq`). */
  #sbdataq: Buffer = EMPTY;
  /** Commands since the last data byte. */
  #commands = 0;
  readonly #maxSbData: number | null;
  readonly #maxCommands: number | null;

  /** @param limits the bounds; each defaults to `TELNET_LIMITS`' */
  constructor(limits: ParserLimits = {}) {
    this.#maxSbData = limits.maxSbData === undefined ? TELNET_LIMITS.maxSbData : limits.maxSbData;
    this.#maxCommands = limits.maxCommands === undefined ? TELNET_LIMITS.maxCommands : limits.maxCommands;
  }

  /** True between SB and SE (Python's `sb`). */
  get inSubnegotiation(): boolean {
    return this.#sb;
  }

  /** True when a command is half received (Python's `iacseq` is not empty). */
  get inCommand(): boolean {
    return this.#iacseq.length > 0;
  }

  /**
   * Python's `read_sb_data()`: takes the subnegotiation data gathered so far.
   * @returns the bytes between SB and SE (empty when there are none)
   */
  takeSbData(): Buffer {
    const data = this.#sbdataq;
    this.#sbdataq = EMPTY;
    return data;
  }

  /**
   * Python's `close()` of the state: forgets a half-received command and
   * leaves SB (the SB queue stays, as Python's does).
   */
  reset(): void {
    this.#iacseq = [];
    this.#sb = false;
  }

  /**
   * One pass of Python's `process_rawq` over `raw`.
   * @param raw the bytes received
   * @param onCommand called for each complete command, in order
   * @returns the cooked data (Python adds it to `cookedq`)
   * @throws TelnetSubnegotiationError, TelnetCommandFloodError past a limit
   *   (the parser is then in no state to go on)
   */
  process(raw: Uint8Array, onCommand: CommandHandler): Buffer {
    // Python's buf[0] (cooked) and buf[1] (SB data) of this call: never longer than raw.
    const cooked = Buffer.allocUnsafe(raw.length);
    let sbData = Buffer.allocUnsafe(raw.length);
    let nCooked = 0;
    let nSb = 0;
    const data = (c: number): void => {
      this.#commands = 0;
      if (this.#sb) {
        sbData[nSb++] = c;
        if (this.#maxSbData !== null && this.#sbdataq.length + nSb > this.#maxSbData)
          throw new TelnetSubnegotiationError(
            `Refuse subnegotiation data past ${this.#maxSbData} bytes: no SE came`,
            this.#maxSbData,
          );
      } else cooked[nCooked++] = c;
    };
    const command = (cmd: number, option: number): void => {
      if (this.#maxCommands !== null && ++this.#commands > this.#maxCommands)
        throw new TelnetCommandFloodError(
          `Refuse more than ${this.#maxCommands} Telnet commands in a row without data`,
          this.#maxCommands,
        );
      onCommand(cmd, option);
    };
    for (const c of raw) {
      const seq = this.#iacseq;
      if (seq.length === 0) {
        if (c === NUL || c === DC1) continue;
        if (c !== IAC) data(c);
        else seq.push(c);
      } else if (seq.length === 1) {
        // IAC CMD, with an option byte to come for DO, DONT, WILL and WONT only.
        if (c === DO || c === DONT || c === WILL || c === WONT) {
          seq.push(c);
          continue;
        }
        this.#iacseq = [];
        if (c === IAC) {
          data(c);
          continue;
        }
        if (c === SB) {
          this.#sb = true;
          this.#sbdataq = EMPTY; // but not this call's sbData, as Python's buf[1] is kept
        } else if (c === SE) {
          this.#sb = false;
          this.#sbdataq = Buffer.concat([this.#sbdataq, sbData.subarray(0, nSb)]);
          sbData = Buffer.allocUnsafe(raw.length);
          nSb = 0;
        }
        command(c, NOOPT);
      } else {
        const cmd = seq[1]!;
        this.#iacseq = [];
        command(cmd, c);
      }
    }
    if (nSb > 0) this.#sbdataq = Buffer.concat([this.#sbdataq, sbData.subarray(0, nSb)]);
    return Buffer.from(cooked.subarray(0, nCooked));
  }
}
