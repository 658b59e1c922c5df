import { describe, expect, it } from 'vitest';
import { FAULT_INJECT_ENV } from '../core/vault/fault-injection.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { formatRecoveryKey, generateRecoverySecret } from '../core/vault/recovery-key.js';
import { createFormat1Vault } from '../core/vault/test-fixtures/format-1-vault.js';
import { readVaultManifest } from '../core/vault/vault-files.js';
import {
  accountNames,
  cliFailed,
  cliOk,
  dirFingerprint,
  keychainScratch,
  RECOVERY_KEY_GROUPS,
} from './testing/cli-json.js';
import { runCliProcess } from './testing/run-cli-process.js';

/**
 * `coffer recovery-key new` end to end: a child process per command, the real OS keychain
 * (gnome-keyring under with-keyring.sh), real vault files. A vault made before Recovery Keys
 * gets one and then survives losing the keychain; replacing a key makes the old one useless
 * on the live vault while a backup taken before still opens with it; no secret is ever read
 * from the command line.
 * @module-tag secret-service
 */
const keychain = new KeychainKeyStore();
const scratch = keychainScratch('coffer-cli-recovery-key-new-');
const { vaultIds } = scratch;

function groupedKeyIn(stdout: string): string | undefined {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .find((line) => RECOVERY_KEY_GROUPS.test(line));
}

