/**
 * The command line of every `netkit` command, read one way: as Python's
 * argparse reads `python -m http.server`'s, on top of node:util's
 * `parseArgs`. A command is described once (`CommandSpec`); from that one
 * description come its usage line, its `--help` (each option with its
 * meaning and default, laid out as argparse lays it out) and its usage
 * errors, which name the argument at fault in argparse's words:
 *
 * ```text
 * usage: netkit http.server [-h] [--version] [--cgi] [-b ADDRESS] ... [port]
 * netkit http.server: error: argument port: invalid int value: 'abc'
 * ```
 *
 * `-h`/`--help` and `--version` belong to every command. Not argparse's:
 * option names are not abbreviated (`--dir` is not `--directory`), and
 * `--` ends the options as in every Unix tool.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { pyInt } from "../_pystr.js";
import { pyRepr } from "../errors/index.js";

/**
 * How a value is read. `int` is Python's `int()`, `float` its `float()`
 * (decimal only), `port` an `int()` from 0 to 65535.
 */
export type ValueType = "string" | "int" | "float" | "port";

/** One argument of a command: an option (`--bind ADDRESS`, `--cgi`) or a positional (`port`). */
export interface ArgumentSpec {
  /** An option's long name without its dashes (`"bind"`), or how a positional is shown (`"port"`, `"URL"`). */
  name: string;
  /** An option's one-letter name (`"b"` is `-b`). */
  short?: string;
  /** The value an option takes, as help shows it (`"ADDRESS"`); without it the option is a flag. */
  metavar?: string;
  /** How the value is read. @default "string" */
  type?: ValueType;
  /** The only values allowed. */
  choices?: readonly string[];
  /** What the argument means, for `--help` (lower case, no full stop, as argparse's). */
  help: string;
  /** The value when the argument is absent (shown in help as `(default: ...)`). */
  default?: string | number;
  /** What help shows as the default when it is not the value itself (`"current directory"`). */
  defaultText?: string;
  /** A positional that may be left out (shown as `[FILE]`). @default false */
  optional?: boolean;
}

/** A command: its name, what it does, and its arguments. */
export interface CommandSpec {
  /** The program as the user types it: `"netkit http.server"`. */
  prog: string;
  /** One line for `netkit --help`. */
  summary: string;
  /** What `--help` says under the usage line. @default summary */
  description?: string;
  /** The options, in the order help lists them. */
  options: readonly ArgumentSpec[];
  /** The positionals, in order. */
  positionals: readonly ArgumentSpec[];
  /** What `--help` says last. */
  epilog?: string;
}

/**
 * A wrong command line: the message is argparse's text after `error: `
 * (`argument port: invalid int value: 'abc'`). The command's usage line
 * goes with it (`formatUsageError`); the process exits 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
  /** netkit's stable error code. */
  readonly code = "ERR_USAGE";
}

/** The arguments as read, defaults filled in; `help`/`version` when those were asked for. */
export class ParsedArgs {
  /** `-h`/`--help` was given: the rest was not checked. */
  readonly help: boolean;
  /** `--version` was given (and not `--help`): the rest was not checked. */
  readonly version: boolean;
  readonly #values: ReadonlyMap<string, string | number | boolean>;

  constructor(values: ReadonlyMap<string, string | number | boolean>, help = false, version = false) {
    this.#values = values;
    this.help = help;
    this.version = version;
  }

  /** A string argument's value (or its default), `undefined` when it has neither. */
  string(name: string): string | undefined {
    const value = this.#values.get(name);
    return value === undefined ? undefined : String(value);
  }

  /** A number argument's value (or its default). */
  number(name: string): number | undefined {
    const value = this.#values.get(name);
    return typeof value === "number" ? value : undefined;
  }

  /** True when the flag was given. */
  flag(name: string): boolean {
    return this.#values.get(name) === true;
  }
}

/** The options every command has, listed first in help as argparse lists `-h`. */
const BUILTIN: readonly ArgumentSpec[] = [
  { name: "help", short: "h", help: "show this help message and exit" },
  { name: "version", help: "show netkit's version number and exit" },
];

/** How an option is named in messages: `-b/--bind`, `--cgi`. */
function optionName(option: ArgumentSpec): string {
  return option.short ? `-${option.short}/--${option.name}` : `--${option.name}`;
}

