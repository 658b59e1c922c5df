import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import { tsEntryArgs } from '../../testing/ts-entry.js';
import { KeychainKeyStore } from '../keychain.key-store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../../..');
const CHILD = path.join(here, 'keychain-child.ts');

/**
 * Keychain proofs need the real Secret Service. Run directly, its absence is a failure with
 * instructions, never a skip; npm test leaves these files out (tag secret-service) only on
 * a machine where none can be had and never under CI.
 */
export async function requireSecretService(): Promise<void> {
  const store = new KeychainKeyStore();
  const probeId = `probe-${uuidv7()}`;
  try {
    await store.set(probeId, Buffer.alloc(32, 0x5a));
    const back = await store.get(probeId);
    if (back === null || !back.equals(Buffer.alloc(32, 0x5a)))
      throw new Error('the keychain did not return what was stored');
  } catch (error) {
    throw new Error(
      'These tests need a running, unlocked Secret Service (gnome-keyring on D-Bus) and must not be skipped. ' +
        'Run them as: bash build/scripts/with-keyring.sh npx vitest run electron/core/vault ' +
        `(cause: ${error instanceof Error ? error.message : String(error)}; details: ${JSON.stringify((error as { details?: unknown }).details ?? null)})`,
    );
  } finally {
    await store.delete(probeId).catch(() => false);
  }
}

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: Record<string, unknown> | null;
  stderr: string;
}

/** Runs keychain-child.ts in a separate Node process (tsEntryArgs). */
export function runChild(args: string[], env: NodeJS.ProcessEnv = {}): ChildResult {
  const result = spawnSync(process.execPath, [...tsEntryArgs(CHILD), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  const line = result.stdout.trim().split('\n').filter(Boolean).pop();
  return {
    status: result.status,
    signal: result.signal,
    output: line === undefined ? null : (JSON.parse(line) as Record<string, unknown>),
    stderr: result.stderr,
  };
}

/** Reads a secret the way another program would: with libsecret's secret-tool. */
export function secretToolLookup(service: string, account: string): string | null {
  // keyring-rs stores the account under the attribute "username".
  const result = spawnSync('secret-tool', ['lookup', 'service', service, 'username', account], {
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return result.status === 0 && result.stdout.length > 0 ? result.stdout.trim() : null;
}

export interface KeyringRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` under a with-keyring.sh of its own: a private bus and gnome-keyring, never
 * the one the other keychain tests share (npm test's outer with-keyring.sh), so the command
 * may kill that keyring's daemon.
 */
export function runInOwnKeyring(command: readonly string[]): Promise<KeyringRun> {
  const env = { ...process.env };
  // An outer with-keyring.sh would make this one reuse its keyring.
  delete env['COFFER_KEYRING'];
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      [path.join(REPO_ROOT, 'build/scripts/with-keyring.sh'), ...command],
      {
        cwd: REPO_ROOT,
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
