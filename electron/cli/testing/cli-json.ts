import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { KeychainKeyStore } from '../../core/vault/keychain.key-store.js';
import { requireSecretService } from '../../core/vault/test-fixtures/keychain-test-support.js';
import { openVault } from '../../core/vault/vault.js';
import { runCliProcess, type CliRun } from './run-cli-process.js';

/** A Recovery Key as `init` and `recovery-key new` show it: nine groups of four. */
export const RECOVERY_KEY_GROUPS = /^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/;

export interface CliError {
  code: string;
  message: string;
}

const run = (vault: string, args: string[], stdin?: string): Promise<CliRun> =>
  runCliProcess(['--vault', vault, '--json', ...args], stdin === undefined ? {} : { stdin });

/** Runs `coffer --vault VAULT --json ARGS` in a child process; it must succeed. */
export async function cliOk(
  vault: string,
  args: string[],
  stdin?: string,
): Promise<Record<string, unknown>> {
  const done = await run(vault, args, stdin);
  expect(done.code, `${args.join(' ')}: ${done.stderr}`).toBe(0);
  return JSON.parse(done.stdout) as Record<string, unknown>;
}

/** Runs it expecting a refusal: nothing on stdout, the `{"error":…}` from stderr. */
export async function cliFailed(
  vault: string,
  args: string[],
  stdin?: string,
): Promise<CliRun & { error: CliError }> {
  const done = await run(vault, args, stdin);
  expect(done.stdout).toBe('');
  return { ...done, error: (JSON.parse(done.stderr) as { error: CliError }).error };
}

/**
 * Links a keychain vault to sync the way the sync engine does (`enableOutbox`), so each
 * later write leaves an outbox change a test can read: a new vault keeps none.
 */
export async function enableOutbox(vault: string): Promise<void> {
  const opened = await openVault({ dir: vault, keyStore: new KeychainKeyStore() });
  try {
    opened.changes.enableOutbox();
  } finally {
    opened.close();
  }
}

export async function accountNames(vault: string): Promise<string[]> {
  const listed = (await cliOk(vault, ['account', 'list'])) as { accounts: { name: string }[] };
  return listed.accounts.map((a) => a.name).sort();
}

/** SHA-256 of every file in `dir` by name: equal before and after means nothing changed. */
export function dirFingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    out[name] = createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex');
  }
  return out;
}

/**
 * A scratch folder for a suite's vaults, made before its tests and removed after, with the
 * keychain entries of every vault id pushed to `vaultIds` deleted too. Call at the top of
 * a test file; without a Secret Service the suite fails at once, saying so.
 */
export function keychainScratch(prefix: string): {
  path: (name: string) => string;
  vaultIds: string[];
} {
  const keychain = new KeychainKeyStore();
  const vaultIds: string[] = [];
  let root: string | undefined;
  beforeAll(async () => {
    await requireSecretService();
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    for (const id of vaultIds) {
      await keychain.delete(id, 'current').catch(() => false);
      await keychain.delete(id, 'next').catch(() => false);
    }
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });
  return {
    path: (name) => {
      if (root === undefined) throw new Error('keychainScratch: used outside a test');
      return join(root, name);
    },
    vaultIds,
  };
}
