/**
 * Python's self-documenting XML-RPC server: `ServerHTMLDoc` (Python builds
 * it on `pydoc.HTMLDoc`; here it is written out), `XMLRPCDocGenerator`,
 * `DocXMLRPCRequestHandler` and `DocXMLRPCServer`.
 *
 * The page has Python's layout (a heading, the server's documentation, a
 * "Methods" section with one entry per method: its name, its signature and
 * its documentation, marked up with links to URLs, RFCs, PEPs and the other
 * methods). Everything taken from the server is HTML-escaped, the signature
 * too (Python leaves it raw, so a default value such as `'<script>'` reached
 * the page as markup).
 *
 * @module
 */
import { compareCodePoints } from "../_pystr.js";
import type { InetServerAddress } from "../socketserver/servers.js";
import { ThreadingMixIn } from "../socketserver/threading.js";
import {
  AttributeError,
  cleandoc,
  resolveDottedAttribute,
  type XMLRPCDispatcherMembers,
} from "./_dispatcher.js";
import { SimpleXMLRPCRequestHandler, SimpleXMLRPCServer, type SimpleXMLRPCServerOptions } from "./_server.js";

/** Python's `\w` for text: letters, digits (any script) and `_`. */
const W = "[\\p{L}\\p{N}_]";
/** Python's `\b` with that `\w` (JavaScript's `\b` knows only ASCII). */
const B = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
/** `ServerHTMLDoc.markup`'s pattern: a URL, an RFC or PEP number, or a (dotted) name, perhaps after `self.`. */
const MARKUP = new RegExp(
  `${B}((http|https|ftp)://\\S+[\\p{L}\\p{N}_/]|RFC[- ]?([0-9]+)|PEP[- ]?([0-9]+)|(self\\.)?((?:${W}|\\.)+))${B}`,
  "gu",
);

/** Python's `str.expandtabs()` (tab stops every 8 columns). */
function expandtabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  let col = 0;
  for (const ch of text) {
    if (ch === "\t") {
      const n = 8 - (col % 8);
      out += " ".repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === "\n" || ch === "\r" ? 0 : col + 1;
    }
  }
  return out;
}

/** Escapes text for an HTML attribute value in double quotes. */
function attr(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Skips a string or template literal starting at `i`; returns the index after it. */
function skipString(src: string, i: number): number {
  const quote = src[i];
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === "\\") j++;
    else if (src[j] === quote) return j + 1;
  }
  return src.length;
}

/**
 * The parameter list of a JavaScript function, as its source spells it
 * (whitespace collapsed): `(x, y = 2, ...rest)`. A string `__signature__`
 * property takes precedence (set it where the source says too little, e.g.
 * on a bound function); `(...)` when the source is not available (native
 * and bound functions, classes).
 */
export function functionSignature(fn: unknown): string {
  if (typeof fn !== "function") return "(...)";
  const declared = (fn as { __signature__?: unknown }).__signature__;
  if (typeof declared === "string") return declared;
  let src: string;
  try {
    src = Function.prototype.toString.call(fn);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err; // a callable whose source cannot be read
    return "(...)";
  }
  if (/\[native code\]\s*\}\s*$/.test(src) || /^class\b/.test(src)) return "(...)";
  const single = /^(?:async\s+)?([\p{L}\p{N}_$]+)\s*=>/u.exec(src);
  if (single) return `(${single[1]})`;
  const open = src.indexOf("(");
  if (open < 0) return "(...)";
  // Scan to the matching ")", noting the top-level commas and "=" (to print Python's `(x, y=2)`).
  let depth = 0;
  const params: string[] = [];
  let from = open + 1;
  let eq = -1;
  const param = (to: number) => {
    const text =
      eq < 0 ? src.slice(from, to) : `${src.slice(from, eq).trim()}=${src.slice(eq + 1, to).trim()}`;
    params.push(text.replace(/\s+/g, " ").trim());
  };
  for (let i = open; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      i = skipString(src, i) - 1;
    } else if (ch === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 1;
    } else if (ch === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      i = end < 0 ? src.length : end;
    } else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (depth === 1 && ch === ",") {
      param(i);
      from = i + 1;
      eq = -1;
    } else if (depth === 1 && ch === "=" && eq < 0 && src[i + 1] !== ">" && src[i + 1] !== "=") eq = i;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) {
        param(i);
        return `(${params.filter((p) => p !== "").join(", ")})`;
      }
    }
  }
  return "(...)";
}

/** A method as the page documents it: a function, or Python's `(argspec, doc)` pair from the instance's hooks. */
export type DocumentedMethod = unknown | [argspec: string | null, doc: string | null];

