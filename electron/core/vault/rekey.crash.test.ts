import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { FAULT_INJECT_ENV, type FaultPoint } from './fault-injection.js';
import { KEYCHAIN_SERVICE, KeychainKeyStore } from './keychain.key-store.js';
import { openEncryptedDatabase } from './sqlcipher.js';
import {
  requireSecretService,
  runChild,
  secretToolLookup,
} from './test-fixtures/keychain-test-support.js';
import { recoverVault } from './recover.service.js';
import { createVault, openVault } from './vault.js';
import { readVaultManifest, vaultDbPath } from './vault-files.js';
import { vaultKeyId } from './vault-key-wrap.js';

/**
 * Proof: rotating the key cannot lock the user out. A separate Node process opens a vault
 * keyed from the real OS keychain and rotates its key, SIGKILLing itself between the steps
 * (COFFER_FAULT_INJECT); afterwards this process opens the vault and reads every row, and,
 * with the keychain entries deleted, the Recovery Key alone opens a copy of the vault as the
 * crash left it.
 * Run under: bash build/scripts/with-keyring.sh npx vitest run electron/core/vault
 * @module-tag secret-service
 */
const store = new KeychainKeyStore();
const vaultIds: string[] = [];
const dirs: string[] = [];
const ROWS = 2_000;

beforeAll(async () => {
  await requireSecretService();
});
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop() as string, { recursive: true, force: true });
});
afterAll(async () => {
  for (const id of vaultIds) {
    await store.delete(id, 'current').catch(() => false);
    await store.delete(id, 'next').catch(() => false);
  }
});

async function vaultWithData(): Promise<{
  dir: string;
  vaultId: string;
  oldKey: Buffer;
  recoveryKey: string;
}> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-rekey-crash-'));
  dirs.push(root);
  const dir = path.join(root, 'vault');
  const vault = await createVault({ dir, keyStore: store });
  vaultIds.push(vault.vaultId);
  vault.db.exec('CREATE TABLE crash_probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = vault.db.prepare('INSERT INTO crash_probe (body) VALUES (?)');
  vault.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(`row ${i} ${'y'.repeat(100)}`);
  });
  const oldKey = (await store.get(vault.vaultId)) as Buffer;
  vault.close();
  return { dir, vaultId: vault.vaultId, oldKey, recoveryKey: vault.recoveryKey };
}

