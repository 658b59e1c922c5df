import { readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';

import ts from 'typescript';

/**
 * What a program loads when it runs: every module reachable from its entry files through
 * static imports, re-exports, dynamic `import()` and `require()`, and the npm packages
 * those modules name. `import type` and `export type` are left out: the project compiles
 * with `verbatimModuleSyntax`, so they are the only imports erased before run time (an
 * `import { type X } from 'p'` still loads `p`).
 */
export interface RuntimeImports {
  /** Repository files reached, relative to the root, in the order they were found. */
  files: string[];
  /** Package name → the files (relative) that import it. */
  packages: Map<string, string[]>;
  /** The bare specifiers as written (`csv-parse/sync`), each once. */
  specifiers: string[];
  /** Imports that cannot be followed: a computed `import(x)`, or a relative path that is missing. */
  problems: string[];
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function runtimeImports(root: string, entries: readonly string[]): RuntimeImports {
  const files: string[] = [];
  const packages = new Map<string, string[]>();
  const specifiers = new Set<string>();
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = entries.map((entry) => path.resolve(root, entry));

  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const relative = path.relative(root, file).split(path.sep).join('/');
    files.push(relative);
    if (file.endsWith('.json')) continue;

    for (const found of moduleSpecifiers(file)) {
      if (found.specifier === null) {
        problems.push(`${relative}:${found.line}: import of a computed specifier`);
        continue;
      }
      const specifier = found.specifier;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolveRelative(path.dirname(file), specifier);
        if (target === null) problems.push(`${relative}:${found.line}: '${specifier}' not found`);
        else queue.push(target);
      } else if (!specifier.startsWith('node:') && !isBuiltin(specifier)) {
        specifiers.add(specifier);
        const name = packageNameOf(specifier);
        const importers = packages.get(name) ?? [];
        if (!importers.includes(relative)) importers.push(relative);
        packages.set(name, importers);
      }
    }
  }
  return { files, packages, specifiers: [...specifiers], problems };
}

export interface FoundSpecifier {
  /** null when the code computes it at run time. */
  specifier: string | null;
  line: number;
}

/** The specifiers `file` imports at run time, in source order (see RuntimeImports). */
export function moduleSpecifiers(file: string): FoundSpecifier[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(file));
  const found: FoundSpecifier[] = [];
  const add = (node: ts.Node, expression: ts.Expression | undefined): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({
      specifier:
        expression !== undefined && ts.isStringLiteralLike(expression) ? expression.text : null,
      line,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      if (node.importClause?.isTypeOnly !== true) add(node, node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined && !node.isTypeOnly) add(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (!node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
        add(node, node.moduleReference.expression);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isDynamicImport || isRequire) add(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** Node's ESM resolution as tsx applies it to TypeScript sources: `./x.js` may be `./x.ts`. */
function resolveRelative(fromDir: string, specifier: string): string | null {
  const target = path.resolve(fromDir, specifier);
  const swaps: [RegExp, string][] = [
    [/\.js$/, '.ts'],
    [/\.js$/, '.tsx'],
    [/\.mjs$/, '.mts'],
    [/\.cjs$/, '.cts'],
  ];
  const candidates = swaps
    .filter(([pattern]) => pattern.test(target))
    .map(([pattern, extension]) => target.replace(pattern, extension));
  return [...candidates, target].find(isFile) ?? null;
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