/**
 * Python's `ServerHTMLDoc` (a `pydoc.HTMLDoc`): the pieces of the
 * documentation page. Override a method to change one piece.
 */
export class ServerHTMLDoc {
  /** pydoc's `escape`: `&`, `<`, `>` as entities. */
  escape(text: string): string {
    return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  }

  /** pydoc's `preformat`: escaped, tabs expanded, spaces as `&nbsp;`, line ends as `<br>`. */
  preformat(text: string): string {
    return this.escape(expandtabs(text))
      .replaceAll("\n\n", "\n \n")
      .replaceAll("\n\n", "\n \n")
      .replaceAll(" ", "&nbsp;")
      .replaceAll("\n", "<br>\n");
  }

  /** pydoc's `namelink(name, *dicts)`: a link when a dict knows the name. */
  namelink(name: string, ...dicts: Array<Record<string, string>>): string {
    for (const dict of dicts) {
      if (Object.hasOwn(dict, name)) return `<a href="${attr(dict[name]!)}">${this.escape(name)}</a>`;
    }
    return this.escape(name);
  }

  /**
   * Python's `ServerHTMLDoc.markup(text, escape, funcs, classes, methods)`:
   * `text` escaped, with links for URLs, `RFC n`, `PEP n`, and known names
   * followed by `(`; `self.x` in bold.
   */
  markup(
    text: string,
    escapeText?: (text: string) => string,
    funcs: Record<string, string> = {},
    classes: Record<string, string> = {},
    methods: Record<string, string> = {},
  ): string {
    const esc = escapeText ?? ((t: string) => this.escape(t));
    const results: string[] = [];
    let here = 0;
    MARKUP.lastIndex = 0;
    for (let match = MARKUP.exec(text); match !== null; match = MARKUP.exec(text)) {
      const start = match.index;
      const end = start + match[0].length;
      if (end === start) {
        MARKUP.lastIndex++;
        continue;
      }
      results.push(esc(text.slice(here, start)));
      const [, all, scheme, rfc, pep, selfdot, name] = match;
      if (scheme) {
        const url = esc(all!).replaceAll('"', "&quot;");
        results.push(`<a href="${url}">${url}</a>`);
      } else if (rfc) {
        results.push(`<a href="https://www.rfc-editor.org/rfc/rfc${Number(rfc)}.txt">${esc(all!)}</a>`);
      } else if (pep) {
        const url = `https://peps.python.org/pep-${String(Number(pep)).padStart(4, "0")}/`;
        results.push(`<a href="${url}">${esc(all!)}</a>`);
      } else if (text[end] === "(") {
        results.push(this.namelink(name!, methods, funcs, classes));
      } else if (selfdot) {
        results.push(`self.<strong>${this.escape(name!)}</strong>`);
      } else {
        results.push(this.namelink(name!, classes));
      }
      here = end;
    }
    results.push(esc(text.slice(here)));
    return results.join("");
  }

  /** Python's `docroutine(object, name, ...)`: one method's entry (name, signature, documentation). */
  docroutine(object: DocumentedMethod, name: string, funcs: Record<string, string> = {}): string {
    const anchor = `-${name}`;
    const title = `<a name="${attr(anchor)}"><strong>${this.escape(name)}</strong></a>`;
    let argspec = typeof object === "function" ? functionSignature(object) : "(...)";
    let docstring: string;
    if (Array.isArray(object)) {
      argspec = (object[0] as string | null) || argspec;
      docstring = (object[1] as string | null) || "";
    } else {
      const doc = (object as { __doc__?: unknown } | null | undefined)?.__doc__;
      docstring = typeof doc === "string" ? cleandoc(doc) : "";
    }
    const decl = title + this.escape(String(argspec));
    let doc = this.markup(String(docstring), (t) => this.preformat(t), funcs);
    doc = doc && `<dd><tt>${doc}</tt></dd>`;
    return `<dl><dt>${decl}</dt>${doc}</dl>\n`;
  }

  /** pydoc's `heading(title, extras)`. */
  heading(title: string, extras = ""): string {
    return `
<table class="heading">
<tr class="heading-text decor">
<td class="title">&nbsp;<br>${title}</td>
<td class="extra">${extras || "&nbsp;"}</td></tr></table>
    `;
  }

