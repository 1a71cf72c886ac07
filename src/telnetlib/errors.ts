/**
 * telnetlib's errors. Python's telnetlib raises `EOFError` (the connection
 * closed and no data is left: netkit/errors' `EOFError`) and the socket's
 * `OSError`s; netkit adds one class per limit of `TELNET_LIMITS`, each an
 * `OSError` so that code catching Python's socket errors catches them too:
 *
 * ```text
 * OSError
 *  └── TelnetLimitError                 ERR_TELNET_LIMIT
 *       ├── TelnetSubnegotiationError   ERR_TELNET_SB_TOO_LONG       (the connection is closed)
 *       ├── TelnetCommandFloodError     ERR_TELNET_TOO_MANY_COMMANDS (the connection is closed)
 *       └── TelnetQueueFullError        ERR_TELNET_QUEUE_FULL        (nothing lost: read the queue and go on)
 * ```
 *
 * @module
 */
import { nameErrors, OSError } from "../errors/index.js";

/** netkit's: a peer went past one of `TELNET_LIMITS`; `limit` is the bound that was passed. */
export class TelnetLimitError extends OSError {
  static override defaultCode = "ERR_TELNET_LIMIT";
  /** The bound that was passed. */
  readonly limit: number;
  /**
   * @param message what was refused
   * @param limit the bound that was passed
   */
  constructor(message: string, limit: number) {
    super(undefined, message);
    this.limit = limit;
  }
}

/** netkit's: a subnegotiation (SB ... SE) held more than `maxSbData` bytes; the connection is closed. */
export class TelnetSubnegotiationError extends TelnetLimitError {
  static override defaultCode = "ERR_TELNET_SB_TOO_LONG";
}

/** netkit's: more than `maxCommands` Telnet commands came with no data between them; the connection is closed. */
export class TelnetCommandFloodError extends TelnetLimitError {
  static override defaultCode = "ERR_TELNET_TOO_MANY_COMMANDS";
}

/**
 * netkit's: the cooked queue holds `maxQueue` bytes and a read would read
 * more. Nothing is lost and the connection stays open: `readVeryLazy()`
 * takes the queue, and reading can go on.
 */
export class TelnetQueueFullError extends TelnetLimitError {
  static override defaultCode = "ERR_TELNET_QUEUE_FULL";
}

nameErrors({ TelnetLimitError, TelnetSubnegotiationError, TelnetCommandFloodError, TelnetQueueFullError });
