import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { packageNameOf, runtimeImports } from './runtime-imports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/** The scripts a user runs on an installed copy; the rest (test, lint, bench) are for development. */
const RUNTIME_SCRIPTS = ['server', 'cli', 'start', 'start:web'];

/** `tsx sync-server/main.ts` → runner `tsx`, entry `sync-server/main.ts`. */
function scriptParts(name: string): { runner: string; entries: string[] } {
  const command = manifest.scripts[name];
  if (command === undefined) throw new Error(`package.json has no "${name}" script`);
  const [runner = '', ...args] = command.split(/\s+/);
  return { runner, entries: args.filter((arg) => /\.[cm]?[jt]s$/.test(arg)) };
}

describe('runtime dependencies', () => {
  it('every package the server, the CLI, `npm start` and web mode load is in "dependencies"', () => {
    const entries = RUNTIME_SCRIPTS.flatMap((name) => scriptParts(name).entries);
    expect(entries).toEqual([
      'sync-server/main.ts',
      'electron/cli/main.ts',
      'build/scripts/start.mjs',
      'electron/web/main.ts',
    ]);

    const graph = runtimeImports(ROOT, entries);
    expect(graph.problems).toEqual([]);
    const missing = [...graph.packages]
      .filter(([name]) => manifest.dependencies[name] === undefined)
      .map(([name, importers]) => `${name} (imported by ${importers.join(', ')})`);
    expect(missing, 'move these to "dependencies"').toEqual([]);
  });

  it('the runner of each of those scripts is a dependency too', () => {
    for (const name of RUNTIME_SCRIPTS) {
      const { runner } = scriptParts(name);
      if (runner !== 'node')
        expect(manifest.dependencies, `npm run ${name}`).toHaveProperty(runner);
    }
    // `npm start` falls back to web mode through `node --import tsx`.
    expect(readFileSync(path.join(ROOT, 'build/scripts/start.mjs'), 'utf8')).toContain("'tsx'");
    expect(manifest.dependencies).toHaveProperty('tsx');
  });

  it('follows the lazy imports down to the storage and the keychain', () => {
    const server = runtimeImports(ROOT, ['sync-server/main.ts']);
    // main.ts loads the server with a dynamic import() once the flags are accepted.
    expect(server.files).toContain('sync-server/server.ts');
    expect(server.files).toContain('sync-server/storage/sqlite/sqlite-database.ts');
    expect([...server.packages.keys()]).toEqual(
      expect.arrayContaining(['better-sqlite3', 'fastify', 'argon2', 'nodemailer', 'zod']),
    );
    const cli = runtimeImports(ROOT, ['electron/cli/main.ts']);
    expect([...cli.packages.keys()]).toEqual(
      expect.arrayContaining(['better-sqlite3-multiple-ciphers', '@napi-rs/keyring', 'zod']),
    );
    expect(cli.packages.has('better-sqlite3')).toBe(false);
  });
});

describe('runtimeImports', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coffer-imports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  it('counts every import that loads code and none that is erased', () => {
    write(
      'main.ts',
      [
        "import type { Erased } from 'type-only-package';",
        "import { type Kept } from 'kept-for-its-side-effects';",
        "import './lib/side.js';",
        "export { helper } from '@scope/reexported/sub/path';",
        "export type { Shape } from 'type-only-reexport';",
        "type Lazy = import('type-position-import').Lazy;",
        'export async function run(): Promise<void> {',
        "  await import('./lib/lazy.js');",
        '}',
      ].join('\n'),
    );
    write('lib/side.ts', "import fs from 'node:fs';\nimport path from 'path';\nexport {};\n");
    write(
      'lib/lazy.ts',
      "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nrequire('required-package');\nawait import('dev-only-tool');\n",
    );

    const graph = runtimeImports(dir, ['main.ts']);
    expect(graph.problems).toEqual([]);
    expect(graph.files).toEqual(['main.ts', 'lib/side.ts', 'lib/lazy.ts']);
    expect(graph.specifiers).toEqual([
      'kept-for-its-side-effects',
      '@scope/reexported/sub/path',
      'required-package',
      'dev-only-tool',
    ]);
    expect(Object.fromEntries(graph.packages)).toEqual({
      'kept-for-its-side-effects': ['main.ts'],
      '@scope/reexported': ['main.ts'],
      'required-package': ['lib/lazy.ts'],
      'dev-only-tool': ['lib/lazy.ts'],
    });
  });

  it('reports what it cannot follow instead of passing over it', () => {
    write(
      'computed.ts',
      "const name = process.env.PLUGIN ?? 'x';\nawait import(name);\nimport './missing.js';\n",
    );
    expect(runtimeImports(dir, ['computed.ts']).problems).toEqual([
      'computed.ts:2: import of a computed specifier',
      "computed.ts:3: './missing.js' not found",
    ]);
  });

  it('names packages by their scope and name only', () => {
    expect(packageNameOf('csv-parse/sync')).toBe('csv-parse');
    expect(packageNameOf('@simplewebauthn/server/helpers')).toBe('@simplewebauthn/server');
    expect(packageNameOf('zod')).toBe('zod');
  });
});
