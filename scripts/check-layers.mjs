#!/usr/bin/env node
/**
 * The layer check `npm run lint` runs: reads every import in `src/` (static
 * `import` and `export ... from`, `import type`, dynamic `import("...")`,
 * `import("...")` types and `require("...")`) and fails on each one that
 * breaks a rule below, naming the file, the line, the import and the rule.
 *
 *     node scripts/check-layers.mjs [SRC_DIR]      (default: src)
 *
 * SRC_DIR may also be the built `dist/src` (the package test checks the
 * installed package's code so).
 *
 * The layers, bottom to top (DESIGN.md):
 *
 * ```text
 *  errors < io < socket < textproto < socketserver < protocols < cli
 * ```
 *
 * A folder `src/NAME/` is a module: `errors`, `io`, `socket`, `textproto`,
 * `socketserver` and `cli` are layers of their own; every other folder
 * (`http`, `urllib`, `cgi`, `multipart`, `xmlrpc`, and the modules to come)
 * is a protocol module. Files at the root of `src/` are listed in
 * `ROOT_FILES` with their layer; a new one must be added there.
 *
 * Rules:
 * 1. layer: a file imports its own layer or a lower one, never a higher one.
 *    Protocol modules may import each other (urllib uses http.client).
 * 2. private: a path segment starting with `_` is private to its module
 *    (`src/http/_server/base.ts` is http's). Another module imports the
 *    public module instead (`src/http/server.ts`), or what both need moves
 *    to a shared internal at the root of `src/` (`src/_codecs.ts`). A shared
 *    internal's layer is the lowest layer that uses it; rule 1 then lets
 *    every layer at or above it import it.
 * 3. builtin: some Node built-ins belong to one layer, so behaviour
 *    (timeouts, limits, errors) is the same everywhere (`BUILTINS` says
 *    which, and why). This holds for type-only imports too: a type from
 *    node:net outside `src/socket/` means the socket layer's API leaks it,
 *    and the socket layer should name it (`ReturnType<Socket["detach"]>`).
 * 4. outside: `src/` imports nothing outside `src/` (examples, tests,
 *    benchmarks): the package's code is `dist/src` alone.
 * 5. self: `src/` never imports `netkit/...` by name (that is the built
 *    package, not the file beside it).
 * 6. dynamic: a dynamic `import()` or `require()` takes a string literal,
 *    so this check can see where it goes.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

// require(), not import: importing CommonJS from ESM scans all of typescript.js for its exports first (a second or more).
const ts = createRequire(import.meta.url)("typescript");

/** The layers, bottom first. */
export const LAYERS = ["errors", "io", "socket", "textproto", "socketserver", "protocols", "cli"];

/** Folders that are a layer of their own; any other folder under src/ is a protocol module. */
const FOLDER_LAYERS = {
  errors: "errors",
  io: "io",
  socket: "socket",
  textproto: "textproto",
  socketserver: "socketserver",
  cli: "cli",
};

