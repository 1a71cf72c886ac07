/**
 * Python's `email.iterators`: walking a message tree.
 *
 * @module
 */
import type { Message } from "./message.js";

/** Python's `walk`: the message, then every part below it, depth first. */
export function walk(msg: Message): Generator<Message, void, undefined> {
  return msg.walk();
}

/**
 * Python's `body_line_iterator`: the lines (with their line ends) of every
 * text payload in the tree, decoded from the transfer encoding when `decode`.
 */
export function* bodyLineIterator(msg: Message, decode = false): Generator<string, void, undefined> {
  for (const part of msg.walk()) {
    const payload = decode ? part.getPayload({ decode: true }) : part.getPayload();
    if (typeof payload === "string") yield* payload.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  }
}

/**
 * Python's `typed_subpart_iterator`: the parts of type `maintype` (and
 * `subtype`, when given).
 */
export function* typedSubpartIterator(
  msg: Message,
  maintype = "text",
  subtype: string | null = null,
): Generator<Message, void, undefined> {
  for (const part of msg.walk()) {
    if (
      part.getContentMaintype() === maintype &&
      (subtype === null || part.getContentSubtype() === subtype)
    ) {
      yield part;
    }
  }
}

/** Python's `_structure`: the tree's content types, indented four spaces a level (for debugging). */
export function structure(msg: Message, level = 0, includeDefault = false): string {
  let out = " ".repeat(level * 4) + msg.getContentType();
  out += includeDefault ? ` [${msg.getDefaultType()}]\n` : "\n";
  if (msg.isMultipart()) {
    for (const sub of msg.getPayload() as Message[]) out += structure(sub, level + 1, includeDefault);
  }
  return out;
}
