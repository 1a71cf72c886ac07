/**
 * Python's `mailbox` message classes: `Message` and its five format
 * subclasses, each a netkit/email `Message` carrying what its format keeps
 * beside the headers (Maildir's subdir, info and date; the mbox and MMDF
 * `From ` line and Status/X-Status flags; MH sequences; Babyl labels and
 * visible headers). Pure: no I/O.
 *
 * Building one from another converts that state as Python does
 * (`new mboxMessage(maildirMsg)` turns Maildir flag `S` into mbox `R`, ...):
 *
 * ```text
 *              to Maildir        to mbox/MMDF          to MH              to Babyl
 * Maildir      flags,subdir,date S→R cur→O T→D F→F R→A  !S→unseen R→replied F→flagged  !S→unseen T→deleted R→answered P→forwarded
 * mbox/MMDF    O→cur F→F A→R R→S D→T, date from From_   flags, From_   !R→unseen A→replied F→flagged  !R→unseen D→deleted A→answered
 * MH           cur; !unseen→S flagged→F replied→R      !unseen→RO else O, flagged→F replied→A  sequences  unseen→unseen replied→answered
 * Babyl        cur; !unseen→S forwarded|resent→P answered→R deleted→T  !unseen→RO else O, deleted→D answered→A  unseen→unseen answered→replied  labels, visible
 * ```
 *
 * The constructor takes what Python's does: nothing, a message (copied,
 * then converted), bytes or ASCII text (parsed with netkit/email).
 *
 * @module
 */
import { Message as EmailMessage, messageFromBytes, messageFromString } from "../email/index.js";
import { deepcopyMessage } from "../email/message.js";
import { ValueError, withCode } from "../errors/index.js";
import { asctimeUTC, parseAsctime } from "./_time.js";

/** What a mailbox message is built from: a message, bytes, or text. */
export type MessageSource = EmailMessage | Uint8Array | string;

/** Python's `mailbox.Message`: a netkit/email `Message` with format-specific state. */
export class Message extends EmailMessage {
  /** The names of the fields that are this format's own (not copied when converting). */
  protected get _typeSpecific(): readonly string[] {
    return [];
  }

  /**
   * Python's `mailbox.Message(message)`.
   * @param message a message to copy and convert, bytes or text to parse, or nothing
   * @throws {TypeError} when `message` is none of these
   */
  constructor(message: MessageSource | null = null) {
    super();
    this._initSpecific(message);
    if (message instanceof EmailMessage) {
      this.#become(deepcopyMessage(message), message instanceof Message ? message._typeSpecific : []);
      if (message instanceof Message) message._explainTo(this);
    } else if (message instanceof Uint8Array) {
      this.#become(messageFromBytes(message), []);
    } else if (typeof message === "string") {
      this.#become(messageFromString(message), []);
    } else if (message !== null) {
      throw withCode(new TypeError(`Cannot build a message from ${typeof message}`), "ERR_INVALID_ARG_TYPE");
    }
  }

  /** Sets the format's own fields to their defaults (before any conversion); `message` is the constructor's. */
  protected _initSpecific(_message: MessageSource | null): void {}

  /** Python's `_become_message`: takes the plain-message state of `msg`. */
  #become(msg: EmailMessage, skip: readonly string[]): void {
    for (const key of Object.keys(msg)) {
      if (!skip.includes(key))
        (this as unknown as Record<string, unknown>)[key] = (msg as unknown as Record<string, unknown>)[key];
    }
  }

  /**
   * Python's `_explain_to`: copies this format's state to `message` as far
   * as its format can hold it (the message being built from this one). A
   * plain `Message` has nothing to copy.
   */
  _explainTo(_message: Message): void {}
}

/** Python's `MaildirMessage`: subdir (`new` or `cur`), info (`2,FLAGS`) and delivery date. */
export class MaildirMessage extends Message {
  /** Python's `_subdir`. */
  declare _subdir: "new" | "cur";
  /** Python's `_info`: the text after the colon (`2,FLAGS`). */
  declare _info: string;
  /** Python's `_date`: the delivery date, seconds since the epoch. */
  declare _date: number;

  protected override get _typeSpecific(): readonly string[] {
    return ["_subdir", "_info", "_date"];
  }

  protected override _initSpecific(): void {
    this._subdir = "new";
    this._info = "";
    this._date = Date.now() / 1000;
  }

  /** Python's `get_subdir`: `"new"` or `"cur"`. */
  getSubdir(): "new" | "cur" {
    return this._subdir;
  }

