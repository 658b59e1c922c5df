import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_INJECT_ENV } from '../core/vault/fault-injection.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { formatRecoveryKey, generateRecoverySecret } from '../core/vault/recovery-key.js';
import { createFormat1Vault } from '../core/vault/test-fixtures/format-1-vault.js';
import { requireSecretService } from '../core/vault/test-fixtures/keychain-test-support.js';
import { readVaultManifest } from '../core/vault/vault-files.js';
import { runCliProcess, type CliRun } from './testing/run-cli-process.js';

/**
 * `coffer recovery-key new` end to end: a child process per command, the real OS keychain
 * (gnome-keyring under with-keyring.sh), real vault files. A vault made before Recovery Keys
 * gets one and then survives losing the keychain; replacing a key makes the old one useless
 * on the live vault while a backup taken before still opens with it; no secret is ever read
 * from the command line.
 * @module-tag secret-service
 */
const GROUPS = /^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/;
const keychain = new KeychainKeyStore();
const vaultIds: string[] = [];
let root: string;

interface CliError {
  code: string;
  message: string;
}

beforeAll(async () => {
  await requireSecretService();
  root = mkdtempSync(join(tmpdir(), 'coffer-cli-recovery-key-new-'));
});
afterAll(async () => {
  for (const id of vaultIds) {
    await keychain.delete(id, 'current').catch(() => false);
    await keychain.delete(id, 'next').catch(() => false);
  }
  rmSync(root, { recursive: true, force: true });
});

async function ok(vault: string, args: string[], stdin?: string): Promise<Record<string, unknown>> {
  const run = await runCliProcess(
    ['--vault', vault, '--json', ...args],
    stdin === undefined ? {} : { stdin },
  );
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

async function failed(
  vault: string,
  args: string[],
  stdin?: string,
): Promise<CliRun & { error: CliError }> {
  const run = await runCliProcess(
    ['--vault', vault, '--json', ...args],
    stdin === undefined ? {} : { stdin },
  );
  expect(run.stdout).toBe('');
  return { ...run, error: (JSON.parse(run.stderr) as { error: CliError }).error };
}
async function accountNames(vault: string): Promise<string[]> {
  const listed = (await ok(vault, ['account', 'list'])) as { accounts: { name: string }[] };
  return listed.accounts.map((a) => a.name).sort();
}

function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    out[name] = createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex');
  }
  return out;
}

function groupedKeyIn(stdout: string): string | undefined {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .find((line) => GROUPS.test(line));
}