describe('coffer recovery-key new (child processes, real keychain)', { timeout: 300_000 }, () => {
  it('gives a vault made before Recovery Keys its first, which then opens it without the keychain', async () => {
    const vault = scratch.path('format-1');
    const { vaultId } = await createFormat1Vault({ dir: vault, keyStore: keychain });
    vaultIds.push(vaultId);
    await cliOk(vault, ['account', 'add', '--name', 'Old savings', '--currency', 'EUR']);

    // Until then it works as before, and status says what is missing and what to run.
    expect(readVaultManifest(vault).formatVersion).toBe(1);
    const before = await cliOk(vault, ['status']);
    expect(before['recovery']).toMatchObject({ state: 'none' });
    expect(String((before['recovery'] as { advice: string }).advice)).toContain(
      `coffer --vault ${vault} recovery-key new`,
    );
    const human = await runCliProcess(['--vault', vault, 'status']);
    expect(human.stdout).toMatch(/^recovery +no Recovery Key/m);
    expect(human.stdout).toContain(`coffer --vault ${vault} recovery-key new`);
    const anyKey = formatRecoveryKey(generateRecoverySecret());
    const notSetUp = await cliFailed(vault, ['recover', '--recovery-key-stdin'], `${anyKey}\n`);
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
    expect((await cliOk(vault, ['status']))['recovery']).toEqual({
      state: 'set-up',
      summary: 'Recovery Key set up',
    });

    // A new machine: the keychain entry is gone, and the Recovery Key brings the vault back.
    expect(await keychain.delete(vaultId)).toBe(true);
    expect((await cliFailed(vault, ['status'])).error.code).toBe('KEY_NOT_FOUND');
    expect(await cliOk(vault, ['recover', '--recovery-key-stdin'], `${recoveryKey}\n`)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(vault)).toEqual(['Old savings']);
  });

  it('replaces a Recovery Key: the old one is refused on the live vault, a backup from before still opens with it', async () => {
    const live = scratch.path('live');
    const created = await cliOk(live, ['init']);
    const vaultId = String(created['vaultId']);
    vaultIds.push(vaultId);
    const oldKey = String(created['recoveryKey']);
    await cliOk(live, ['account', 'add', '--name', 'Before backup', '--currency', 'USD']);
    const backup = scratch.path('live.backup');
    await cliOk(live, ['backup', '--out', backup]);

    const replaced = await cliOk(live, ['recovery-key', 'new']);
    expect(replaced).toMatchObject({ vaultId, dir: live, replaced: true });
    const newKey = String(replaced['recoveryKey']);
    expect(newKey).toMatch(RECOVERY_KEY_GROUPS);
    expect(newKey).not.toBe(oldKey);
    await cliOk(live, ['account', 'add', '--name', 'After replacing', '--currency', 'USD']);

    const untouched = dirFingerprint(live);
    const refused = await cliFailed(live, ['recover', '--recovery-key-stdin'], `${oldKey}\n`);
    expect(refused.code).toBe(1);
    expect(refused.error.code).toBe('RECOVERY_KEY_INVALID');
    expect(refused.stderr).not.toContain(oldKey.slice(0, 14));
    expect(dirFingerprint(live)).toEqual(untouched);
    expect(await cliOk(live, ['recover', '--recovery-key-stdin'], newKey)).toEqual({
      vaultId,
      outcome: 'already-stored',
    });

    // The backup keeps its own vault.json: the key of its time opens it, the new one does not.
    const restored = scratch.path('restored');
    await cliOk(restored, ['restore', '--from', backup]);
    expect(await keychain.delete(vaultId)).toBe(true);
    const tooNew = await cliFailed(restored, ['recover', '--recovery-key-stdin'], newKey);
    expect(tooNew.error.code).toBe('RECOVERY_KEY_INVALID');
    expect(await cliOk(restored, ['recover', '--recovery-key-stdin'], oldKey)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(restored)).toEqual(['Before backup']);

    // And the live vault, with the keychain lost again, comes back with the new key alone.
    expect(await keychain.delete(vaultId)).toBe(true);
    expect(await cliOk(live, ['recover', '--recovery-key-stdin'], newKey)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(live)).toEqual(['After replacing', 'Before backup']);
  });

  it('prints the key the moment it is in force: killed right after, the printed key opens the vault without the keychain', async () => {
    const vault = scratch.path('killed');
    const created = await cliOk(vault, ['init']);
    const vaultId = String(created['vaultId']);
    vaultIds.push(vaultId);
    await cliOk(vault, ['account', 'add', '--name', 'Kept', '--currency', 'USD']);

    const killed = await runCliProcess(['--vault', vault, '--json', 'recovery-key', 'new'], {
      env: { [FAULT_INJECT_ENV]: 'recovery-key:after-show' },
    });
    expect(killed.code).toBeNull(); // SIGKILL: the older key was not retired yet
    const printed = String((JSON.parse(killed.stdout) as { recoveryKey: unknown }).recoveryKey);
    expect(printed).toMatch(RECOVERY_KEY_GROUPS);
    const status = await cliOk(vault, ['status']);
    expect(status['recovery']).toMatchObject({ state: 'unfinished' });
    expect(String((status['recovery'] as { advice: string }).advice)).toContain('recovery-key new');

    expect(await keychain.delete(vaultId)).toBe(true);
    expect(await cliOk(vault, ['recover', '--recovery-key-stdin'], printed)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(vault)).toEqual(['Kept']);
  });

  it('reads no secret from the command line, and bad usage exits 2 changing nothing', async () => {
    const vault = scratch.path('usage');
    const created = await cliOk(vault, ['init']);
    vaultIds.push(String(created['vaultId']));
    const key = String(created['recoveryKey']);
    const before = dirFingerprint(vault);
    for (const args of [
      ['recovery-key', 'new', '--recovery-key', key],
      ['recovery-key', 'new', key],
      ['recovery-key', 'new', '--recovery-key-stdin'],
      ['recovery-key', 'new', '--out', scratch.path('key.txt')],
      ['recovery-key'],
      ['recovery-key', 'old'],
    ]) {
      const run = await runCliProcess(['--vault', vault, ...args], { stdin: `${key}\n` });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('recovery-key new');
      expect(run.stderr).not.toContain(key);
    }
    expect(dirFingerprint(vault)).toEqual(before);
    // The key init showed still opens the vault: none of those runs replaced it.
    expect(await cliOk(vault, ['recover', '--recovery-key-stdin'], key)).toMatchObject({
      outcome: 'already-stored',
    });
  });
});