/** Files at the root of src/, with their layer and why it is that one. */
export const ROOT_FILES = {
  // Codecs for io.TextIOWrapper, urllib.parse, cgi and xmlrpc: io is the lowest user.
  _codecs: "io",
  // The parts of _codecs: single-byte tables (from iconv-lite, and from python3 by scripts/gen-charmap-codecs.py),
  // Python's error handlers, UTF-16/32.
  _codec_charmap: "io",
  _codec_charmap_data: "io",
  _codec_handlers: "io",
  _codec_utf16: "io",
  // Python's UTF-7 (RFC 2152).
  _codec_utf7: "io",
  // Python's East Asian multi-byte codecs and their tables, generated from python3 (scripts/gen-cjk-codecs.py).
  _codec_cjk: "io",
  _codec_cjk_data: "io",
  _codec_cjk_iso2022: "io",
  _codec_cjk_hz: "io",
  // Python's str semantics (strip, int(), \s, \w) for the parsers of http.cookiejar, urllib, cgi, xmlrpc.
  _pystr: "protocols",
  // CPython's _parsedate_tz: http.server's If-Modified-Since and netkit/email's date functions.
  _parsedate: "protocols",
  // Python's repr() and str() of values, for urllib.parse's and cgi's messages.
  _pyrepr: "protocols",
  // Python's `%` formatting, for http.server's logs and error pages and xmlrpc's CGI error page.
  _pyformat: "protocols",
  // UTF-8 files read a line at a time, a line that is not UTF-8 skipped: for mimetypes, http.cookiejar and mailcap.
  _utf8_lines: "protocols",
  // Python's html.escape, for http.server, cgi and xmlrpc's CGI handler.
  _html: "protocols",
  // RFC 9110/9112's grammar (tokens, versions, Content-Length, chunk sizes), for http.client, http.server and xmlrpc's chunked bodies.
  _http_grammar: "protocols",
  // netkit/ssl is the socket layer's TLS (src/socket/tls.ts) under Python's module name.
  ssl: "socket",
  // netkit/mimetypes: a Python module like the protocol modules (http.server and urllib use it).
  mimetypes: "protocols",
  // Argument checks (options objects, URL strings or WHATWG URLs) for the public entry points of socketserver and the protocols.
  _args: "socketserver",
  // The containment check of the file servers (http.server, the Gopher server).
  _contain: "protocols",
  // binascii's base64 (a2b_base64, b2a_base64) for netkit/email and xmlrpc's <base64>.
  _binascii: "protocols",
  // Python's month and weekday names (short and long) and time.asctime: http, cookies, email, mailbox, imaplib.
  _time: "protocols",
  // Named ASCII bytes for the byte-level parsers (io's readline up to http's header reader): constants, no imports.
  _ascii: "errors",
  // A Uint8Array (or text) as a Buffer, without copying: io, textproto, ftplib, urllib.parse. No imports.
  _buffer: "errors",
  // The package version: a constant with no imports, which any layer may read.
  version: "errors",
};

const SOCKETS = "sockets are netkit/socket's, so timeouts, limits and errors are the same everywhere";
const HTTP =
  "netkit speaks HTTP itself (http.client, http.server); Node's HTTP stack would bypass its checks";

/**
 * Node built-ins only some folders may import (bare `net` and `node:net`
 * alike; `dns/promises` counts as `dns`). `only` lists the folders under src/.
 * node:cluster is here because handing connections to worker processes is
 * socketserver's job (ForkingMixIn): there the socket layer gives the
 * connection up (`Socket.detach()`) and takes it back
 * (`Socket.fromNodeSocket()`), so no other layer needs Node's sockets.
 */
export const BUILTINS = {
  net: { only: ["socket"], why: SOCKETS },
  dgram: { only: ["socket"], why: SOCKETS },
  tls: {
    only: ["socket"],
    why: "TLS is netkit/socket's (netkit/ssl), so certificates are checked the same everywhere",
  },
  dns: {
    only: ["socket"],
    why: "name lookup is netkit/socket's getaddrinfo, so every module resolves names alike",
  },
  http: { only: [], why: HTTP },
  https: { only: [], why: HTTP },
  http2: { only: [], why: HTTP },
  cluster: {
    only: ["socketserver"],
    why: "worker pools are socketserver's ForkingMixIn; a protocol module gets its workers through it",
  },
};

const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
/** Declarations are generated from the sources (and repeat their types), so they are not checked. */
const DECLARATION = /\.d\.[cm]?ts$/;

/** Every source file under `dir` (TypeScript, or the JavaScript built from it), sorted. */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(name) && !DECLARATION.test(name)) out.push(path);
  }
  return out;
}

/** The message for a file at the root of src/ that ROOT_FILES does not list. */
const noLayer = (shown) =>
  `${shown} is a root file with no layer: add it to ROOT_FILES in scripts/check-layers.mjs`;

/** Where a file sits: its module (top folder, or root file name) and its layer (null: unknown root file). */
function place(src, path) {
  const parts = relative(src, path).split(sep);
  if (parts.length === 1) {
    const name = parts[0].replace(SOURCE, "");
    return { module: name, layer: ROOT_FILES[name] ?? null, inner: [] };
  }
  const [folder, ...inner] = parts;
  return { module: folder, layer: FOLDER_LAYERS[folder] ?? "protocols", inner };
}

