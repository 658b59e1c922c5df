// Proves the layer rule fires through the project's real eslint.config.js: each case
// lints fixture source as if it were a file at that path in the repository.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import plugin, { checkImport, layerOf } from './coffer-layers.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const RULE = 'coffer/layer-imports';

// The real config, minus type-aware linting: the fixtures are not files on disk, so the
// TypeScript project service cannot load them. Everything else (file globs, plugin,
// rule options) is exactly what `npm run lint` uses.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: [tseslint.configs.disableTypeChecked],
});

async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, file) });
  if (!result) throw new Error(`no lint result for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${file}: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('coffer/layer-imports through eslint.config.js', () => {
  it.each([
    ['shared/money/bad.ts', "import { openVault } from '../../electron/core/x.js';"],
    ['shared/bad.ts', "import { openVault } from '../electron/core/x.js';"],
    ['shared/bad.ts', "import { readFileSync } from 'node:fs';"],
    ['shared/bad.ts', "import { readFileSync } from 'fs';"],
    ['shared/bad.ts', "import { readFile } from 'fs/promises';"],
    ['shared/bad.ts', "import { app } from 'electron';"],
    ['shared/bad.ts', "import Database from 'better-sqlite3';"],
    ['shared/bad.ts', "import type { Database } from 'better-sqlite3';"],
    ['shared/bad.ts', "export { x } from '../renderer/x.js';"],
    ['shared/bad.ts', "export * from '../sync-server/x.js';"],
    ['shared/bad.ts', "export const load = () => import('node:crypto');"],
    ['shared/bad.ts', "export type Db = import('better-sqlite3').Database;"],
    ['shared/bad.ts', "import pkg from '../package.json' with { type: 'json' };"],
    ['shared/bad.test.ts', "import { readFileSync } from 'node:fs';"],
    ['shared/bad.test.ts', "import { Database } from 'better-sqlite3';"],
    ['renderer/bad.ts', "import { openVault } from '../electron/core/vault/vault.js';"],
    ['renderer/src/bad.tsx', "import { openVault } from '../../electron/core/vault/vault.js';"],
    ['renderer/bad.ts', "import path from 'node:path';"],
    ['renderer/bad.ts', "import path from 'path';"],
    ['renderer/bad.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/bad.ts', "import { server } from '../sync-server/server.js';"],
    ['sync-server/bad.ts', "import { openVault } from '../electron/core/vault/vault.js';"],
    ['sync-server/bad.ts', "import { App } from '../renderer/app.js';"],
    ['electron/preload/bad.ts', "import { openVault } from '../core/vault/vault.js';"],
    ['electron/core/bad.ts', "import { createWindow } from '../main/window.js';"],
    ['electron/core/bad.ts', "import { run } from '../cli/cli.js';"],
    ['electron/core/bad.ts', "import { App } from '../../renderer/app.js';"],
    ['electron/core/bad.ts', "import { server } from '../../sync-server/server.js';"],
    ['electron/core/bad.ts', "import { startWebServer } from '../web/web-server.js';"],
    ['electron/web/bad.ts', "import { app } from 'electron';"],
    ['electron/web/bad.ts', "import { createWindow } from '../main/window.js';"],
    ['electron/web/bad.ts', "import { run } from '../cli/cli.js';"],
    ['electron/web/bad.ts', "import { App } from '../../renderer/src/app.js';"],
    ['electron/web/bad.ts', "import { server } from '../../sync-server/server.js';"],
    ['renderer/src/bad.ts', "import { startWebServer } from '../../electron/web/web-server.js';"],
  ])('fires for %s: %s', async (file, source) => {
    const errors = await layerErrors(file, `${source}\n`);
    expect(errors).toHaveLength(1);
  });

  it.each([
    ['shared/money/ok.ts', "import { CofferError } from '../errors/coffer-error.js';"],
    ['shared/ok.ts', "import * as z from 'zod';"],
    ['shared/ok.ts', "import * as z from 'zod/v4';"],
    ['shared/ok.test.ts', "import { describe } from 'vitest';\nimport fc from 'fast-check';"],
    ['renderer/ok.ts', "import { parseAmount } from '../shared/money/parse-amount.js';"],
    ['renderer/src/ok.tsx', "import * as z from 'zod';"],
    ['renderer/e2e/ok.ts', "import { spawn } from 'node:child_process';"],
    ['sync-server/ok.ts', "import { ChangeSchema } from '../shared/sync/change.js';"],
    ['sync-server/ok.ts', "import { createServer } from 'node:https';"],
    ['electron/core/vault/ok.ts', "import { uuidv7 } from '../../../shared/ids/uuidv7.js';"],
    ['electron/core/vault/ok.ts', "import Database from 'better-sqlite3-multiple-ciphers';"],
    ['electron/core/vault/ok.ts', "import { readFileSync } from 'node:fs';"],
    ['electron/cli/ok.ts', "import { openVault } from '../core/vault/vault.js';"],
    ['electron/main/ok.ts', "import { app } from 'electron';\nimport { x } from '../core/x.js';"],
    ['electron/preload/ok.ts', "import { contextBridge } from 'electron';"],
    ['electron/web/ok.ts', "import { AppSession } from '../core/api/app-session.js';"],
    [
      'electron/web/ok.ts',
      "import Fastify from 'fastify';\nimport { createServer } from 'node:http';",
    ],
    [
      'electron/web/ok.ts',
      "import { CONTENT_SECURITY_POLICY } from '../../shared/app/content-security-policy.js';",
    ],
    [
      'renderer/e2e/support/ok.ts',
      "import { startWebServer } from '../../../electron/web/web-server.js';",
    ],
    ['bench/ok.ts', "import { openVault } from '../electron/core/vault/vault.js';"],
    ['build/scripts/ok.ts', "import { execSync } from 'node:child_process';"],
  ])('does not fire for %s: %s', async (file, source) => {
    const errors = await layerErrors(file, `${source}\n`);
    expect(errors).toEqual([]);
  });

  it('names the layer, the import and what is allowed', async () => {
    const [message] = await layerErrors('shared/bad.ts', "import x from 'better-sqlite3';\n");
    expect(message).toContain('shared');
    expect(message).toContain("'better-sqlite3'");
    expect(message).toContain("'zod'");
  });

  it('is an error, and no-console is an error in library code only', async () => {
    const severity = async (file: string, rule: string): Promise<unknown> => {
      const config = (await eslint.calculateConfigForFile(path.join(repoRoot, file))) as {
        rules: Record<string, unknown[]>;
      };
      return config.rules[rule]?.[0];
    };
    for (const file of ['shared/money/money.ts', 'electron/core/vault/vault.ts']) {
      expect(await severity(file, RULE)).toBe(2);
      expect(await severity(file, 'no-console')).toBe(2);
    }
    expect(await severity('renderer/src/app.ts', 'no-console')).toBe(2);
    expect(await severity('sync-server/server.ts', 'no-console')).toBe(2);
    for (const file of [
      'electron/cli/output.ts',
      'build/scripts/x.ts',
      'shared/money/money.test.ts',
    ]) {
      expect(await severity(file, 'no-console')).toBe(0);
    }
  });
});

describe('coffer/layer-imports on files on disk', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'coffer-layers-'));
    const files: Record<string, string> = {
      'shared/ids/id.ts': 'export const id = 1;\n',
      'shared/bad.ts': "import { id } from '../electron/core/x.js';\nexport const y = id;\n",
      'shared/good.ts': "import { id } from './ids/id.js';\nexport const y = id;\n",
      'electron/core/x.ts': "import { id } from '../../shared/ids/id.js';\nexport const x = id;\n",
      'renderer/bad.ts': "import { x } from '../electron/core/x.js';\nexport const y = x;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reports only the files that cross a layer', async () => {
    const standalone = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { coffer: plugin },
          rules: { [RULE]: ['error', { root }] },
        },
      ],
    });
    const results = await standalone.lintFiles(['.']);
    const flagged = results
      .filter((r) => r.messages.some((m) => m.ruleId === RULE))
      .map((r) => path.relative(root, r.filePath).split(path.sep).join('/'))
      .sort();
    expect(flagged).toEqual(['renderer/bad.ts', 'shared/bad.ts']);
    expect(results.flatMap((r) => r.messages.filter((m) => m.fatal))).toEqual([]);
  });
});

describe('checkImport', () => {
  const root = path.resolve('/repo');
  const check = (file: string, specifier: string) =>
    checkImport({ root, filename: path.join(root, file), specifier })?.messageId ?? null;

  it('judges a relative import by where it lands, not how it is spelled', () => {
    expect(check('shared/a/b.ts', '../../shared/c.js')).toBeNull();
    expect(check('shared/a/b.ts', '../../electron/core/../../shared/c.js')).toBeNull();
    expect(check('shared/a/b.ts', '../../shared/../electron/core/x.js')).toBe('crossLayer');
    expect(check('shared/a.ts', '../../outside.js')).toBe('outsideRepository');
  });

  it('treats scoped packages and subpaths by package name', () => {
    expect(check('shared/a.ts', 'zod/v4/core')).toBeNull();
    expect(check('shared/a.ts', '@types/node')).toBe('package');
    expect(check('shared/a.test.ts', 'vitest/config')).toBeNull();
    expect(check('shared/a.ts', 'vitest')).toBe('package');
  });

  it('leaves files outside the layers alone', () => {
    expect(layerOf('build/scripts/x.ts')).toBeNull();
    expect(layerOf('renderer/e2e/app.spec.ts')).toBeNull();
    expect(layerOf('electron/core/vault/vault.ts')).toBe('electron/core');
    expect(layerOf('electron/web/web-server.ts')).toBe('electron/web');
    expect(check('vitest.config.ts', 'node:path')).toBeNull();
  });
});