  /**
   * Python's `set_subdir`.
   * @throws {ValueError} when `subdir` is not `"new"` or `"cur"`
   */
  setSubdir(subdir: string): void {
    if (subdir !== "new" && subdir !== "cur")
      throw new ValueError(`subdir must be 'new' or 'cur': ${subdir}`);
    this._subdir = subdir;
  }

  /** Python's `get_flags`: the flags after `2,` in the info, else `""`. */
  getFlags(): string {
    return this._info.startsWith("2,") ? this._info.slice(2) : "";
  }

  /** Python's `set_flags`: sets exactly these flags (the info becomes `2,` and the sorted flags). */
  setFlags(flags: string): void {
    this._info = `2,${[...flags].sort().join("")}`;
  }

  /** Python's `add_flag`: sets the given flag(s), keeping the others. */
  addFlag(flag: string): void {
    this.setFlags(union(this.getFlags(), flag));
  }

  /** Python's `remove_flag`: unsets the given flag(s), keeping the others. */
  removeFlag(flag: string): void {
    if (this.getFlags()) this.setFlags(difference(this.getFlags(), flag));
  }

  /** Python's `get_date`: the delivery date, in seconds since the epoch. */
  getDate(): number {
    return this._date;
  }

  /**
   * Python's `set_date`.
   * @throws {TypeError} when `date` is not a number
   */
  setDate(date: number): void {
    const n = Number(date);
    if (Number.isNaN(n) && typeof date !== "number")
      throw withCode(new TypeError(`Cannot convert to float: ${String(date)}`), "ERR_INVALID_ARG_TYPE");
    this._date = n;
  }

  /** Python's `get_info`: the text after the colon in the file name. */
  getInfo(): string {
    return this._info;
  }

  /**
   * Python's `set_info`.
   * @throws {TypeError} when `info` is not a string
   */
  setInfo(info: string): void {
    if (typeof info !== "string")
      throw withCode(new TypeError(`info must be a string: ${typeof info}`), "ERR_INVALID_ARG_TYPE");
    this._info = info;
  }

  override _explainTo(message: Message): void {
    const flags = new Set(this.getFlags());
    if (message instanceof MaildirMessage) {
      message.setFlags(this.getFlags());
      message.setSubdir(this.getSubdir());
      message.setDate(this.getDate());
    } else if (message instanceof MboxMMDFMessage) {
      if (flags.has("S")) message.addFlag("R");
      if (this.getSubdir() === "cur") message.addFlag("O");
      if (flags.has("T")) message.addFlag("D");
      if (flags.has("F")) message.addFlag("F");
      if (flags.has("R")) message.addFlag("A");
      message.setFrom("MAILER-DAEMON", this.getDate());
    } else if (message instanceof MHMessage) {
      if (!flags.has("S")) message.addSequence("unseen");
      if (flags.has("R")) message.addSequence("replied");
      if (flags.has("F")) message.addSequence("flagged");
    } else if (message instanceof BabylMessage) {
      if (!flags.has("S")) message.addLabel("unseen");
      if (flags.has("T")) message.addLabel("deleted");
      if (flags.has("R")) message.addLabel("answered");
      if (flags.has("P")) message.addLabel("forwarded");
    }
  }
}

/**
 * Python's `_mboxMMDFMessage`: what mbox and MMDF messages share, the
 * envelope `From ` line and the flags kept in the Status and X-Status
 * headers (`R`ead, `O`ld; `D`eleted, `F`lagged, `A`nswered).
 */
export class MboxMMDFMessage extends Message {
  /** Python's `_from`: the `From ` line's text. */
  declare _from: string;

  protected override get _typeSpecific(): readonly string[] {
    return ["_from"];
  }

  protected override _initSpecific(message: MessageSource | null): void {
    this.setFrom("MAILER-DAEMON", true);
    if (message instanceof EmailMessage) {
      const unixfrom = message.getUnixfrom();
      if (unixfrom?.startsWith("From ")) this.setFrom(unixfrom.slice(5));
    }
  }

  /** Python's `get_from`: the `From ` line without `From `. */
  getFrom(): string {
    return this._from;
  }

  /**
   * Python's `set_from`: sets the `From ` line's text, with a date appended
   * when `time` is given (`true` for now, or seconds since the epoch, UTC).
   */
  setFrom(from: string, time: number | true | null = null): void {
    let text = from;
    if (time !== null) text += ` ${asctimeUTC(time === true ? undefined : time)}`;
    this._from = text;
  }

