import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { moduleSpecifiers } from '../install/runtime-imports.js';

/**
 * npm test can leave out the suites that need the OS keychain only if they say so: a
 * module-tag comment naming secret-service for a whole file, or the `tags` option of one
 * test. A test file that reaches the keychain directly, or runs the `coffer` process
 * (whose vault key goes to the keychain), must carry the tag.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEST_DIRS = ['shared', 'electron', 'renderer', 'sync-server', 'build', 'bench'];
const KEYCHAIN_MODULES =
  /(^|\/)(keychain\.key-store|keychain-test-support|run-cli-process|cli-json|sync-cli)\.js$/;
const KEYCHAIN_PACKAGES = ['@napi-rs/keyring'];

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => !file.includes('node_modules/') && !file.startsWith('renderer/e2e/'));
}

/** A test that starts a keyring of its own runs the script that makes one. */
const KEYRING_SCRIPT = /['"`]build\/scripts\/with-keyring\.sh['"`]/;

function needsKeychain(file: string): boolean {
  return (
    moduleSpecifiers(path.join(ROOT, file)).some(
      ({ specifier }) =>
        specifier !== null &&
        (KEYCHAIN_MODULES.test(specifier) || KEYCHAIN_PACKAGES.includes(specifier)),
    ) || KEYRING_SCRIPT.test(readFileSync(path.join(ROOT, file), 'utf8'))
  );
}

function isTagged(file: string): boolean {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return (
    /(\/\/|\*)\s*@module-tag\s+secret-service\b/.test(text) ||
    /tags:\s*\[[^\]]*'secret-service'/.test(text)
  );
}

describe('secret-service tag', () => {
  const files = TEST_DIRS.flatMap(testFiles);

  it('is on every test file that uses the keychain or the coffer process', () => {
    const needing = files.filter(needsKeychain);
    expect(needing).toEqual(
      expect.arrayContaining([
        'electron/cli/cli.e2e.test.ts',
        'electron/cli/cli-transfer.e2e.test.ts',
        'electron/core/vault/keychain.security.test.ts',
        'electron/core/vault/rekey.crash.test.ts',
        'build/install/production-install.test.ts',
        'build/scripts/with-keyring.test.ts',
      ]),
    );
    expect(needing.filter((file) => !isTagged(file))).toEqual([]);
  });

  it('is not on files that need no keychain', () => {
    // Skipping them would hide tests for no reason on machines without a Secret Service.
    expect(files.filter((file) => isTagged(file) && !needsKeychain(file))).toEqual([]);
  });
});
