import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsEntryArgs } from '../testing/ts-entry.js';
import { REPO_ROOT, runInOwnKeyring } from './test-fixtures/keychain-test-support.js';

/**
 * Proof: a vault key is still read when the keyring daemon dies in the middle of the read.
 * The child program, in a keyring of its own (with-keyring.sh; it kills that keyring's
 * daemon, which the other keychain tests share), freezes the daemon, starts a read, and kills
 * the daemon while the read waits: the session bus starts a new daemon, and the read must
 * return the key from it instead of failing with KEYCHAIN_UNAVAILABLE.
 * @module-tag secret-service
 */
const CHILD = path.join(REPO_ROOT, 'electron/core/vault/test-fixtures/keychain-child.ts');

describe.runIf(process.platform === 'linux')(
  'KeychainKeyStore when the keyring daemon dies',
  () => {
    it('returns the key from the daemon the bus starts next, every time', async () => {
      const result = await runInOwnKeyring([
        process.execPath,
        ...tsEntryArgs(CHILD),
        'restart-read',
        '4',
      ]);
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