describe('coffer recovery-key new (child processes, real keychain)', { timeout: 300_000 }, () => {
  it('gives a vault made before Recovery Keys its first, which then opens it without the keychain', async () => {
    const vault = join(root, 'format-1');
    const { vaultId } = await createFormat1Vault({ dir: vault, keyStore: keychain });
    vaultIds.push(vaultId);
    await ok(vault, ['account', 'add', '--name', 'Old savings', '--currency', 'EUR']);

    // Until then it works as before, and status says what is missing and what to run.
    expect(readVaultManifest(vault).formatVersion).toBe(1);
    const before = await ok(vault, ['status']);
    expect(before['recovery']).toMatchObject({ state: 'none' });
    expect(String((before['recovery'] as { advice: string }).advice)).toContain(
      `coffer --vault ${vault} recovery-key new`,
    );
    const human = await runCliProcess(['--vault', vault, 'status']);
    expect(human.stdout).toMatch(/^recovery +no Recovery Key/m);
    expect(human.stdout).toContain(`coffer --vault ${vault} recovery-key new`);
    const anyKey = formatRecoveryKey(generateRecoverySecret());
    const notSetUp = await failed(vault, ['recover', '--recovery-key-stdin'], `${anyKey}\n`);
    expect(notSetUp.error.code).toBe('RECOVERY_NOT_SET_UP');
    expect(notSetUp.error.message).toContain('recovery-key new');
    expect(readVaultManifest(vault).formatVersion).toBe(1);

    const made = await runCliProcess(['--vault', vault, 'recovery-key', 'new']);
    expect(made.code, made.stderr).toBe(0);
    const recoveryKey = groupedKeyIn(made.stdout);
    expect(recoveryKey).toBeDefined();
    expect(made.stdout).toContain('shown this once');
    expect(made.stdout).toContain('cannot show it again');
    expect(made.stdout).toContain('Backups made before have no Recovery Key');
    expect(made.stdout).toContain(`coffer --vault ${vault} recover --recovery-key-stdin`);
    expect(made.stderr).not.toContain(recoveryKey);
    expect(readVaultManifest(vault).formatVersion).toBe(2);
    expect((await ok(vault, ['status']))['recovery']).toEqual({
      state: 'set-up',
      summary: 'Recovery Key set up',
    });

    // A new machine: the keychain entry is gone, and the Recovery Key brings the vault back.
    expect(await keychain.delete(vaultId)).toBe(true);
    expect((await failed(vault, ['status'])).error.code).toBe('KEY_NOT_FOUND');
    expect(await ok(vault, ['recover', '--recovery-key-stdin'], `${recoveryKey}\n`)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(vault)).toEqual(['Old savings']);
  });

  it('replaces a Recovery Key: the old one is refused on the live vault, a backup from before still opens with it', async () => {
    const live = join(root, 'live');
    const created = await ok(live, ['init']);
    const vaultId = String(created['vaultId']);
    vaultIds.push(vaultId);
    const oldKey = String(created['recoveryKey']);
    await ok(live, ['account', 'add', '--name', 'Before backup', '--currency', 'USD']);
    const backup = join(root, 'live.backup');
    await ok(live, ['backup', '--out', backup]);

    const replaced = await ok(live, ['recovery-key', 'new']);
    expect(replaced).toMatchObject({ vaultId, dir: live, replaced: true });
    const newKey = String(replaced['recoveryKey']);
    expect(newKey).toMatch(GROUPS);
    expect(newKey).not.toBe(oldKey);
    await ok(live, ['account', 'add', '--name', 'After replacing', '--currency', 'USD']);

    const untouched = fingerprint(live);
    const refused = await failed(live, ['recover', '--recovery-key-stdin'], `${oldKey}\n`);
    expect(refused.code).toBe(1);
    expect(refused.error.code).toBe('RECOVERY_KEY_INVALID');
    expect(refused.stderr).not.toContain(oldKey.slice(0, 14));
    expect(fingerprint(live)).toEqual(untouched);
    expect(await ok(live, ['recover', '--recovery-key-stdin'], newKey)).toEqual({
      vaultId,
      outcome: 'already-stored',
    });

    // The backup keeps its own vault.json: the key of its time opens it, the new one does not.
    const restored = join(root, 'restored');
    await ok(restored, ['restore', '--from', backup]);
    expect(await keychain.delete(vaultId)).toBe(true);
    const tooNew = await failed(restored, ['recover', '--recovery-key-stdin'], newKey);
    expect(tooNew.error.code).toBe('RECOVERY_KEY_INVALID');
    expect(await ok(restored, ['recover', '--recovery-key-stdin'], oldKey)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(restored)).toEqual(['Before backup']);

    // And the live vault, with the keychain lost again, comes back with the new key alone.
    expect(await keychain.delete(vaultId)).toBe(true);
    expect(await ok(live, ['recover', '--recovery-key-stdin'], newKey)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(live)).toEqual(['After replacing', 'Before backup']);
  });

  it('prints the key the moment it is in force: killed right after, the printed key opens the vault without the keychain', async () => {
    const vault = join(root, 'killed');
    const created = await ok(vault, ['init']);
    const vaultId = String(created['vaultId']);
    vaultIds.push(vaultId);
    await ok(vault, ['account', 'add', '--name', 'Kept', '--currency', 'USD']);

    const killed = await runCliProcess(['--vault', vault, '--json', 'recovery-key', 'new'], {
      env: { [FAULT_INJECT_ENV]: 'recovery-key:after-show' },
    });
    expect(killed.code).toBeNull(); // SIGKILL: the older key was not retired yet
    const printed = String((JSON.parse(killed.stdout) as { recoveryKey: unknown }).recoveryKey);
    expect(printed).toMatch(GROUPS);
    const status = await ok(vault, ['status']);
    expect(status['recovery']).toMatchObject({ state: 'unfinished' });
    expect(String((status['recovery'] as { advice: string }).advice)).toContain('recovery-key new');

    expect(await keychain.delete(vaultId)).toBe(true);
    expect(await ok(vault, ['recover', '--recovery-key-stdin'], printed)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(vault)).toEqual(['Kept']);
  });

  it('reads no secret from the command line, and bad usage exits 2 changing nothing', async () => {
    const vault = join(root, 'usage');
    const created = await ok(vault, ['init']);
    vaultIds.push(String(created['vaultId']));
    const key = String(created['recoveryKey']);
    const before = fingerprint(vault);
    for (const args of [
      ['recovery-key', 'new', '--recovery-key', key],
      ['recovery-key', 'new', key],
      ['recovery-key', 'new', '--recovery-key-stdin'],
      ['recovery-key', 'new', '--out', join(root, 'key.txt')],
      ['recovery-key'],
      ['recovery-key', 'old'],
    ]) {
      const run = await runCliProcess(['--vault', vault, ...args], { stdin: `${key}\n` });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('recovery-key new');
      expect(run.stderr).not.toContain(key);
    }
    expect(fingerprint(vault)).toEqual(before);
    // The key init showed still opens the vault: none of those runs replaced it.
    expect(await ok(vault, ['recover', '--recovery-key-stdin'], key)).toMatchObject({
      outcome: 'already-stored',
    });
  });
});
