/**
 * `netkit/mimetypes`: Python's `mimetypes` module. It maps file names and
 * URLs to MIME types and back, from Python's built-in table and the system's
 * MIME database (`/etc/mime.types`, Debian's `media-types` package, and the
 * other `knownfiles`), read the first time a guess is made.
 *
 * ```text
 * guessType(url) ─► [type | null, encoding | null]     "a.tar.gz" → ["application/x-tar", "gzip"]
 * guessExtension(type) / guessAllExtensions(type)     "text/html" → ".html"
 * addType(type, ext), init(files), readMimeTypes(file)
 * MimeTypes        one database; the functions above use a shared one
 * ```
 *
 * The look-up is Python 3.11's, step by step: a `data:` URL names its own
 * type; otherwise the suffix is taken as `posixpath.splitext` takes it,
 * `suffixMap` rewrites `.tgz` to `.tar.gz` (and so on), `encodingsMap`
 * peels a compression suffix (case-sensitive), and the type suffix is looked
 * up lower-cased, in the strict table and, with `strict: false`, in
 * `commonTypes`. Files are read the way `MimeTypes.readfp` reads them: UTF-8,
 * one type a line followed by its extensions, `#` to the end of the line.
 *
 * Where netkit differs, on purpose: a file longer than {@link MAX_MIME_FILE}
 * bytes is refused (OSError EFBIG) rather than read; a line that is not UTF-8
 * is skipped and the rest of the file read (Python raises UnicodeDecodeError,
 * and `guessType` then fails for every name); the tables are `Map`s
 * (Python's are dicts); `readfp` takes the file's text (or its lines) rather
 * than a file object; there is no Windows registry.
 *
 * @example
 * ```ts
 * import { guessType, guessExtension } from "netkit/mimetypes";
 * guessType("report.pdf");      // ["application/pdf", null]
 * guessType("src.tar.gz");      // ["application/x-tar", "gzip"]
 * guessExtension("image/png");  // ".png"
 * ```
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { decodeUtf8Lines } from "./_utf8_lines.js";
import { isSystemError, OSError } from "./errors/index.js";

/** Largest MIME database file read (Debian's is 74 KB): bigger ones are refused, not parsed. */
export const MAX_MIME_FILE = 16 * 1024 * 1024;

/** Python's `mimetypes.knownfiles`: the MIME databases `init()` reads, in order, when they exist. */
export const knownfiles: string[] = [
  "/etc/mime.types",
  "/etc/httpd/mime.types", // Mac OS X
  "/etc/httpd/conf/mime.types", // Apache
  "/etc/apache/mime.types", // Apache 1
  "/etc/apache2/mime.types", // Apache 2
  "/usr/local/etc/httpd/conf/mime.types",
  "/usr/local/lib/netscape/mime.types",
  "/usr/local/etc/httpd/conf/mime.types", // Apache 1.2
  "/usr/local/etc/mime.types", // Apache 1.3
];

// Python 3.11's built-in tables (Lib/mimetypes.py, _default_mime_types), in its order.
const SUFFIX_MAP_DEFAULT: ReadonlyArray<[string, string]> = [
  [".svgz", ".svg.gz"],
  [".tgz", ".tar.gz"],
  [".taz", ".tar.gz"],
  [".tz", ".tar.gz"],
  [".tbz2", ".tar.bz2"],
  [".txz", ".tar.xz"],
];

const ENCODINGS_MAP_DEFAULT: ReadonlyArray<[string, string]> = [
  [".gz", "gzip"],
  [".Z", "compress"],
  [".bz2", "bzip2"],
  [".xz", "xz"],
  [".br", "br"],
];