/** How an argument reads in the usage line: `[-b ADDRESS]`, `[--cgi]`, `URL`, `[FILE]`. */
function usagePart(arg: ArgumentSpec, positional: boolean): string {
  if (positional) return arg.optional ? `[${arg.name}]` : arg.name;
  const flag = arg.short ? `-${arg.short}` : `--${arg.name}`;
  return `[${arg.metavar ? `${flag} ${arg.metavar}` : flag}]`;
}

/** The usage line: `usage: netkit http.server [-h] [--version] [--cgi] ... [port]`. */
export function formatUsage(spec: CommandSpec): string {
  const parts = [
    ...[...BUILTIN, ...spec.options].map((o) => usagePart(o, false)),
    ...spec.positionals.map((p) => usagePart(p, true)),
  ];
  return `usage: ${spec.prog} ${parts.join(" ")}`;
}

/** What stderr shows for a usage error: the usage line, then `PROG: error: MESSAGE`. */
export function formatUsageError(spec: Pick<CommandSpec, "prog">, usage: string, message: string): string {
  return `${usage}\n${spec.prog}: error: ${message}\n`;
}

/**
 * `text` wrapped to lines of at most `width` characters, as Python's
 * `textwrap` (which argparse uses) wraps it: between words, and after a
 * hyphen inside a word (`Last-` / `Modified`).
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    word.split(/(?<=\p{L}{2}-)(?=\p{L})/u).forEach((piece, i) => {
      const glue = line && i === 0 ? " " : "";
      if (line && line.length + glue.length + piece.length > width) {
        lines.push(line);
        line = piece;
      } else line += glue + piece;
    });
  }
  if (line) lines.push(line);
  return lines;
}

/** The help text with its default: `bind to this port (default: 8000)`. */
function helpText(arg: ArgumentSpec): string {
  const shown = arg.defaultText ?? (arg.default === undefined ? undefined : String(arg.default));
  return shown === undefined ? arg.help : `${arg.help} (default: ${shown})`;
}

/** Help's width: argparse's (the terminal's columns less 2), at most 100 and at least 40. */
const HELP_WIDTH = 78;
/** Where help text starts, as argparse's `max_help_position`. */
const MAX_HELP_POSITION = 24;

/** Where help text starts for these entries: argparse's, shared by every section. */
function helpColumn(entries: Array<[string, string]>): number {
  const longest = Math.max(...entries.map(([invocation]) => invocation.length + 2));
  return Math.min(longest + 2, MAX_HELP_POSITION);
}

/** A section of `--help`: each entry's invocation, then its help beside it or below it. */
function section(title: string, entries: Array<[string, string]>, column: number): string[] {
  const lines = [`${title}:`];
  for (const [invocation, help] of entries) {
    const text = wrap(help, HELP_WIDTH - column);
    const head = `  ${invocation}`;
    if (head.length <= column - 2) {
      lines.push(`${head.padEnd(column)}${text[0] ?? ""}`.trimEnd());
      for (const more of text.slice(1)) lines.push(`${" ".repeat(column)}${more}`);
    } else {
      lines.push(head);
      for (const more of text) lines.push(`${" ".repeat(column)}${more}`);
    }
  }
  return lines;
}

/** `--help`: usage, description, positional arguments, options, epilog (argparse's layout). */
export function formatHelp(spec: CommandSpec): string {
  const positionals = spec.positionals.map((p): [string, string] => [p.name, helpText(p)]);
  const options = [...BUILTIN, ...spec.options].map((o): [string, string] => {
    const names = [o.short ? `-${o.short}` : undefined, `--${o.name}`].filter(Boolean) as string[];
    const invocation = names.map((n) => (o.metavar ? `${n} ${o.metavar}` : n)).join(", ");
    return [invocation, helpText(o)];
  });
  const column = helpColumn([...positionals, ...options]);
  const lines = [formatUsage(spec), "", ...wrap(spec.description ?? spec.summary, HELP_WIDTH)];
  if (positionals.length > 0) lines.push("", ...section("positional arguments", positionals, column));
  lines.push("", ...section("options", options, column));
  if (spec.epilog) lines.push("", ...wrap(spec.epilog, HELP_WIDTH));
  return `${lines.join("\n")}\n`;
}

/** Python's `float(text)` for decimal text (with `inf` and `nan`); `undefined` where Python raises. */
function pyFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const special = /^([+-]?)(inf|infinity|nan)$/.exec(t);
  if (special) return special[2] === "nan" ? Number.NaN : special[1] === "-" ? -Infinity : Infinity;
  const digits = String.raw`\d+(?:_\d+)*`;
  const decimal = new RegExp(`^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:e[+-]?${digits})?$`);
  return decimal.test(t) ? Number(t.replace(/_/g, "")) : undefined;
}

