import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
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
 * The Recovery Key and backups end to end: a child process per command,
 * the real OS keychain (gnome-keyring under with-keyring.sh), real vault files. Init, write,
 * back up, rotate, write, lose the keychain entry, restore the backup into a new folder,
 * recover it with the Recovery Key and read what was written before the backup; recover the
 * live vault too; a wrong Recovery Key is refused and changes nothing.
 * @module-tag secret-service
 */
const keychain = new KeychainKeyStore();
const scratch = keychainScratch('coffer-cli-recovery-');
const { vaultIds } = scratch;

describe('Recovery Key and backups (child processes, real keychain)', { timeout: 300_000 }, () => {
  it('init shows the Recovery Key once, in groups a person can copy, with what it is for', async () => {
    const vault = scratch.path('shown');
    const run = await runCliProcess(['--vault', vault, 'init']);
    expect(run.code).toBe(0);
    const key = run.stdout
      .split('\n')
      .map((line) => line.trim())
      .find((line) => RECOVERY_KEY_GROUPS.test(line));
    expect(key).toBeDefined();
    expect(run.stdout).toMatch(/Recovery Key/);
    expect(run.stdout).toMatch(/cannot show it again/);
    expect(run.stdout).toContain('recover --recovery-key-stdin');
    const status = await cliOk(vault, ['status']);
    vaultIds.push(String(status['vaultId']));
    // Nowhere on disk: not in the vault folder, in no encoding a scan would find.
    for (const name of readdirSync(vault)) {
      const bytes = readFileSync(join(vault, name));
      expect(bytes.includes(Buffer.from(key as string))).toBe(false);
      expect(bytes.includes(Buffer.from((key as string).replace(/-/g, '')))).toBe(false);
    }
  });

  it('survives a lost keychain and a backup from before a rotation', async () => {
    const live = scratch.path('live');
    const created = await cliOk(live, ['init']);
    const vaultId = String(created['vaultId']);
    vaultIds.push(vaultId);
    const recoveryKey = String(created['recoveryKey']);
    expect(recoveryKey).toMatch(RECOVERY_KEY_GROUPS);

    await cliOk(live, ['account', 'add', '--name', 'Before backup', '--currency', 'USD']);
    const backup = scratch.path('live.backup');
    const backedUp = await cliOk(live, ['backup', '--out', backup]);
    expect(backedUp).toMatchObject({ vaultId, file: backup });
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    await cliOk(live, ['rekey']);
    await cliOk(live, ['account', 'add', '--name', 'After backup', '--currency', 'USD']);

    // A new machine: the keychain no longer has the key.
    expect(await keychain.delete(vaultId)).toBe(true);
    expect((await cliFailed(live, ['status'])).error).toMatchObject({ code: 'KEY_NOT_FOUND' });

    const restored = scratch.path('restored');
    expect(await cliOk(restored, ['restore', '--from', backup])).toMatchObject({
      vaultId,
      dir: restored,
    });
    expect((await cliFailed(restored, ['status'])).error).toMatchObject({ code: 'KEY_NOT_FOUND' });

    // A wrong Recovery Key (another vault's) and a mistyped one: clear errors, nothing changed.
    const other = await cliOk(scratch.path('other'), ['init']);
    vaultIds.push(String(other['vaultId']));
    const before = dirFingerprint(restored);
    const wrong = await cliFailed(
      restored,
      ['recover', '--recovery-key-stdin'],
      `${String(other['recoveryKey'])}\n`,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.error).toMatchObject({ code: 'RECOVERY_KEY_INVALID' });
    // A check character changed: always caught as a typo, never mistaken for a wrong key.
    const mistyped = recoveryKey.slice(0, -1) + (recoveryKey.endsWith('A') ? 'B' : 'A');
    const typo = await cliFailed(restored, ['recover', '--recovery-key-stdin'], `${mistyped}\n`);
    expect(typo.error).toMatchObject({ code: 'RECOVERY_KEY_MALFORMED' });
    for (const run of [wrong, typo]) expect(run.stderr).not.toContain(recoveryKey.slice(0, 14));
    expect(dirFingerprint(restored)).toEqual(before);
    expect(await keychain.get(vaultId)).toBeNull();

    // The restored backup, with the Recovery Key typed the way a person might.
    const typed = recoveryKey.toLowerCase().replace(/-/g, ' ');
    expect(await cliOk(restored, ['recover', '--recovery-key-stdin'], `${typed}\n`)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(restored)).toEqual(['Before backup']);

    // The live vault too: the keychain now holds the restored copy's key, which is kept.
    expect(await cliOk(live, ['recover', '--recovery-key-stdin'], recoveryKey)).toEqual({
      vaultId,
      outcome: 're-encrypted',
    });
    expect(await accountNames(live)).toEqual(['After backup', 'Before backup']);
    expect(await accountNames(restored)).toEqual(['Before backup']);
    expect(await cliOk(live, ['recover', '--recovery-key-stdin'], recoveryKey)).toEqual({
      vaultId,
      outcome: 'already-stored',
    });
  });

  it('takes the Recovery Key from stdin only', async () => {
    const vault = scratch.path('stdin-only');
    const created = await cliOk(vault, ['init']);
    vaultIds.push(String(created['vaultId']));
    const key = String(created['recoveryKey']);
    const withoutFlag = await runCliProcess(['--vault', vault, 'recover']);
    expect(withoutFlag.code).toBe(2);
    expect(withoutFlag.stderr).toContain('--recovery-key-stdin');
    const nothingPiped = await runCliProcess(['--vault', vault, 'recover', '--recovery-key-stdin']);
    expect(nothingPiped.code).toBe(2);
    expect(nothingPiped.stderr).toContain('no Recovery Key on standard input');
    const inArgv = await runCliProcess(['--vault', vault, 'recover', '--recovery-key', key]);
    expect(inArgv.code).toBe(2);
    expect(inArgv.stderr).not.toContain(key);
  });

  it('restore refuses a folder that is not empty and a missing backup', async () => {
    const vault = scratch.path('to-back-up');
    const created = await cliOk(vault, ['init']);
    vaultIds.push(String(created['vaultId']));
    const backup = scratch.path('small.backup');
    await cliOk(vault, ['backup', '--out', backup]);
    const notEmpty = await cliFailed(vault, ['restore', '--from', backup]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.error).toMatchObject({ code: 'DIRECTORY_NOT_EMPTY' });
    const missing = await cliFailed(scratch.path('never'), [
      'restore',
      '--from',
      scratch.path('nope.backup'),
    ]);
    expect(missing.error).toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