  /** pydoc's `bigsection(title, cls, contents)`. */
  bigsection(title: string, cls: string, contents: string, width = 6): string {
    const marginalia = `<span class="code">${"&nbsp;".repeat(width)}</span>`;
    return `<p>
<table class="section">
<tr class="decor ${cls}-decor heading-text">
<td class="section-title" colspan=3>&nbsp;<br><strong class="bigsection">${title}</strong></td></tr>
    
<tr><td class="decor ${cls}-decor">${marginalia}</td><td>&nbsp;</td>
<td class="singlecolumn">${contents}</td></tr></table>`;
  }

  /** Python's `docserver(server_name, package_documentation, methods)`: the page's body. */
  docserver(
    serverName: string,
    packageDocumentation: string,
    methods: Map<string, DocumentedMethod>,
  ): string {
    const fdict: Record<string, string> = {};
    for (const key of methods.keys()) fdict[key] = `#-${key}`;
    const head = `<big><big><strong>${this.escape(serverName)}</strong></big></big>`;
    let result = this.heading(head);
    let doc = this.markup(packageDocumentation, (t) => this.preformat(t), fdict);
    doc = doc && `<tt>${doc}</tt>`;
    result += `<p>${doc}</p>\n`;
    const contents = [...methods.keys()]
      .sort(compareCodePoints)
      .map((key) => this.docroutine(methods.get(key), key, fdict));
    return result + this.bigsection("Methods", "functions", contents.join(""));
  }