  /** Python's `get_flags`: the Status header's value, then X-Status's. */
  getFlags(): string {
    return String(this.get("Status", "")) + String(this.get("X-Status", ""));
  }

  /** Python's `set_flags`: `R` and `O` go in Status, `D`, `F`, `A` and any other in X-Status. */
  setFlags(flags: string): void {
    const rest = new Set(flags);
    let status = "";
    let xstatus = "";
    for (const f of "RO") if (rest.delete(f)) status += f;
    for (const f of "DFA") if (rest.delete(f)) xstatus += f;
    xstatus += [...rest].sort().join("");
    if (this.has("Status")) this.replaceHeader("Status", status);
    else this.addHeader("Status", status);
    if (this.has("X-Status")) this.replaceHeader("X-Status", xstatus);
    else this.addHeader("X-Status", xstatus);
  }

  /** Python's `add_flag`. */
  addFlag(flag: string): void {
    this.setFlags(union(this.getFlags(), flag));
  }

  /** Python's `remove_flag` (nothing when there is no Status or X-Status header). */
  removeFlag(flag: string): void {
    if (this.has("Status") || this.has("X-Status")) this.setFlags(difference(this.getFlags(), flag));
  }

  override _explainTo(message: Message): void {
    const flags = new Set(this.getFlags());
    if (message instanceof MaildirMessage) {
      if (flags.has("O")) message.setSubdir("cur");
      if (flags.has("F")) message.addFlag("F");
      if (flags.has("A")) message.addFlag("R");
      if (flags.has("R")) message.addFlag("S");
      if (flags.has("D")) message.addFlag("T");
      message.delete("status");
      message.delete("x-status");
      const date = parseAsctime(this.getFrom().split(/\s+/).filter(Boolean).slice(-5).join(" "));
      if (date !== null) message.setDate(date);
    } else if (message instanceof MboxMMDFMessage) {
      message.setFlags(this.getFlags());
      message.setFrom(this.getFrom());
    } else if (message instanceof MHMessage) {
      if (!flags.has("R")) message.addSequence("unseen");
      if (flags.has("A")) message.addSequence("replied");
      if (flags.has("F")) message.addSequence("flagged");
      message.delete("status");
      message.delete("x-status");
    } else if (message instanceof BabylMessage) {
      if (!flags.has("R")) message.addLabel("unseen");
      if (flags.has("D")) message.addLabel("deleted");
      if (flags.has("A")) message.addLabel("answered");
      message.delete("status");
      message.delete("x-status");
    }
  }
}

/** Python's `mboxMessage`: a message of an mbox file. */
export class mboxMessage extends MboxMMDFMessage {}

/** Python's `MMDFMessage`: a message of an MMDF file. */
export class MMDFMessage extends MboxMMDFMessage {}

/** Python's `MHMessage`: a message of an MH folder, with the names of its sequences. */
export class MHMessage extends Message {
  /** Python's `_sequences`. */
  declare _sequences: string[];

  protected override get _typeSpecific(): readonly string[] {
    return ["_sequences"];
  }

  protected override _initSpecific(): void {
    this._sequences = [];
  }

  /** Python's `get_sequences`: a copy of the sequence names. */
  getSequences(): string[] {
    return [...this._sequences];
  }

  /** Python's `set_sequences`. */
  setSequences(sequences: Iterable<string>): void {
    this._sequences = [...sequences];
  }

  /**
   * Python's `add_sequence`.
   * @throws {TypeError} when `sequence` is not a string
   */
  addSequence(sequence: string): void {
    if (typeof sequence !== "string")
      throw withCode(new TypeError(`sequence type must be str: ${typeof sequence}`), "ERR_INVALID_ARG_TYPE");
    if (!this._sequences.includes(sequence)) this._sequences.push(sequence);
  }

  /** Python's `remove_sequence` (nothing when absent). */
  removeSequence(sequence: string): void {
    const i = this._sequences.indexOf(sequence);
    if (i >= 0) this._sequences.splice(i, 1);
  }

