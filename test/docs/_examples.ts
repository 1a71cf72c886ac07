/**
 * Extracts the ```ts blocks of every `@example` in src/ and writes each as a
 * module of its own, so test/docs/examples.test.ts can type-check and run them.
 *
 * An example reads as a user would write it: it may import from `netkit/...`
 * (rewritten here to the source file of that subpath export), and it may use
 * any name its own module family exports without importing it (the test adds
 * the import, as the reader has it in scope). Its body goes inside an
 * exported async function, so each example is run on demand and its names
 * never clash with another's.
 *
 * Most examples run as they are, in one process (test/docs/_run-examples.ts).
 * Two kinds need a setting of their own, which the fence names; each runs in
 * a network namespace of its own (test/docs/_run-world.ts), so the fixed
 * ports a reader uses (8000, 8443, 9999) are free there:
 *
 * - ```ts world: a client of the reader's world: an HTTP server on
 *   127.0.0.1:8000 and localhost:8443 (TLS, its CA in `ca.pem`), cookie
 *   files, and the values its `declare const name: Type;` lines assume
 *   (a socket connected to an SMTP server, a listening socket, ...).
 * - ```ts serves=PROBE:ADDRESS: a server that serves until killed; it runs
 *   until PROBE (http, echo, udp-echo, unix-echo, unix-udp-echo, xmlrpc)
 *   gets an answer from ADDRESS (a port on 127.0.0.1, or a path).
 *
 * A block whose fence says ```ts no-run is type-checked but not run: for what
 * no test can give (the internet, a request the reader's server got). Such a
 * block states what it assumes with `declare const name: Type;` lines, which
 * go to the module's top level.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

export const root = join(import.meta.dirname, "..", "..");

/** One ```ts block of an `@example`. */
export interface Example {
  /** Where it is: `src/socket/names.ts:134`. */
  where: string;
  /** The source file it documents, relative to the repository. */
  file: string;
  /** The code, comment markers stripped. */
  code: string;
  /** True when the fence says `no-run`. */
  noRun: boolean;
  /** The setting it runs in, when not with the others: `world` or `serves=PROBE:ADDRESS` (see above). */
  setting?: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/** Every ```ts block inside an `@example` tag of a doc comment under src/. */
export function extractExamples(): Example[] {
  const examples: Example[] = [];
  for (const path of sourceFiles(join(root, "src"))) {
    const file = relative(root, path);
    const lines = readFileSync(path, "utf8").split("\n");
    let inExample = false;
    let block: { start: number; info: string; code: string[] } | null = null;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const text = line.replace(/^\s*\/?\*+ ?/, "");
      if (!/^\s*(\/\*\*|\*)/.test(line) || /\*\/\s*$/.test(line)) {
        // Outside a doc comment, or its last line: any example is over.
        if (block) throw new Error(`${file}:${block.start}: an @example's code block is not closed`);
        inExample = false;
        continue;
      }
      if (block) {
        if (/^```\s*$/.test(text)) {
          examples.push({
            where: `${file}:${block.start}`,
            file,
            code: block.code.join("\n"),
            noRun: /\bno-run\b/.test(block.info),
            ...settingOf(block.info),
          });
          block = null;
        } else {
          block.code.push(text);
        }
        continue;
      }
      if (/^@example\b/.test(text.trim())) inExample = true;
      else if (/^@\w+/.test(text.trim())) inExample = false;
      const fence = /^```(ts|typescript)\b(.*)$/.exec(text.trim());
      if (inExample && fence) block = { start: i + 1, info: fence[2]!, code: [] };
    }
  }
  return examples;
}

/** The setting a fence's info string names (`world`, `serves=http:8000`), if any. */
function settingOf(info: string): { setting?: string } {
  const m = /(?:^|\s)(world|serves=\S+)(?:\s|$)/.exec(info);
  return m ? { setting: m[1]! } : {};
}

/**
 * The ```ts blocks of the guides (docs/*.md): type-checked, never run (they
 * talk to servers the reader runs). They import what they use.
 */
export function extractGuideSnippets(): Example[] {
  const snippets: Example[] = [];
  const dir = join(root, "docs");
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".md")) continue;
    const file = `docs/${name}`;
    const lines = readFileSync(join(dir, name), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\b/.test(lines[i]!)) continue;
      const start = i + 1;
      const code: string[] = [];
      while (++i < lines.length && !/^```\s*$/.test(lines[i]!)) code.push(lines[i]!);
      snippets.push({ where: `${file}:${start}`, file, code: code.join("\n"), noRun: true });
    }
  }
  return snippets;
}

/** The package's public subpaths (`netkit/socket`) and the source file each is built from. */
export function publicEntries(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: Record<string, string | { default: string }>;
  };
  const entries = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (typeof target === "string") continue;
    const src = target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");
    entries.set(`netkit${key.slice(1)}`, src);
  }
  return entries;
}

/**
 * For each source file, the names in scope for its examples and where each is
 * imported from: every name of the public entries that export something the
 * file declares (its module family), then the file's own exports.
 */
function scopes(program: ts.Program, entries: Map<string, string>): (file: string) => Map<string, string> {
  const checker = program.getTypeChecker();
  const exportsOf = (file: string): Array<[name: string, declaredIn: string[]]> => {
    const source = program.getSourceFile(join(root, file));
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) return [];
    return checker.getExportsOfModule(symbol).map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return [s.name, (target.declarations ?? []).map((d) => relative(root, d.getSourceFile().fileName))];
    });
  };
  const entryNames = [...entries.values()].map((src) => [src, exportsOf(src)] as const);
  return (file) => {
    const scope = new Map<string, string>();
    const family = entryNames.filter(([, names]) => names.some(([, from]) => from.includes(file)));
    const sources = [...family, [file, exportsOf(file)] as const];
    for (const [src, names] of sources)
      for (const [name] of names) if (!scope.has(name)) scope.set(name, src);
    return scope;
  };
}

/** Names an example declares or imports itself, which must not be imported for it. */
function ownNames(code: string): Set<string> {
  const own = new Set<string>();
  const declaration =
    /\b(?:class|function\*?|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)|\b(?:const|let|var|using)\s+([A-Za-z_$][\w$]*)/g;
  for (const m of code.matchAll(declaration)) own.add((m[1] ?? m[2])!);
  for (const m of code.matchAll(/\b(?:const|let|var|using)\s*[[{]([^=]*)[\]}]\s*=/g)) {
    for (const name of m[1]!.match(/[A-Za-z_$][\w$]*/g) ?? []) own.add(name);
  }
  for (const m of code.matchAll(/^\s*import\s+(?:type\s+)?\{([^}]*)\}\s*from/gm)) {
    for (const part of m[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) own.add(name.replace(/^type\s+/, ""));
    }
  }
  for (const m of code.matchAll(/^\s*import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from/gm)) own.add(m[1]!);
  return own;
}

/** A generated example module. */
export interface Generated extends Example {
  /** The generated module's path. */
  path: string;
  /** The line in the generated module where the example's first line is. */
  firstLine: number;
}

/**
 * Writes every example as `<outDir>/<n>.ts`: its imports (netkit subpaths
 * rewritten to the sources), imports of the names of its module family it
 * uses without declaring, then `export default async function example()`
 * holding the rest.
 */
export function generateExamples(examples: Example[], outDir: string): Generated[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entries = publicEntries();
  const files = [...new Set([...entries.values(), ...examples.map((e) => e.file)])].map((f) => join(root, f));
  const program = ts.createProgram(files, { ...compilerOptions(), noEmit: true });
  const scopeOf = scopes(program, entries);
  return examples.map((example, n) => {
    const path = join(outDir, `example${String(n).padStart(3, "0")}.ts`);
    const toSource = (file: string) => {
      const rel = relative(dirname(path), join(root, file)).replace(/\.ts$/, ".js");
      return rel.startsWith(".") ? rel : `./${rel}`;
    };
    const imports: string[] = [];
    const body: string[] = [];
    let worldValues = false;
    for (const line of example.code.split("\n")) {
      const m = /^(\s*import\s.*from\s+)["'](netkit\/[^"']+)["'](;?\s*)$/.exec(line);
      if (m) {
        const src = entries.get(m[2]!);
        imports.push(src ? `${m[1]}"${toSource(src)}"${m[3]}` : line);
      } else if (/^\s*import\s/.test(line)) {
        imports.push(line);
      } else if (example.setting === "world" && /^declare const /.test(line)) {
        // What the fragment assumes, made by the world runner.
        const [, name, type, rest] = /^declare const (\w+): (.+?);(.*)$/.exec(line) ?? [];
        if (!name)
          throw new Error(`${example.where}: write a world's assumption as "declare const name: Type;"`);
        imports.push(`const ${name}: ${type} = provide("${name}");${rest}`);
        worldValues = true;
      } else if (/^declare\s/.test(line)) {
        imports.push(line); // what a fragment assumes, stated for the reader
      } else if (line.startsWith("#!")) {
        body.push(`// ${line}`); // a script's first line, shown for the reader
      } else {
        body.push(line);
      }
    }
    const own = ownNames(example.code);
    const used = new Set(example.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
    const bySource = new Map<string, string[]>();
    for (const [name, src] of scopeOf(example.file)) {
      if (!used.has(name) || own.has(name)) continue;
      bySource.set(src, [...(bySource.get(src) ?? []), name]);
    }
    const auto = [...bySource].map(
      ([src, names]) => `import { ${names.join(", ")} } from "${toSource(src)}";`,
    );
    if (worldValues) imports.unshift(`import { provide } from "${toSource("test/docs/_world-values.ts")}";`);
    const head = [
      `// Generated from ${example.where} by test/docs/_examples.ts.`,
      "/* biome-ignore-all lint: generated */",
      ...imports,
      ...auto,
      "export default async function example(): Promise<void> {",
    ];
    writeFileSync(path, `${[...head, ...body, "}", ""].join("\n")}`);
    return { ...example, path, firstLine: head.length + 1 - imports.length };
  });
}

/** The repository's compiler options (tsconfig.json). */
export function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  return parsed!.options;
}

/** Type-checks the generated examples; the errors, each naming its example's place in src/. */
export function typeCheck(generated: Generated[]): string[] {
  const program = ts.createProgram(
    generated.map((g) => g.path),
    { ...compilerOptions(), noEmit: true },
  );
  const byPath = new Map(generated.map((g) => [g.path, g]));
  const errors: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const g = d.file && byPath.get(d.file.fileName);
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!g) {
      errors.push(`${d.file ? relative(root, d.file.fileName) : "(no file)"}: ${message}`);
      continue;
    }
    const line = d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    errors.push(`${g.where} (generated ${relative(root, g.path)}:${line}): ${message}`);
  }
  return errors;
}