const TYPES_MAP_DEFAULT: ReadonlyArray<[string, string]> = (
  [
    ["application/javascript", ".js .mjs"],
    ["application/json", ".json"],
    ["application/manifest+json", ".webmanifest"],
    ["application/msword", ".doc .dot .wiz"],
    ["application/n-quads", ".nq"],
    ["application/n-triples", ".nt"],
    ["application/octet-stream", ".bin .a .dll .exe .o .obj .so"],
    ["application/oda", ".oda"],
    ["application/pdf", ".pdf"],
    ["application/pkcs7-mime", ".p7c"],
    ["application/postscript", ".ps .ai .eps"],
    ["application/trig", ".trig"],
    ["application/vnd.apple.mpegurl", ".m3u .m3u8"],
    ["application/vnd.ms-excel", ".xls .xlb"],
    ["application/vnd.ms-powerpoint", ".ppt .pot .ppa .pps .pwz"],
    ["application/wasm", ".wasm"],
    ["application/x-bcpio", ".bcpio"],
    ["application/x-cpio", ".cpio"],
    ["application/x-csh", ".csh"],
    ["application/x-dvi", ".dvi"],
    ["application/x-gtar", ".gtar"],
    ["application/x-hdf", ".hdf"],
    ["application/x-hdf5", ".h5"],
    ["application/x-latex", ".latex"],
    ["application/x-mif", ".mif"],
    ["application/x-netcdf", ".cdf .nc"],
    ["application/x-pkcs12", ".p12 .pfx"],
    ["application/x-pn-realaudio", ".ram"],
    ["application/x-python-code", ".pyc .pyo"],
    ["application/x-sh", ".sh"],
    ["application/x-shar", ".shar"],
    ["application/x-shockwave-flash", ".swf"],
    ["application/x-sv4cpio", ".sv4cpio"],
    ["application/x-sv4crc", ".sv4crc"],
    ["application/x-tar", ".tar"],
    ["application/x-tcl", ".tcl"],
    ["application/x-tex", ".tex"],
    ["application/x-texinfo", ".texi .texinfo"],
    ["application/x-troff", ".roff .t .tr"],
    ["application/x-troff-man", ".man"],
    ["application/x-troff-me", ".me"],
    ["application/x-troff-ms", ".ms"],
    ["application/x-ustar", ".ustar"],
    ["application/x-wais-source", ".src"],
    ["application/xml", ".xsl .rdf .wsdl .xpdl"],
    ["application/zip", ".zip"],
    ["audio/3gpp", ".3gp .3gpp"],
    ["audio/3gpp2", ".3g2 .3gpp2"],
    ["audio/aac", ".aac .adts .loas .ass"],
    ["audio/basic", ".au .snd"],
    ["audio/mpeg", ".mp3 .mp2"],
    ["audio/opus", ".opus"],
    ["audio/x-aiff", ".aif .aifc .aiff"],
    ["audio/x-pn-realaudio", ".ra"],
    ["audio/x-wav", ".wav"],
    ["image/avif", ".avif"],
    ["image/bmp", ".bmp"],
    ["image/gif", ".gif"],
    ["image/ief", ".ief"],
    ["image/jpeg", ".jpg .jpe .jpeg"],
    ["image/heic", ".heic"],
    ["image/heif", ".heif"],
    ["image/png", ".png"],
    ["image/svg+xml", ".svg"],
    ["image/tiff", ".tiff .tif"],
    ["image/vnd.microsoft.icon", ".ico"],
    ["image/x-cmu-raster", ".ras"],
    ["image/x-portable-anymap", ".pnm"],
    ["image/x-portable-bitmap", ".pbm"],
    ["image/x-portable-graymap", ".pgm"],
    ["image/x-portable-pixmap", ".ppm"],
    ["image/x-rgb", ".rgb"],
    ["image/x-xbitmap", ".xbm"],
    ["image/x-xpixmap", ".xpm"],
    ["image/x-xwindowdump", ".xwd"],
    ["message/rfc822", ".eml .mht .mhtml .nws"],
    ["text/css", ".css"],
    ["text/csv", ".csv"],
    ["text/html", ".html .htm"],
    ["text/n3", ".n3"],
    ["text/plain", ".txt .bat .c .h .ksh .pl .srt"],
    ["text/richtext", ".rtx"],
    ["text/tab-separated-values", ".tsv"],
    ["text/vtt", ".vtt"],
    ["text/x-python", ".py"],
    ["text/x-setext", ".etx"],
    ["text/x-sgml", ".sgm .sgml"],
    ["text/x-vcard", ".vcf"],
    ["text/xml", ".xml"],
    ["video/mp4", ".mp4"],
    ["video/mpeg", ".mpeg .m1v .mpa .mpe .mpg"],
    ["video/quicktime", ".mov .qt"],
    ["video/webm", ".webm"],
    ["video/x-msvideo", ".avi"],
    ["video/x-sgi-movie", ".movie"],
  ] as const
).flatMap(([type, exts]) => exts.split(" ").map((ext): [string, string] => [ext, type]));

