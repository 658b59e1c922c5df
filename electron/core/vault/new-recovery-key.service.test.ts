import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { backupVault } from './backup.service.js';
import { KeyFileKeyStore } from './key-file.key-store.js';
import type { KeyStore } from './key-store.js';
import { MemoryKeyStore } from './memory.key-store.js';
import { newRecoveryKey, type ShownRecoveryKey } from './new-recovery-key.service.js';
import { recoverVault } from './recover.service.js';
import { formatRecoveryKey, generateRecoverySecret, parseRecoveryKey } from './recovery-key.js';
import { readRecoveryState } from './recovery-state.js';
import { rekeyVault } from './rekey.service.js';
import { restoreBackup } from './restore.service.js';
import { createFormat1Vault } from './test-fixtures/format-1-vault.js';
import { holdVault } from './test-fixtures/vault-holder.js';
import { createVault, openVault, type Vault } from './vault.js';
import { readVaultManifest, vaultManifestPath, writeVaultManifest } from './vault-files.js';
import { recoveryKeyPair, vaultKeyId, wrapVaultKey } from './vault-key-wrap.js';
import { getMeta } from './vault-meta.js';
import { recoveryKeyStatus, unwrapWithRecoveryKey } from './vault-recovery.js';

/**
 * Proof: `recovery-key new` gives a vault made before Recovery Keys its first, and replaces
 * a lost one; from then on only the new key opens the live vault, while backups keep theirs.
 * Real vault files; the crash steps are proven in new-recovery-key.crash.test.ts.
 */
const roots: string[] = [];
const open: Vault[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.close();
  while (roots.length > 0) fs.rmSync(roots.pop() as string, { recursive: true, force: true });
});

function scratch(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-new-recovery-key-'));
  roots.push(root);
  return root;
}

async function opened(dir: string, keyStore: KeyStore): Promise<Vault> {
  const vault = await openVault({ dir, keyStore });
  open.push(vault);
  return vault;
}

/** A format 1 vault holding a note, and the key store that opens it. */
async function format1Vault(): Promise<{ dir: string; keyStore: MemoryKeyStore }> {
  const dir = path.join(scratch(), 'vault');
  const keyStore = new MemoryKeyStore();
  await createFormat1Vault({ dir, keyStore });
  const vault = await openVault({ dir, keyStore });
  vault.db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('before')");
  vault.close();
  return { dir, keyStore };
}

/** A vault made today (with the Recovery Key init showed) holding a note. */
async function format2Vault(): Promise<{ dir: string; keyStore: MemoryKeyStore; initKey: string }> {
  const dir = path.join(scratch(), 'vault');
  const keyStore = new MemoryKeyStore();
  const vault = await createVault({ dir, keyStore });
  vault.db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('before')");
  vault.close();
  return { dir, keyStore, initKey: vault.recoveryKey };
}

