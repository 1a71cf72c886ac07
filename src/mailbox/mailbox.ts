/**
 * Python's `mailbox.Mailbox`: the interface every format implements, and
 * the methods written once over the format's own (`get`, `keys`,
 * `values`, `items`, iteration, `discard`, `clear`, `pop`, `popitem`,
 * `update`, `getString`).
 *
 * Every method that touches the disk is `async`, so `box[key]` is
 * `await box.getItem(key)`, `len(box)` is `await box.length()`, `key in
 * box` is `await box.contains(key)`, `box[key] = msg` is `await
 * box.replace(key, msg)` and `del box[key]` is `await box.remove(key)`.
 * Iterating (`for await (const [key, msg] of box)`) yields `[key, message]`
 * pairs, as a JavaScript `Map` does (Python's yields the messages:
 * `box.iterValues()`).
 *
 * Methods for the caller: the above, plus `flush`, `lock`, `unlock`,
 * `close` (`await using box = ...` closes it).
 * Methods a format implements: `add`, `remove`, `replace`, `getMessage`,
 * `getBytes`, `getFile`, `iterKeys`, `contains`, `length`, `flush`, `lock`,
 * `unlock`, `close`.
 *
 * @module
 */
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { messageFromBytes } from "../email/index.js";
import { KeyError } from "../errors/index.js";
import type { MessageInput } from "./_file.js";
import type { Message } from "./message.js";

/** Python's `factory` argument: builds what `getItem` returns from a message's bytes. */
export type MessageFactory = (data: Buffer) => unknown;

/** Options of every mailbox class. */
export interface MailboxOptions {
  /** Builds what `getItem`/`get`/iteration return from the bytes; `null` for the format's message class. @default null */
  factory?: MessageFactory | null;
  /** Create the mailbox when it does not exist. @default true */
  create?: boolean;
}

/** What `update` takes: pairs, a `Map`, or another mailbox. */
export type UpdateSource<K> =
  | Iterable<readonly [K, MessageInput]>
  | AsyncIterable<readonly [K, MessageInput]>
  | Map<K, MessageInput>;

/**
 * Python's `mailbox.Mailbox`: a collection of messages by key. `K` is the
 * key type (a string for Maildir, a number for the others), `M` the
 * format's message class.
 */
export abstract class Mailbox<K extends string | number, M extends Message> {
  /** Python's `_path`: the absolute path (a leading `~` expanded). */
  readonly _path: string;
  /** Python's `_factory`. */
  readonly _factory: MessageFactory | null;

  /**
   * @param path the mailbox's file or folder
   * @param options `factory` and `create`
   */
  constructor(path: string, options: MailboxOptions = {}) {
    const expanded = path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
    this._path = resolve(expanded);
    this._factory = options.factory ?? null;
  }

  /**
   * Python's `add`: stores a message and returns its key.
   * @throws {ValueError} when text is not ASCII
   */
  abstract add(message: MessageInput): Promise<K>;

  /**
   * Python's `remove` (and `del box[key]`).
   * @throws {KeyError} when there is no such message
   */
  abstract remove(key: K): Promise<void>;

  /**
   * Python's `__setitem__` (`box[key] = message`): replaces a message.
   * @throws {KeyError} when there is no such message
   */
  abstract replace(key: K, message: MessageInput): Promise<void>;

  /**
   * Python's `get_message`: the message, as the format's class.
   * @throws {KeyError} when there is no such message
   */
  abstract getMessage(key: K): Promise<M>;

  /**
   * Python's `get_bytes`: the message's bytes (mbox and MMDF: without the `From ` line).
   * @throws {KeyError} when there is no such message
   */
  abstract getBytes(key: K): Promise<Buffer>;

  /**
   * Python's `get_file`: the message's bytes as a stream.
   * @throws {KeyError} when there is no such message
   */
  abstract getFile(key: K): Promise<Readable>;

  /** Python's `iterkeys`. */
  abstract iterKeys(): AsyncGenerator<K>;

  /** Python's `key in box`. */
  abstract contains(key: K): Promise<boolean>;

  /** Python's `len(box)`. */
  abstract length(): Promise<number>;

  /** Python's `flush`: writes pending changes to the disk. */
  abstract flush(): Promise<void>;

  /**
   * Python's `lock`: takes the mailbox's lock.
   * @throws {ExternalClashError} when another program holds it
   */
  abstract lock(): Promise<void>;

  /** Python's `unlock`. */
  abstract unlock(): Promise<void>;