  override _explainTo(message: Message): void {
    const seqs = new Set(this.getSequences());
    if (message instanceof MaildirMessage) {
      message.setSubdir("cur");
      if (!seqs.has("unseen")) message.addFlag("S");
      if (seqs.has("flagged")) message.addFlag("F");
      if (seqs.has("replied")) message.addFlag("R");
    } else if (message instanceof MboxMMDFMessage) {
      message.addFlag(seqs.has("unseen") ? "O" : "RO");
      if (seqs.has("flagged")) message.addFlag("F");
      if (seqs.has("replied")) message.addFlag("A");
    } else if (message instanceof MHMessage) {
      for (const s of this.getSequences()) message.addSequence(s);
    } else if (message instanceof BabylMessage) {
      if (seqs.has("unseen")) message.addLabel("unseen");
      if (seqs.has("replied")) message.addLabel("answered");
    }
  }
}

/** Python's `BabylMessage`: a message of a Babyl file, with labels and the visible headers. */
export class BabylMessage extends Message {
  /** Python's `_labels`. */
  declare _labels: string[];
  /** Python's `_visible`: the headers a reader shows. */
  declare _visible: Message;

  protected override get _typeSpecific(): readonly string[] {
    return ["_labels", "_visible"];
  }

  protected override _initSpecific(): void {
    this._labels = [];
    this._visible = new Message();
  }

  /** Python's `get_labels`: a copy of the labels. */
  getLabels(): string[] {
    return [...this._labels];
  }

  /** Python's `set_labels`. */
  setLabels(labels: Iterable<string>): void {
    this._labels = [...labels];
  }

  /**
   * Python's `add_label`.
   * @throws {TypeError} when `label` is not a string
   */
  addLabel(label: string): void {
    if (typeof label !== "string")
      throw withCode(new TypeError(`label must be a string: ${typeof label}`), "ERR_INVALID_ARG_TYPE");
    if (!this._labels.includes(label)) this._labels.push(label);
  }

  /** Python's `remove_label` (nothing when absent). */
  removeLabel(label: string): void {
    const i = this._labels.indexOf(label);
    if (i >= 0) this._labels.splice(i, 1);
  }

  /** Python's `get_visible`: a copy of the visible headers, as a `Message`. */
  getVisible(): Message {
    return new Message(this._visible);
  }

  /** Python's `set_visible`: the visible headers, from a message, bytes or text. */
  setVisible(visible: MessageSource): void {
    this._visible = new Message(visible);
  }

  /**
   * Python's `update_visible`: each visible header takes the message's value
   * (or goes, when the message lacks it), and Date, From, Reply-To, To, CC
   * and Subject are added when the message has them.
   */
  updateVisible(): void {
    for (const header of this._visible.keys()) {
      if (this.has(header)) this._visible.replaceHeader(header, this.#fetch(header));
      else this._visible.delete(header);
    }
    for (const header of ["Date", "From", "Reply-To", "To", "CC", "Subject"]) {
      if (this.has(header) && !this._visible.has(header)) this._visible.set(header, this.#fetch(header));
    }
  }

  /**
   * Python's `self[name]`: the value as the policy gives it (under compat32 a
   * `Header` in `unknown-8bit` for 8-bit bytes, which `get()` turns to text).
   */
  #fetch(name: string): unknown {
    const lname = name.toLowerCase();
    const found = this._headers.find(([k]) => k.toLowerCase() === lname);
    return found === undefined ? undefined : this.policy.headerFetchParse(found[0], found[1]);
  }

  override _explainTo(message: Message): void {
    const labels = new Set(this.getLabels());
    if (message instanceof MaildirMessage) {
      message.setSubdir("cur");
      if (!labels.has("unseen")) message.addFlag("S");
      if (labels.has("forwarded") || labels.has("resent")) message.addFlag("P");
      if (labels.has("answered")) message.addFlag("R");
      if (labels.has("deleted")) message.addFlag("T");
    } else if (message instanceof MboxMMDFMessage) {
      message.addFlag(labels.has("unseen") ? "O" : "RO");
      if (labels.has("deleted")) message.addFlag("D");
      if (labels.has("answered")) message.addFlag("A");
    } else if (message instanceof MHMessage) {
      if (labels.has("unseen")) message.addSequence("unseen");
      if (labels.has("answered")) message.addSequence("replied");
    } else if (message instanceof BabylMessage) {
      message.setVisible(this.getVisible());
      for (const l of this.getLabels()) message.addLabel(l);
    }
  }
}

/** The characters of `a` and of `b`, each once (Python's `set(a) | set(b)` joined). */
function union(a: string, b: string): string {
  return [...new Set([...a, ...b])].join("");
}

/** The characters of `a` not in `b`. */
function difference(a: string, b: string): string {
  const drop = new Set(b);
  return [...new Set(a)].filter((c) => !drop.has(c)).join("");
}