/** A copy of the vault directory exactly as the crash left it. */
function copyOfCrashState(dir: string): string {
  const copy = `${dir}-as-crashed`;
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

/**
 * The keychain is lost right after the crash (a new machine): the Recovery Key alone must
 * open the vault as the crash left it, whatever step was interrupted.
 */
async function expectRecoveryKeyOpens(crashed: string, vaultId: string, recoveryKey: string) {
  await store.delete(vaultId, 'current');
  await store.delete(vaultId, 'next');
  expect(keychainEntries(vaultId)).toEqual({ current: null, next: null });
  const result = await recoverVault({ dir: crashed, keyStore: store, recoveryKey });
  expect(result).toEqual({ vaultId, outcome: 'stored' });
  await expectRecoveredVault(crashed, vaultId);
  expect(readVaultManifest(crashed).recovery?.wrappedKeys).toHaveLength(1);
}

function wrapCount(dir: string): number | undefined {
  return readVaultManifest(dir).recovery?.wrappedKeys.length;
}

function keyOpens(dir: string, key: Buffer | null): boolean {
  if (key === null) return false;
  try {
    openEncryptedDatabase(vaultDbPath(dir), key).close();
    return true;
  } catch (error) {
    if (isCofferError(error) && error.code === 'VAULT_KEY_INVALID') return false;
    throw error;
  }
}

/** The keychain entries as another program sees them. */
function keychainEntries(vaultId: string): { current: Buffer | null; next: Buffer | null } {
  const read = (account: string) => {
    const hex = secretToolLookup(KEYCHAIN_SERVICE, account);
    return hex === null ? null : Buffer.from(hex, 'hex');
  };
  return { current: read(`vault:${vaultId}`), next: read(`vault:${vaultId}:next`) };
}

async function expectRecoveredVault(dir: string, vaultId: string): Promise<Buffer> {
  const vault = await openVault({ dir, keyStore: store });
  try {
    expect(vault.db.prepare('SELECT count(*) FROM crash_probe').pluck().get()).toBe(ROWS);
    expect(vault.db.prepare('SELECT body FROM crash_probe WHERE id = ?').pluck().get(ROWS)).toMatch(
      /^row 1999 /,
    );
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(vault.db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    vault.close();
  }
  const after = keychainEntries(vaultId);
  expect(after.next).toBeNull(); // recovery leaves one key, the one that works
  expect(keyOpens(dir, after.current)).toBe(true);
  return after.current as Buffer;
}

function crashAt(point: FaultPoint, dir: string): void {
  const result = runChild(['rekey', dir], { [FAULT_INJECT_ENV]: point });
  expect({ signal: result.signal, output: result.output, stderr: result.stderr }).toMatchObject({
    signal: 'SIGKILL',
    output: null,
  });
}

describe('rekey survives SIGKILL between its steps (real keychain, child process)', () => {
  it('completes normally in a child process: data readable, old key refused, keychain holds the new key', async () => {
    const { dir, vaultId, oldKey, recoveryKey } = await vaultWithData();
    const result = runChild(['rekey', dir]);
    expect(result.output).toMatchObject({ ok: true, vaultId });
    expect(wrapCount(dir)).toBe(1);
    const entries = keychainEntries(vaultId);
    expect(entries.next).toBeNull();
    expect(entries.current?.equals(oldKey)).toBe(false);
    expect(keyOpens(dir, oldKey)).toBe(false);
    expect(keyOpens(dir, entries.current)).toBe(true);
    await expectRecoveredVault(dir, vaultId);
    await expectRecoveryKeyOpens(dir, vaultId, recoveryKey);
  });

  it('killed after saving the pending key: the old key still opens it and the pending key is dropped', async () => {
    const { dir, vaultId, oldKey, recoveryKey } = await vaultWithData();
    crashAt('rekey:after-pending', dir);
    const crashed = copyOfCrashState(dir);
    const entries = keychainEntries(vaultId);
    expect(entries.current?.equals(oldKey)).toBe(true);
    expect(entries.next).not.toBeNull();
    expect(keyOpens(dir, oldKey)).toBe(true);
    expect(keyOpens(dir, entries.next)).toBe(false);
    expect(wrapCount(dir)).toBe(1);

    const current = await expectRecoveredVault(dir, vaultId);
    expect(current.equals(oldKey)).toBe(true);
    await expectRecoveryKeyOpens(crashed, vaultId, recoveryKey);
  });

  it('killed after wrapping the new key into vault.json, before PRAGMA rekey: the old key opens it; vault.json is settled', async () => {
    const { dir, vaultId, oldKey, recoveryKey } = await vaultWithData();
    crashAt('rekey:after-wrap', dir);
    const crashed = copyOfCrashState(dir);
    expect(keyOpens(dir, oldKey)).toBe(true);
    expect(wrapCount(dir)).toBe(2);

    const current = await expectRecoveredVault(dir, vaultId);
    expect(current.equals(oldKey)).toBe(true);
    expect(readVaultManifest(dir).recovery?.wrappedKeys.map((w) => w.keyId)).toEqual([
      vaultKeyId(oldKey),
    ]);
    await expectRecoveryKeyOpens(crashed, vaultId, recoveryKey);
  });

  it('killed after PRAGMA rekey, before the keychain was updated: the pending key opens it and is promoted', async () => {
    const { dir, vaultId, oldKey, recoveryKey } = await vaultWithData();
    crashAt('rekey:after-rekey', dir);
    const crashed = copyOfCrashState(dir);
    const entries = keychainEntries(vaultId);
    expect(entries.current?.equals(oldKey)).toBe(true); // the keychain still names the old key…
    expect(keyOpens(dir, oldKey)).toBe(false); // …which no longer opens the file
    expect(keyOpens(dir, entries.next)).toBe(true);
    expect(wrapCount(dir)).toBe(2);

    const current = await expectRecoveredVault(dir, vaultId);
    expect(current.equals(entries.next as Buffer)).toBe(true);
    expect(readVaultManifest(dir).recovery?.wrappedKeys.map((w) => w.keyId)).toEqual([
      vaultKeyId(current),
    ]);
    await expectRecoveryKeyOpens(crashed, vaultId, recoveryKey);
  });

  it('killed after promoting the new key, before deleting the pending entry: opens and tidies up', async () => {
    const { dir, vaultId, oldKey, recoveryKey } = await vaultWithData();
    crashAt('rekey:after-promote', dir);
    const crashed = copyOfCrashState(dir);
    const entries = keychainEntries(vaultId);
    expect(entries.current?.equals(oldKey)).toBe(false);
    expect(entries.next?.equals(entries.current as Buffer)).toBe(true);
    expect(keyOpens(dir, oldKey)).toBe(false);
    expect(wrapCount(dir)).toBe(2);

    const current = await expectRecoveredVault(dir, vaultId);
    expect(current.equals(entries.current as Buffer)).toBe(true);
    await expectRecoveryKeyOpens(crashed, vaultId, recoveryKey);
  });

  it('a vault recovered from a crash can be rekeyed again', async () => {
    const { dir, vaultId } = await vaultWithData();
    crashAt('rekey:after-rekey', dir);
    const result = runChild(['rekey', dir]);
    expect(result.output).toMatchObject({ ok: true, vaultId });
    await expectRecoveredVault(dir, vaultId);
  });
});
