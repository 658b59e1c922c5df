import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { requireSecretService } from '../core/vault/test-fixtures/keychain-test-support.js';
import { runCliProcess, type CliRun } from './testing/run-cli-process.js';

/**
 * The Recovery Key and backups end to end, as issue 6 asks: a child process per command,
 * the real OS keychain (gnome-keyring under with-keyring.sh), real vault files. Init, write,
 * back up, rotate, write, lose the keychain entry, restore the backup into a new folder,
 * recover it with the Recovery Key and read what was written before the backup; recover the
 * live vault too; a wrong Recovery Key is refused and changes nothing.
 * @module-tag secret-service
 */
const GROUPS = /^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/;
const keychain = new KeychainKeyStore();
const vaultIds: string[] = [];
let root: string;

beforeAll(async () => {
  await requireSecretService();
  root = mkdtempSync(join(tmpdir(), 'coffer-cli-recovery-'));
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
): Promise<CliRun & { error: unknown }> {
  const run = await runCliProcess(
    ['--vault', vault, '--json', ...args],
    stdin === undefined ? {} : { stdin },
  );
  expect(run.stdout).toBe('');
  return { ...run, error: (JSON.parse(run.stderr) as { error: unknown }).error };
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

describe('Recovery Key and backups (child processes, real keychain)', { timeout: 300_000 }, () => {
  it('init shows the Recovery Key once, in groups a person can copy, with what it is for', async () => {
    const vault = join(root, 'shown');
    const run = await runCliProcess(['--vault', vault, 'init']);
    expect(run.code).toBe(0);
    const key = run.stdout
      .split('\n')
      .map((line) => line.trim())
      .find((line) => GROUPS.test(line));
    expect(key).toBeDefined();
    expect(run.stdout).toMatch(/Recovery Key/);
    expect(run.stdout).toMatch(/cannot show it again/);
    expect(run.stdout).toContain('recover --recovery-key-stdin');
    const status = await ok(vault, ['status']);
    vaultIds.push(String(status['vaultId']));
    // Nowhere on disk: not in the vault folder, in no encoding a scan would find.
    for (const name of readdirSync(vault)) {
      const bytes = readFileSync(join(vault, name));
      expect(bytes.includes(Buffer.from(key as string))).toBe(false);
      expect(bytes.includes(Buffer.from((key as string).replace(/-/g, '')))).toBe(false);
    }
  });

  it('survives a lost keychain and a backup from before a rotation', async () => {
    const live = join(root, 'live');
    const created = await ok(live, ['init']);
    const vaultId = String(created['vaultId']);
    vaultIds.push(vaultId);
    const recoveryKey = String(created['recoveryKey']);
    expect(recoveryKey).toMatch(GROUPS);

    await ok(live, ['account', 'add', '--name', 'Before backup', '--currency', 'USD']);
    const backup = join(root, 'live.backup');
    const backedUp = await ok(live, ['backup', '--out', backup]);
    expect(backedUp).toMatchObject({ vaultId, file: backup });
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    await ok(live, ['rekey']);
    await ok(live, ['account', 'add', '--name', 'After backup', '--currency', 'USD']);

    // A new machine: the keychain no longer has the key.
    expect(await keychain.delete(vaultId)).toBe(true);
    expect((await failed(live, ['status'])).error).toMatchObject({ code: 'KEY_NOT_FOUND' });

    const restored = join(root, 'restored');
    expect(await ok(restored, ['restore', '--from', backup])).toMatchObject({
      vaultId,
      dir: restored,
    });
    expect((await failed(restored, ['status'])).error).toMatchObject({ code: 'KEY_NOT_FOUND' });

    // A wrong Recovery Key (another vault's) and a mistyped one: clear errors, nothing changed.
    const other = await ok(join(root, 'other'), ['init']);
    vaultIds.push(String(other['vaultId']));
    const before = fingerprint(restored);
    const wrong = await failed(
      restored,
      ['recover', '--recovery-key-stdin'],
      `${String(other['recoveryKey'])}\n`,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.error).toMatchObject({ code: 'RECOVERY_KEY_INVALID' });
    // A check character changed: always caught as a typo, never mistaken for a wrong key.
    const mistyped = recoveryKey.slice(0, -1) + (recoveryKey.endsWith('A') ? 'B' : 'A');
    const typo = await failed(restored, ['recover', '--recovery-key-stdin'], `${mistyped}\n`);
    expect(typo.error).toMatchObject({ code: 'RECOVERY_KEY_MALFORMED' });
    for (const run of [wrong, typo]) expect(run.stderr).not.toContain(recoveryKey.slice(0, 14));
    expect(fingerprint(restored)).toEqual(before);
    expect(await keychain.get(vaultId)).toBeNull();

    // The restored backup, with the Recovery Key typed the way a person might.
    const typed = recoveryKey.toLowerCase().replace(/-/g, ' ');
    expect(await ok(restored, ['recover', '--recovery-key-stdin'], `${typed}\n`)).toEqual({
      vaultId,
      outcome: 'stored',
    });
    expect(await accountNames(restored)).toEqual(['Before backup']);

    // The live vault too: the keychain now holds the restored copy's key, which is kept.
    expect(await ok(live, ['recover', '--recovery-key-stdin'], recoveryKey)).toEqual({
      vaultId,
      outcome: 're-encrypted',
    });
    expect(await accountNames(live)).toEqual(['After backup', 'Before backup']);
    expect(await accountNames(restored)).toEqual(['Before backup']);
    expect(await ok(live, ['recover', '--recovery-key-stdin'], recoveryKey)).toEqual({
      vaultId,
      outcome: 'already-stored',
    });
  });

  it('takes the Recovery Key from stdin only', async () => {
    const vault = join(root, 'stdin-only');
    const created = await ok(vault, ['init']);
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
    const vault = join(root, 'to-back-up');
    const created = await ok(vault, ['init']);
    vaultIds.push(String(created['vaultId']));
    const backup = join(root, 'small.backup');
    await ok(vault, ['backup', '--out', backup]);
    const notEmpty = await failed(vault, ['restore', '--from', backup]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.error).toMatchObject({ code: 'DIRECTORY_NOT_EMPTY' });
    const missing = await failed(join(root, 'never'), [
      'restore',
      '--from',
      join(root, 'nope.backup'),
    ]);
    expect(missing.error).toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