/** Reads one value by its type, or throws argparse's `invalid int value: 'x'`. */
function convert(arg: ArgumentSpec, shown: string, text: string): string | number {
  if (arg.choices && !arg.choices.includes(text)) {
    const choices = arg.choices.map((c) => pyRepr(c)).join(", ");
    throw new UsageError(`argument ${shown}: invalid choice: ${pyRepr(text)} (choose from ${choices})`);
  }
  const type = arg.type ?? "string";
  if (type === "string") return text;
  const value = type === "float" ? pyFloat(text) : pyInt(text);
  if (value === undefined) {
    throw new UsageError(
      `argument ${shown}: invalid ${type === "float" ? "float" : "int"} value: ${pyRepr(text)}`,
    );
  }
  // Python's bind() says "port must be 0-65535"; here it is said before anything starts.
  if (type === "port" && !(value >= 0 && value <= 65535)) {
    throw new UsageError(`argument ${shown}: port must be 0-65535, not ${value}`);
  }
  return value;
}

/** A word that reads as a negative number: argparse takes it for a value, not an option. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/**
 * Reads `argv` (the words after the command's name) by `spec`, as argparse
 * would: options anywhere, `--` ending them, defaults filled in.
 * `-h`/`--help` anywhere wins over everything else, then `--version`.
 * @param spec the command's description
 * @param argv the words to read
 * @returns the values, or `help`/`version` set when those were asked for
 * @throws UsageError for anything argparse refuses, with argparse's message
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all = [...BUILTIN, ...spec.options];
  const byName = new Map(all.map((o) => [o.name, o]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      all.map((o) => [
        o.name,
        {
          type: o.metavar ? ("string" as const) : ("boolean" as const),
          ...(o.short ? { short: o.short } : {}),
        },
      ]),
    ),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === "option" && t.name === "help")) return new ParsedArgs(new Map(), true);
  if (tokens.some((t) => t.kind === "option" && t.name === "version")) {
    return new ParsedArgs(new Map(), false, true);
  }

  const values = new Map<string, string | number | boolean>();
  const words: string[] = [];
  const unrecognized: string[] = [];
  const seen = new Set<number>();
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      words.push(token.value);
      continue;
    }
    const raw = argv[token.index]!;
    const option = byName.get(token.name);
    if (option === undefined || (option.short === undefined && token.rawName === `-${token.name}`)) {
      // `-12` is a number, not options 1 and 2; `-cgi` is one unknown word, reported once.
      if (seen.has(token.index)) continue;
      seen.add(token.index);
      if (NEGATIVE_NUMBER.test(raw)) words.push(raw);
      else unrecognized.push(raw);
      continue;
    }
    const shown = optionName(option);
    if (!option.metavar) {
      if (token.inlineValue) {
        throw new UsageError(`argument ${shown}: ignored explicit argument ${pyRepr(token.value ?? "")}`);
      }
      values.set(option.name, true);
      continue;
    }
    const value = token.value;
    // parseArgs takes the next word whatever it is; argparse will not take an option for a value.
    if (
      value === undefined ||
      (!token.inlineValue && value.startsWith("-") && value !== "-" && !NEGATIVE_NUMBER.test(value))
    ) {
      throw new UsageError(`argument ${shown}: expected one argument`);
    }
    values.set(option.name, convert(option, shown, value));
  }

  const positionals = spec.positionals;
  const required = positionals.filter((p) => !p.optional).length;
  if (words.length < required) {
    const missing = positionals
      .filter((p) => !p.optional)
      .slice(words.length)
      .map((p) => p.name);
    throw new UsageError(`the following arguments are required: ${missing.join(", ")}`);
  }
  // Optional positionals take what is left after the required ones, in order.
  let spare = words.length - required;
  let next = 0;
  for (const p of positionals) {
    if (p.optional && spare === 0) continue;
    if (p.optional) spare--;
    const word = words[next++];
    if (word !== undefined) values.set(p.name, convert(p, p.name, word));
  }
  unrecognized.push(...words.slice(next));
  if (unrecognized.length > 0) throw new UsageError(`unrecognized arguments: ${unrecognized.join(" ")}`);

  for (const arg of [...spec.options, ...positionals]) {
    if (!values.has(arg.name) && arg.default !== undefined) values.set(arg.name, arg.default);
  }
  return new ParsedArgs(values);
}