  /** Python's `page(title, contents)`: the whole HTML page (`title` already escaped). */
  page(title: string, contents: string): string {
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Python: ${title}</title>
<link rel="stylesheet" type="text/css" href="/pydoc.css"></head><body>${contents}</body></html>`;
  }
}

/** The style sheet `DocXMLRPCRequestHandler` serves at `/pydoc.css` (netkit's own, for Python's class names). */
export const PYDOC_CSS = `/* netkit: style for the XML-RPC documentation page */
body { background-color: #f0f0f8; font-family: helvetica, arial, sans-serif; }
table.heading tr { background-color: #7799ee; }
.decor { color: #ffffff; }
.title { font-size: x-large; }
.extra { text-align: right; vertical-align: bottom; }
table.section { width: 100%; border-collapse: collapse; }
.section-title { font-family: helvetica, arial, sans-serif; }
.functions-decor { background-color: #eeaa77; }
.singlecolumn { width: 100%; }
.code { font-family: monospace; }
dl { margin: 0.5em 0; }
dt { font-family: monospace; }
dd tt { font-family: inherit; }
`;

/** What `XMLRPCDocGenerator` needs of the class it extends: a dispatcher. */
// biome-ignore lint/suspicious/noExplicitAny: mixin constructors take any arguments
type DispatcherClass = abstract new (...args: any[]) => XMLRPCDispatcherMembers;

/** An instance's optional hooks for the page (Python's `_get_method_argstring`, `_methodHelp`). */
interface DocHooks {
  _getMethodArgstring?(methodName: string): string | null;
  _methodHelp?(methodName: string): unknown;
  _dispatch?: unknown;
}

/**
 * Python's `XMLRPCDocGenerator` mixin, as a class factory over a
 * dispatcher class: `class S extends XMLRPCDocGenerator(SimpleXMLRPCServer)`.
 * Adds `serverName`, `serverTitle`, `serverDocumentation`, their setters
 * and `generateHtmlDocumentation()`.
 *
 * The page documents every method `system.listMethods` names: a registered
 * function by its source's parameter list (or its `__signature__`) and its
 * `__doc__`; an instance's method likewise, or by the instance's
 * `_getMethodArgstring(name)` and `_methodHelp(name)` when it has them
 * (Python's `_get_method_argstring`).
 */
export function XMLRPCDocGenerator<T extends DispatcherClass>(Base: T) {
  abstract class DocGenerator extends Base {
    /** Python's `server_name`: the heading. @default "XML-RPC Server Documentation" */
    serverName = "XML-RPC Server Documentation";
    /** Python's `server_documentation`: the text under the heading. */
    serverDocumentation = "This server exports the following methods through the XML-RPC protocol.";
    /** Python's `server_title`: the page's `<title>`. @default "XML-RPC Server Documentation" */
    serverTitle = "XML-RPC Server Documentation";

    /** Python's `set_server_title(server_title)`. */
    setServerTitle(serverTitle: string): void {
      this.serverTitle = serverTitle;
    }

    /** Python's `set_server_name(server_name)`. */
    setServerName(serverName: string): void {
      this.serverName = serverName;
    }

    /** Python's `set_server_documentation(server_documentation)`. */
    setServerDocumentation(serverDocumentation: string): void {
      this.serverDocumentation = serverDocumentation;
    }

    /** Python's `generate_html_documentation()`: the HTML page documenting every method. */
    generateHtmlDocumentation(): string {
      const methods = new Map<string, DocumentedMethod>();
      for (const methodName of this.systemListMethods()) {
        let method: DocumentedMethod;
        const inst = this.instance as (object & DocHooks) | null;
        if (this.funcs.has(methodName)) method = this.funcs.get(methodName);
        else if (inst !== null) {
          const info: [string | null, string | null] = [null, null];
          if (typeof inst._getMethodArgstring === "function") info[0] = inst._getMethodArgstring(methodName);
          if (typeof inst._methodHelp === "function") {
            const help = inst._methodHelp(methodName);
            info[1] = help === null || help === undefined ? null : String(help);
          }
          if (info[0] !== null || info[1] !== null) method = info;
          else if (typeof inst._dispatch !== "function") {
            try {
              [method] = resolveDottedAttribute(inst, methodName, true);
            } catch (err) {
              if (!(err instanceof AttributeError)) throw err;
              method = info;
            }
          } else method = info;
        } else {
          continue; // Python asserts here: a listed name no one answers
        }
        methods.set(methodName, method);
      }
      const documenter = new ServerHTMLDoc();
      const documentation = documenter.docserver(this.serverName, this.serverDocumentation, methods);
      return documenter.page(attr(this.serverTitle).replaceAll("'", "&#x27;"), documentation);
    }
  }
  return DocGenerator;
}

/** What `DocXMLRPCRequestHandler` asks of its server. */
interface DocServer {
  generateHtmlDocumentation(): string;
}

/**
 * Python's `DocXMLRPCRequestHandler`: `SimpleXMLRPCRequestHandler` that
 * also answers GET on `rpcPaths` with the server's documentation page
 * (`/pydoc.css`: the style sheet). Other paths get 404.
 */
export class DocXMLRPCRequestHandler extends SimpleXMLRPCRequestHandler {
  /** Python's `_get_css(url)`: the style sheet's bytes. */
  _getCss(_url: string): Buffer {
    return Buffer.from(PYDOC_CSS, "utf8");
  }

  /** Python's `do_GET()`: the documentation page (or the style sheet). */
  async doGET(): Promise<void> {
    if (!this.isRpcPathValid()) {
      await this.report404();
      return;
    }
    let contentType: string;
    let response: Buffer;
    if (this.path.endsWith(".css")) {
      contentType = "text/css";
      response = this._getCss(this.path);
    } else {
      contentType = "text/html";
      response = Buffer.from((this.server as unknown as DocServer).generateHtmlDocumentation(), "utf8");
    }
    this.sendResponse(200);
    this.sendHeader("Content-Type", `${contentType}; charset=UTF-8`);
    this.sendHeader("Content-length", String(response.length));
    await this.endHeaders();
    await this.wfile.write(response);
  }
}

/** Options for `DocXMLRPCServer`: as `SimpleXMLRPCServer`'s, the handler defaulting to `DocXMLRPCRequestHandler`. */
export type DocXMLRPCServerOptions = SimpleXMLRPCServerOptions;

/**
 * Python's `DocXMLRPCServer`: a `SimpleXMLRPCServer` that serves its own
 * documentation: GET `/` (or `/RPC2`) returns an HTML page listing every
 * method with its signature and documentation.
 *
 * @example
 * ```ts serves=http:8000
 * const server = new DocXMLRPCServer(["127.0.0.1", 8000]);
 * server.setServerTitle("Maths");
 * const add = (x: number, y: number) => x + y;
 * server.registerFunction(Object.assign(add, { __doc__: "Add two numbers." }), "add");
 * await server.serveForever(); // browse http://127.0.0.1:8000/
 * ```
 */
export class DocXMLRPCServer extends XMLRPCDocGenerator(SimpleXMLRPCServer) {
  /**
   * @param addr `[host, port]` to listen on
   * @param options as `SimpleXMLRPCServer`'s
   */
  constructor(addr: InetServerAddress, options: DocXMLRPCServerOptions = {}) {
    super(addr, { ...options, requestHandler: options.requestHandler ?? DocXMLRPCRequestHandler });
  }
}

/** `ThreadingMixIn(DocXMLRPCServer)`: the documenting server, serving clients concurrently. */
export class ThreadingDocXMLRPCServer extends ThreadingMixIn(DocXMLRPCServer) {
  /** As Python's `ThreadingHTTPServer`. @default true */
  override daemonThreads = true;

  /**
   * @param addr `[host, port]` to listen on
   * @param options as `DocXMLRPCServer`'s
   */
  constructor(addr: InetServerAddress, options: DocXMLRPCServerOptions = {}) {
    super(addr, options);
  }
}
