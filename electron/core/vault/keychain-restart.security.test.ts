import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsEntryArgs } from '../testing/ts-entry.js';
import { REPO_ROOT } from './test-fixtures/keychain-test-support.js';

/**
 * Proof: a vault key is still read when the keyring daemon dies in the middle of the read.
 * The child program, in a keyring of its own (with-keyring.sh; it kills that keyring's
 * daemon, which the other keychain tests share), freezes the daemon, starts a read, and kills
 * the daemon while the read waits: the session bus starts a new daemon, and the read must
 * return the key from it instead of failing with KEYCHAIN_UNAVAILABLE.
 * @module-tag secret-service
 */
const WITH_KEYRING = path.join(REPO_ROOT, 'build/scripts/with-keyring.sh');
const CHILD = path.join(REPO_ROOT, 'electron/core/vault/test-fixtures/keychain-child.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runInOwnKeyring(args: string[]): Promise<Run> {
  const env = { ...process.env };
  // An outer with-keyring.sh (npm test's) would make this one reuse the shared keyring.
  delete env['COFFER_KEYRING'];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [WITH_KEYRING, process.execPath, ...tsEntryArgs(CHILD), ...args], {
      cwd: REPO_ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(process.platform === 'linux')(
  'KeychainKeyStore when the keyring daemon dies',
  () => {
    it('returns the key from the daemon the bus starts next, every time', async () => {
      const result = await runInOwnKeyring(['restart-read', '4']);
      expect(result.code, result.stderr).toBe(0);
      const outcome = JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as unknown;
      expect(outcome).toEqual({ ok: true, rounds: 4, read: 4 });
      // Each round really killed a daemon mid-read.
      expect(
        result.stderr.match(/the keyring daemon \(pid \d+\) exited/g)?.length,
      ).toBeGreaterThanOrEqual(4);
    }, 60_000);
  },
);