const COMMON_TYPES_DEFAULT: ReadonlyArray<[string, string]> = [
  [".rtf", "application/rtf"],
  [".midi", "audio/midi"],
  [".mid", "audio/midi"],
  [".jpg", "image/jpg"],
  [".pict", "image/pict"],
  [".pct", "image/pict"],
  [".pic", "image/pict"],
  [".webp", "image/webp"],
  [".xul", "text/xul"],
];

/** What Python's `str.split()` splits on (its whitespace), as a character class. */
const PY_SPACE =
  "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_WORDS = new RegExp(`[^${PY_SPACE}]+`, "g");
/** Text-mode `readline()` with universal newlines: a line ends at LF, CRLF or a lone CR. */
const TEXT_LINES = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
/** `urllib.parse._splittype`'s pattern: a scheme is what comes before the first colon, with no slash. */
const SPLIT_TYPE = /^([^/:]+):([\s\S]*)$/;

/** Python's `posixpath.splitext`: `[root, ext]`; leading dots of the last component do not start an extension. */
export function splitext(p: string): [string, string] {
  const sep = p.lastIndexOf("/");
  const dot = p.lastIndexOf(".");
  if (dot > sep) {
    for (let i = sep + 1; i < dot; i++) {
      if (p[i] !== ".") return [p.slice(0, dot), p.slice(dot)];
    }
  }
  return [p, ""];
}

/**
 * The text of a MIME database, as Python's `open(filename, encoding='utf-8')`
 * reads it, except that a line that is not UTF-8 is left out instead of
 * failing the whole file: one stray Latin-1 byte in a comment would otherwise
 * make every `guessType` throw.
 */
function decodeMimeFile(bytes: Buffer): string {
  return decodeUtf8Lines(bytes).text;
}