/** Runs newRecoveryKey on the vault in `dir` and returns what it showed. */
async function replace(dir: string, keyStore: KeyStore): Promise<ShownRecoveryKey> {
  const vault = await opened(dir, keyStore);
  const shown: ShownRecoveryKey[] = [];
  const result = await newRecoveryKey(vault, keyStore, (key) => void shown.push(key));
  expect(shown).toHaveLength(1);
  expect(result).toEqual({ vaultId: shown[0]?.vaultId, replaced: shown[0]?.replaced });
  vault.close();
  return shown[0] as ShownRecoveryKey;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

/** The vault keys a Recovery Key unwraps from vault.json now, by id; [] when it opens none. */
function keyIdsOpenedBy(dir: string, recoveryKey: string): string[] {
  try {
    return unwrapWithRecoveryKey(readVaultManifest(dir), parseRecoveryKey(recoveryKey)).map((key) =>
      vaultKeyId(key),
    );
  } catch (error) {
    if (isCofferError(error) && error.code === 'RECOVERY_KEY_INVALID') return [];
    throw error;
  }
}

async function notes(dir: string, keyStore: KeyStore): Promise<string[]> {
  const vault = await openVault({ dir, keyStore });
  try {
    return vault.db.prepare('SELECT body FROM notes').pluck().all() as string[];
  } finally {
    vault.close();
  }
}

/** A key store as on a new machine, filled only by `recover` with this Recovery Key. */
async function recoveredNotes(dir: string, recoveryKey: string): Promise<string[]> {
  const newMachine = new MemoryKeyStore();
  expect((await recoverVault({ dir, keyStore: newMachine, recoveryKey })).outcome).toBe('stored');
  return notes(dir, newMachine);
}

describe('newRecoveryKey', () => {
  it('gives a vault made before Recovery Keys its first: vault.json becomes format 2 and the key opens it without the key store', async () => {
    const { dir, keyStore } = await format1Vault();
    const before = fs.readFileSync(vaultManifestPath(dir), 'utf8');
    const vault = await opened(dir, keyStore);
    // Opening a format 1 vault works as before and does not change its vault.json.
    expect(fs.readFileSync(vaultManifestPath(dir), 'utf8')).toBe(before);
    expect(recoveryKeyStatus(dir, vault.db)).toBe('none');
    vault.close();
    const anyKey = formatRecoveryKey(generateRecoverySecret());
    expect(
      await codeOf(recoverVault({ dir, keyStore: new MemoryKeyStore(), recoveryKey: anyKey })),
    ).toBe('RECOVERY_NOT_SET_UP');

    const shown = await replace(dir, keyStore);
    expect(shown.replaced).toBe(false);
    const manifest = readVaultManifest(dir);
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.retiringRecovery).toBeUndefined();
    const publicKey = recoveryKeyPair(
      parseRecoveryKey(shown.recoveryKey),
      manifest.vaultId,
    ).publicKey.toString('base64url');
    expect(manifest.recovery?.publicKey).toBe(publicKey);
    const after = await opened(dir, keyStore);
    expect(readRecoveryState(after.db)).toEqual({
      current: publicKey,
      pending: null,
      retiring: null,
    });
    expect(recoveryKeyStatus(dir, after.db)).toBe('set-up');
    after.close();

    expect(await recoveredNotes(dir, shown.recoveryKey)).toEqual(['before']);
  });

  it('replaces a Recovery Key: the old one no longer opens the live vault, a backup from before still opens with it', async () => {
    const { dir, keyStore, initKey } = await format2Vault();
    const backup = path.join(path.dirname(dir), 'before.backup');
    backupVault(await opened(dir, keyStore), backup);
    open.pop()?.close();

    const shown = await replace(dir, keyStore);
    expect(shown.replaced).toBe(true);
    expect(shown.recoveryKey).not.toBe(initKey);
    const liveManifest = fs.readFileSync(vaultManifestPath(dir), 'utf8');
    expect(
      await codeOf(recoverVault({ dir, keyStore: new MemoryKeyStore(), recoveryKey: initKey })),
    ).toBe('RECOVERY_KEY_INVALID');
    expect(fs.readFileSync(vaultManifestPath(dir), 'utf8')).toBe(liveManifest);
    expect(await recoveredNotes(dir, shown.recoveryKey)).toEqual(['before']);

    const restored = path.join(path.dirname(dir), 'restored');
    restoreBackup(backup, restored);
    expect(
      await codeOf(
        recoverVault({
          dir: restored,
          keyStore: new MemoryKeyStore(),
          recoveryKey: shown.recoveryKey,
        }),
      ),
    ).toBe('RECOVERY_KEY_INVALID');
    expect(await recoveredNotes(restored, initKey)).toEqual(['before']);
  });

  it('shows the key once, when it is in force: vault.json and the database both name it', async () => {
    const { dir, keyStore } = await format2Vault();
    const vault = await opened(dir, keyStore);
    const vaultKey = (await keyStore.get(vault.vaultId)) as Buffer;
    const seen: string[] = [];
    await newRecoveryKey(vault, keyStore, ({ recoveryKey }) => {
      seen.push(recoveryKey);
      const publicKey = recoveryKeyPair(
        parseRecoveryKey(recoveryKey),
        vault.vaultId,
      ).publicKey.toString('base64url');
      expect(getMeta(vault.db, 'recovery_public_key')).toBe(publicKey);
      expect(readVaultManifest(dir).recovery?.publicKey).toBe(publicKey);
      expect(keyIdsOpenedBy(dir, recoveryKey)).toEqual([vaultKeyId(vaultKey)]);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('keeps the older key when the new one could not be shown; status says so, rotations wrap both, and a new run retires both', async () => {
    const { dir, keyStore, initKey } = await format2Vault();
    const vault = await opened(dir, keyStore);
    let unseen = '';
    const failure = await newRecoveryKey(vault, keyStore, ({ recoveryKey }) => {
      unseen = recoveryKey;
      throw new Error('the terminal went away');
    }).catch((error: unknown) => error);
    expect(String(failure)).toContain('the terminal went away');
    vault.close();

    const reopened = await opened(dir, keyStore);
    expect(recoveryKeyStatus(dir, reopened.db)).toBe('unfinished');
    await rekeyVault(reopened, keyStore);
    const rotatedKey = vaultKeyId((await keyStore.get(reopened.vaultId)) as Buffer);
    reopened.close();
    expect(keyIdsOpenedBy(dir, initKey)).toEqual([rotatedKey]);
    expect(keyIdsOpenedBy(dir, unseen)).toEqual([rotatedKey]);

    const shown = await replace(dir, keyStore);
    expect(keyIdsOpenedBy(dir, initKey)).toEqual([]);
    expect(keyIdsOpenedBy(dir, unseen)).toEqual([]);
    expect(keyIdsOpenedBy(dir, shown.recoveryKey)).toEqual([rotatedKey]);
    const after = await opened(dir, keyStore);
    expect(recoveryKeyStatus(dir, after.db)).toBe('set-up');
    expect(readRecoveryState(after.db).retiring).toBeNull();
  });

  it('leaves a rotation afterwards wrapping the new vault key to the new Recovery Key only', async () => {
    const { dir, keyStore, initKey } = await format2Vault();
    const shown = await replace(dir, keyStore);
    await rekeyVault(dir, keyStore);
    const vaultId = readVaultManifest(dir).vaultId;
    const rotated = vaultKeyId((await keyStore.get(vaultId)) as Buffer);
    expect(readVaultManifest(dir).recovery?.wrappedKeys.map((w) => w.keyId)).toEqual([rotated]);
    expect(keyIdsOpenedBy(dir, shown.recoveryKey)).toEqual([rotated]);
    expect(keyIdsOpenedBy(dir, initKey)).toEqual([]);
  });

  it('refuses an altered vault.json (VAULT_CORRUPT), showing nothing and changing nothing', async () => {
    const { dir, keyStore } = await format2Vault();
    const vault = await opened(dir, keyStore);
    const attacker = recoveryKeyPair(generateRecoverySecret(), vault.vaultId);
    const manifest = readVaultManifest(dir);
    const decoy = Buffer.alloc(32, 7);
    writeVaultManifest(dir, {
      ...manifest,
      recovery: {
        ...manifest.recovery!,
        publicKey: attacker.publicKey.toString('base64url'),
        wrappedKeys: [wrapVaultKey(decoy, attacker.publicKey, vault.vaultId, 1)],
      },
    });
    const tampered = fs.readFileSync(vaultManifestPath(dir), 'utf8');
    const stateBefore = readRecoveryState(vault.db);
    let shows = 0;
    expect(await codeOf(newRecoveryKey(vault, keyStore, () => void shows++))).toBe('VAULT_CORRUPT');
    expect(shows).toBe(0);
    expect(fs.readFileSync(vaultManifestPath(dir), 'utf8')).toBe(tampered);
    expect(readRecoveryState(vault.db)).toEqual(stateBefore);
    expect(recoveryKeyStatus(dir, vault.db)).toBe('mismatch');
  });

  it('refuses while another process has the vault open (VAULT_LOCKED), changing nothing', async () => {
    const root = scratch();
    const keyFile = path.join(root, 'coffer.key');
    const keyStore = new KeyFileKeyStore(keyFile);
    const created = await createVault({ dir: path.join(root, 'vault'), keyStore });
    open.push(created);
    const before = fs.readFileSync(vaultManifestPath(created.dir), 'utf8');
    const holder = await holdVault('open', created.dir, keyFile);
    let shows = 0;
    try {
      expect(await codeOf(newRecoveryKey(created, keyStore, () => void shows++))).toBe(
        'VAULT_LOCKED',
      );
    } finally {
      await holder.release();
    }
    expect(shows).toBe(0);
    expect(fs.readFileSync(vaultManifestPath(created.dir), 'utf8')).toBe(before);
    expect(readRecoveryState(created.db).pending).toBeNull();
    expect(keyIdsOpenedBy(created.dir, created.recoveryKey)).toHaveLength(1);
  });
});