  /** Python's `close`: flushes, unlocks and closes. */
  abstract close(): Promise<void>;

  /** Closes the mailbox at the end of an `await using` block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Python's `discard`: `remove`, without the `KeyError`. */
  async discard(key: K): Promise<void> {
    try {
      await this.remove(key);
    } catch (err) {
      if (!(err instanceof KeyError)) throw err;
    }
  }

  /**
   * Python's `box[key]`: the message, built by the factory when there is one.
   * @throws {KeyError} when there is no such message
   */
  async getItem(key: K): Promise<M> {
    if (this._factory === null) return this.getMessage(key);
    return this._factory(await this.getBytes(key)) as M;
  }

  /**
   * Python's `get`: `box[key]`, or `failobj` when there is no such message.
   * @param key the key
   * @param failobj what to return instead of a missing message (default `undefined`, Python's `None`)
   */
  async get<F = undefined>(key: K, failobj?: F): Promise<M | F> {
    try {
      return await this.getItem(key);
    } catch (err) {
      if (err instanceof KeyError) return failobj as F;
      throw err;
    }
  }

  /**
   * Python's `get_string`: the message as text, through netkit/email
   * (8-bit bytes become encoded words, so the text is 7-bit clean).
   * @throws {KeyError} when there is no such message
   */
  async getString(key: K): Promise<string> {
    return messageFromBytes(await this.getBytes(key)).asString();
  }

  /** Python's `keys`: every key, in the format's order. */
  async keys(): Promise<K[]> {
    const out: K[] = [];
    for await (const k of this.iterKeys()) out.push(k);
    return out;
  }

  /** Python's `itervalues`: the messages, skipping any removed meanwhile. */
  async *iterValues(): AsyncGenerator<M> {
    for await (const [, msg] of this.iterItems()) yield msg;
  }

  /** Python's `iteritems`: `[key, message]` pairs, skipping messages removed meanwhile. */
  async *iterItems(): AsyncGenerator<[K, M]> {
    for await (const key of this.iterKeys()) {
      let value: M;
      try {
        value = await this.getItem(key);
      } catch (err) {
        if (err instanceof KeyError) continue;
        throw err;
      }
      yield [key, value];
    }
  }

  /** Iterates `[key, message]` pairs (see the module comment). */
  [Symbol.asyncIterator](): AsyncGenerator<[K, M]> {
    return this.iterItems();
  }

  /** Python's `values`. */
  async values(): Promise<M[]> {
    const out: M[] = [];
    for await (const m of this.iterValues()) out.push(m);
    return out;
  }

  /** Python's `items`. */
  async items(): Promise<[K, M][]> {
    const out: [K, M][] = [];
    for await (const kv of this.iterItems()) out.push(kv);
    return out;
  }

  /** Python's `clear`: removes every message. */
  async clear(): Promise<void> {
    for (const key of await this.keys()) await this.discard(key);
  }

  /**
   * Python's `pop`: removes a message and returns it, or `failobj` when
   * there is no such message.
   */
  async pop<F = undefined>(key: K, failobj?: F): Promise<M | F> {
    let result: M;
    try {
      result = await this.getItem(key);
    } catch (err) {
      if (err instanceof KeyError) return failobj as F;
      throw err;
    }
    await this.discard(key);
    return result;
  }

  /**
   * Python's `popitem`: removes the first message and returns `[key, message]`.
   * @throws {KeyError} when the mailbox is empty
   */
  async popitem(): Promise<[K, M]> {
    for await (const key of this.iterKeys()) return [key, (await this.pop(key)) as M];
    throw new KeyError("No messages in mailbox");
  }

  /**
   * Python's `update`: `replace` for each pair; the keys must exist.
   * @throws {KeyError} after the others are done, when a key was missing
   */
  async update(source: UpdateSource<K>): Promise<void> {
    let badKey = false;
    const pairs = source instanceof Map ? source.entries() : source;
    for await (const [key, message] of pairs as AsyncIterable<readonly [K, MessageInput]>) {
      try {
        await this.replace(key, message);
      } catch (err) {
        if (!(err instanceof KeyError)) throw err;
        badKey = true;
      }
    }
    if (badKey) throw new KeyError("No message with key(s)");
  }
}

/** The `KeyError` for a missing message (Python's text: `No message with key: KEY`). */
export function noSuchKey(key: string | number): KeyError {
  return new KeyError(`No message with key: ${key}`);
}