/** The imports of one file: `{ specifier, line, column, literal }` (`literal` false for `import(expr)`). */
export function importsOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = [];
  const add = (node, specifier) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ specifier, line: line + 1, column: character + 1, literal: specifier !== null });
  };
  const literal = (node) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
  const isRequire = (callee) =>
    (ts.isIdentifier(callee) && callee.text === "require") ||
    (ts.isCallExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === "createRequire");
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      add(node.moduleSpecifier, literal(node.moduleSpecifier));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference, literal(node.moduleReference.expression));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument, literal(node.argument.literal));
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire(node.expression))
    ) {
      add(node, literal(node.arguments[0]));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The rules one import breaks, as `{ rule, message }` (empty when it breaks none). */
function judge(src, file, from, specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    // `./x.js` names `./x.ts` in the sources, and itself in dist/src.
    const named = resolve(dirname(file), specifier);
    const source = named.replace(/\.([cm]?)js$/, ".$1ts");
    const target = existsSync(named) || !existsSync(source) ? named : source;
    const shown = relative(process.cwd(), target);
    if (relative(src, target).startsWith("..")) {
      return [
        {
          rule: "outside",
          message: `${shown} is outside src/: the package's code never imports examples, tests or benchmarks`,
        },
      ];
    }
    const to = place(src, target);
    if (to.layer === null) {
      return [{ rule: "layer", message: noLayer(shown) }];
    }
    const broken = [];
    if (from.layer !== null && LAYERS.indexOf(to.layer) > LAYERS.indexOf(from.layer)) {
      broken.push({
        rule: "layer",
        message: `${shown} is in layer "${to.layer}", above "${from.layer}": ${LAYERS.join(" < ")}`,
      });
    }
    if (to.module !== from.module && to.inner.some((part) => part.startsWith("_"))) {
      broken.push({
        rule: "private",
        message: `${shown} is private to module "${to.module}": import its public module, or move what both need to a shared internal at the root of src/`,
      });
    }
    return broken;
  }
  if (isBuiltin(specifier)) {
    const name = specifier.replace(/^node:/, "").split("/")[0];
    const limit = BUILTINS[name];
    if (limit && !limit.only.includes(from.module)) {
      const where =
        limit.only.length === 0
          ? "nowhere in src/"
          : `only in ${limit.only.map((f) => `src/${f}/`).join(", ")}`;
      return [{ rule: "builtin", message: `node:${name} is allowed ${where}: ${limit.why}` }];
    }
    return [];
  }
  if (specifier === "netkit" || specifier.startsWith("netkit/")) {
    return [
      { rule: "self", message: "src/ imports its own files by relative path, not by the package name" },
    ];
  }
  return [];
}

/**
 * Checks every source file under `src`. Returns the violations, each
 * `{ file, line, column, specifier, rule, message }`, in file order.
 */
export function checkLayers(src) {
  const root = resolve(src);
  const violations = [];
  let files = 0;
  let imports = 0;
  for (const file of sourceFiles(root)) {
    files++;
    const from = place(root, file);
    const shown = relative(process.cwd(), file);
    if (from.layer === null) {
      violations.push({
        file: shown,
        line: 1,
        column: 1,
        specifier: "",
        rule: "layer",
        message: noLayer(shown),
      });
    }
    for (const found of importsOf(file, readFileSync(file, "utf8"))) {
      imports++;
      const broken = found.literal
        ? judge(root, file, from, found.specifier)
        : [
            {
              rule: "dynamic",
              message:
                "the module name is computed: write it as a string literal so the layer check can see it",
            },
          ];
      for (const { rule, message } of broken) {
        violations.push({
          file: shown,
          line: found.line,
          column: found.column,
          specifier: found.specifier ?? "",
          rule,
          message,
        });
      }
    }
  }
  return Object.assign(violations, { files, imports });
}

/** One violation as a line: `file:line:column  rule  "import": why`. */
export function formatViolation(v) {
  return `${v.file}:${v.line}:${v.column}  ${v.rule}  ${v.specifier ? `"${v.specifier}"` : ""}${v.specifier ? ": " : ""}${v.message}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const src = process.argv[2] ?? "src";
  const violations = checkLayers(src);
  for (const v of violations) console.error(formatViolation(v));
  if (violations.length > 0) {
    console.error(
      `check-layers: ${violations.length} violation(s) in ${src}/ (the rules are at the top of scripts/check-layers.mjs)`,
    );
    process.exitCode = 1;
  } else {
    console.log(`check-layers: ${violations.files} files, ${violations.imports} imports, no violations`);
  }
}