/** Reads a MIME database file (see {@link decodeMimeFile}), within MAX_MIME_FILE. */
function readText(filename: string): string {
  let size: number;
  try {
    size = statSync(filename).size;
  } catch (err) {
    throw OSError.fromNodeError(err, filename);
  }
  if (size > MAX_MIME_FILE) {
    throw new OSError(
      27,
      `File too large: netkit reads MIME databases up to ${MAX_MIME_FILE} bytes`,
      filename,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(filename);
  } catch (err) {
    throw OSError.fromNodeError(err, filename);
  }
  return decodeMimeFile(bytes);
}

/** A regular file (Python's `os.path.isfile`): false for anything missing or unreadable. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return false;
  }
}

/**
 * Python's `mimetypes.MimeTypes`: one MIME database. A new one holds
 * Python's built-in tables plus the files it is given (not the system
 * database: `init()` reads that into the shared one, as in Python).
 *
 * Methods: `addType`, `guessType`, `guessAllExtensions`, `guessExtension`,
 * `read`, `readfp`. Tables: `typesMap` (`[nonStrict, strict]`),
 * `typesMapInv`, `encodingsMap`, `suffixMap`.
 *
 * @example
 * ```ts
 * const db = new MimeTypes();
 * db.addType("text/x-netkit", ".nk");
 * db.guessType("a.nk"); // ["text/x-netkit", null]
 * ```
 */
export class MimeTypes {
  /** Compression suffix → encoding (case-sensitive). */
  encodingsMap: Map<string, string>;
  /** Suffix → suffix it stands for (`.tgz` → `.tar.gz`). */
  suffixMap: Map<string, string>;
  /** Extension → type: index 0 the non-strict (common) table, 1 the strict one, as Python's `(non-strict, strict)`. */
  readonly typesMap: [Map<string, string>, Map<string, string>];
  /** Type → extensions, in the order they were added; index as `typesMap`. */
  readonly typesMapInv: [Map<string, string[]>, Map<string, string[]>];

  /**
   * @param filenames MIME database files to read into this one
   * @param strict add their entries to the strict table @default true
   * @throws OSError when a file cannot be read
   */
  constructor(filenames: Iterable<string> = [], strict = true) {
    if (!inited) init();
    this.encodingsMap = new Map(ENCODINGS_MAP_DEFAULT);
    this.suffixMap = new Map(SUFFIX_MAP_DEFAULT);
    this.typesMap = [new Map(), new Map()];
    this.typesMapInv = [new Map(), new Map()];
    for (const [ext, type] of TYPES_MAP_DEFAULT) this.addType(type, ext, true);
    for (const [ext, type] of COMMON_TYPES_DEFAULT) this.addType(type, ext, false);
    for (const name of filenames) this.read(name, strict);
  }

  /**
   * Python's `add_type(type, ext, strict)`: maps `ext` (with its dot) to
   * `type`, replacing an earlier type for `ext`; `ext` joins `type`'s list of
   * extensions.
   */
  addType(type: string, ext: string, strict = true): void {
    const table = strict ? 1 : 0;
    this.typesMap[table].set(ext, type);
    let exts = this.typesMapInv[table].get(type);
    if (exts === undefined) {
      exts = [];
      this.typesMapInv[table].set(type, exts);
    }
    if (!exts.includes(ext)) exts.push(ext);
  }

  /**
   * Python's `guess_type(url, strict)`: `[type, encoding]` for a file name or
   * URL, each `null` when unknown. A `data:` URL gives its own type.
   * @param strict only the standard types; `false` adds `commonTypes` @default true
   */
  guessType(url: string, strict = true): [string | null, string | null] {
    const m = SPLIT_TYPE.exec(url);
    if (m && m[1]!.toLowerCase() === "data") {
      // dataurl := "data:" [ mediatype ] [ ";base64" ] "," data
      const rest = m[2]!;
      const comma = rest.indexOf(",");
      if (comma < 0) return [null, null];
      const semi = rest.slice(0, comma).indexOf(";");
      let type = semi >= 0 ? rest.slice(0, semi) : rest.slice(0, comma);
      if (type.includes("=") || !type.includes("/")) type = "text/plain";
      return [type, null];
    }
    const path = m ? m[2]! : url;
    let [base, ext] = splitext(path);
    for (let extLower = ext.toLowerCase(); this.suffixMap.has(extLower); extLower = ext.toLowerCase()) {
      [base, ext] = splitext(base + this.suffixMap.get(extLower)!);
    }
    let encoding: string | null = null;
    const enc = this.encodingsMap.get(ext);
    if (enc !== undefined) {
      encoding = enc;
      [base, ext] = splitext(base);
    }
    ext = ext.toLowerCase();
    const strictType = this.typesMap[1].get(ext);
    if (strictType !== undefined) return [strictType, encoding];
    if (strict) return [null, encoding];
    return [this.typesMap[0].get(ext) ?? null, encoding];
  }

  /**
   * Python's `guess_all_extensions(type, strict)`: every extension known for
   * `type` (lower-cased first), in the order they were added.
   */
  guessAllExtensions(type: string, strict = true): string[] {
    const lower = type.toLowerCase();
    const extensions = [...(this.typesMapInv[1].get(lower) ?? [])];
    if (!strict) {
      for (const ext of this.typesMapInv[0].get(lower) ?? [])
        if (!extensions.includes(ext)) extensions.push(ext);
    }
    return extensions;
  }

  /** Python's `guess_extension(type, strict)`: the first of `guessAllExtensions`, or `null`. */
  guessExtension(type: string, strict = true): string | null {
    return this.guessAllExtensions(type, strict)[0] ?? null;
  }

  /**
   * Python's `read(filename, strict)`: reads one mime.types file.
   * @throws OSError (FileNotFoundError, ...) when it cannot be read (a line that is not UTF-8 is skipped)
   */
  read(filename: string, strict = true): void {
    this.readfp(readText(filename), strict);
  }

  /**
   * Python's `readfp(fp, strict)`: reads mime.types text: per line, a type
   * and its extensions (without dots), `#` starting a comment word.
   * @param text the file's text, or its lines
   */
  readfp(text: string | Iterable<string>, strict = true): void {
    const lines = typeof text === "string" ? text.match(TEXT_LINES)! : text;
    for (const line of lines) {
      const words = line.match(PY_WORDS);
      if (!words) continue;
      const comment = words.findIndex((w) => w[0] === "#");
      const kept = comment >= 0 ? words.slice(0, comment) : words;
      if (kept.length === 0) continue;
      const [type, ...suffixes] = kept as [string, ...string[]];
      for (const suffix of suffixes) this.addType(type, `.${suffix}`, strict);
    }
  }
}

/** Python's `mimetypes.inited`: true once `init()` has run. */
export let inited = false;
let db: MimeTypes | undefined;

/** Python's `mimetypes.suffix_map` (the shared database's, after `init()`). */
export let suffixMap: Map<string, string> = new Map(SUFFIX_MAP_DEFAULT);
/** Python's `mimetypes.encodings_map`. */
export let encodingsMap: Map<string, string> = new Map(ENCODINGS_MAP_DEFAULT);
/** Python's `mimetypes.types_map`: the strict extension → type table. */
export let typesMap: Map<string, string> = new Map(TYPES_MAP_DEFAULT);
/** Python's `mimetypes.common_types`: the non-strict table. */
export let commonTypes: Map<string, string> = new Map(COMMON_TYPES_DEFAULT);

/**
 * Python's `mimetypes.init(files)`: (re)builds the shared database from the
 * built-in tables and `knownfiles` (plus `files`); with `files` after a first
 * `init()`, reads just those into the existing database. Files that do not
 * exist are skipped.
 * @throws OSError for a file that exists but cannot be read
 */
export function init(files?: Iterable<string>): void {
  inited = true; // so that the MimeTypes constructor does not call init() again
  let target: MimeTypes;
  let list: string[];
  if (files === undefined || db === undefined) {
    target = new MimeTypes();
    list = files === undefined ? [...knownfiles] : [...knownfiles, ...files];
  } else {
    target = db;
    list = [...files];
  }
  for (const file of list) if (isFile(file)) target.read(file);
  encodingsMap = target.encodingsMap;
  suffixMap = target.suffixMap;
  typesMap = target.typesMap[1];
  commonTypes = target.typesMap[0];
  db = target;
}

function shared(): MimeTypes {
  if (db === undefined) init();
  return db!;
}

/**
 * Python's `mimetypes.guess_type(url, strict)`: `[type, encoding]`, each
 * `null` when unknown, from the shared database.
 * @example
 * ```ts
 * guessType("index.html");            // ["text/html", null]
 * guessType("data:image/png;base64,"); // ["image/png", null]
 * guessType("x.webp", false);          // ["image/webp", null]
 * ```
 */
export function guessType(url: string, strict = true): [string | null, string | null] {
  return shared().guessType(url, strict);
}

/** Python's `mimetypes.guess_all_extensions(type, strict)`. */
export function guessAllExtensions(type: string, strict = true): string[] {
  return shared().guessAllExtensions(type, strict);
}

/** Python's `mimetypes.guess_extension(type, strict)`: an extension with its dot, or `null`. */
export function guessExtension(type: string, strict = true): string | null {
  return shared().guessExtension(type, strict);
}

/** Python's `mimetypes.add_type(type, ext, strict)`, on the shared database. */
export function addType(type: string, ext: string, strict = true): void {
  shared().addType(type, ext, strict);
}

/**
 * Python's `mimetypes.read_mime_types(file)`: the strict extension → type
 * table of one mime.types file (built-in types included), or `null` when the
 * file cannot be opened.
 */
export function readMimeTypes(file: string): Map<string, string> | null {
  let text: string;
  try {
    text = readText(file);
  } catch (err) {
    if (err instanceof OSError) return null;
    throw err;
  }
  const one = new MimeTypes();
  one.readfp(text, true);
  return one.typesMap[1];
}
