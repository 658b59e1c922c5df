import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { FAULT_INJECT_ENV, type FaultPoint } from './fault-injection.js';
import { KeychainKeyStore } from './keychain.key-store.js';
import { newRecoveryKey } from './new-recovery-key.service.js';
import { recoverVault } from './recover.service.js';
import { generateRecoverySecret, parseRecoveryKey } from './recovery-key.js';
import { rekeyVault } from './rekey.service.js';
import { createFormat1Vault } from './test-fixtures/format-1-vault.js';
import { requireSecretService, runChild } from './test-fixtures/keychain-test-support.js';
import { createVault, openVault } from './vault.js';
import {
  readVaultManifest,
  vaultManifestPath,
  writeVaultManifest,
  type VaultManifest,
} from './vault-files.js';
import { recoveryKeyPair, vaultKeyId, wrapVaultKey } from './vault-key-wrap.js';
import { recoveryKeyStatus, unwrapWithRecoveryKey } from './vault-recovery.js';

/**
 * Proof: giving a vault a new Recovery Key cannot lock the user out, nor leave the vault key
 * wrapped only to a key nobody saw. A separate Node process opens a vault keyed from the real
 * OS keychain and runs newRecoveryKey, SIGKILLing itself after one of its steps
 * (COFFER_FAULT_INJECT); afterwards the vault opens from the keychain, and, on a copy of the
 * vault as the crash left it with the keychain entry deleted, the Recovery Key last shown
 * (by init, or by the killed process) opens it alone. A vault.json altered in that state is
 * still refused. Both a vault made today and one made before Recovery Keys (format 1).
 * Run under: bash build/scripts/with-keyring.sh npx vitest run electron/core/vault
 * @module-tag secret-service
 */
const store = new KeychainKeyStore();
const vaultIds: string[] = [];
const dirs: string[] = [];
const ROWS = 50;

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

interface MadeVault {
  dir: string;
  vaultId: string;
  vaultKey: Buffer;
  /** The Recovery Key init showed; null for a vault made before Recovery Keys. */
  initKey: string | null;
}

async function vaultWithData(format: 1 | 2): Promise<MadeVault> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-recovery-key-crash-'));
  dirs.push(root);
  const dir = path.join(root, 'vault');
  let initKey: string | null = null;
  if (format === 2) {
    const created = await createVault({ dir, keyStore: store });
    initKey = created.recoveryKey;
    created.close();
  } else {
    await createFormat1Vault({ dir, keyStore: store });
  }
  const vault = await openVault({ dir, keyStore: store });
  vaultIds.push(vault.vaultId);
  vault.db.exec('CREATE TABLE crash_probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = vault.db.prepare('INSERT INTO crash_probe (body) VALUES (?)');
  vault.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(`row ${i}`);
  });
  const vaultKey = (await store.get(vault.vaultId)) as Buffer;
  vault.close();
  return { dir, vaultId: vault.vaultId, vaultKey, initKey };
}

/** Kills the child at `point`; the Recovery Key it had shown by then, if any. */
function crashAt(point: FaultPoint, dir: string): string | null {
  const result = runChild(['recovery-key-new', dir], { [FAULT_INJECT_ENV]: point });
  expect({ signal: result.signal, stderr: result.stderr }).toMatchObject({ signal: 'SIGKILL' });
  const shown = result.output?.['shown'];
  return typeof shown === 'string' ? shown : null;
}

function copyOf(dir: string, name: string): string {
  const copy = `${dir}-${name}`;
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

/** The vault keys (by id) a Recovery Key unwraps from vault.json; [] when it opens none. */
function keyIdsOpenedBy(dir: string, recoveryKey: string): string[] {
  try {
    const keys = unwrapWithRecoveryKey(readVaultManifest(dir), parseRecoveryKey(recoveryKey));
    return keys.map((key) => vaultKeyId(key));
  } catch (error) {
    if (isCofferError(error) && error.code === 'RECOVERY_KEY_INVALID') return [];
    throw error;
  }
}

function publicKeyOf(recoveryKey: string, vaultId: string): string {
  return recoveryKeyPair(parseRecoveryKey(recoveryKey), vaultId).publicKey.toString('base64url');
}

/** Every public key vault.json wraps the vault key to. */
function wrappedTo(dir: string): string[] {
  const manifest = readVaultManifest(dir);
  return [manifest.recovery, ...(manifest.retiringRecovery ?? [])]
    .filter((section) => section !== undefined)
    .map((section) => section.publicKey);
}

async function expectOpensFromKeychain(dir: string): Promise<string> {
  const vault = await openVault({ dir, keyStore: store });
  try {
    expect(vault.db.prepare('SELECT count(*) FROM crash_probe').pluck().get()).toBe(ROWS);
    expect(vault.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    return recoveryKeyStatus(dir, vault.db);
  } finally {
    vault.close();
  }
}

/** The keychain is lost right after the crash: the Recovery Key alone opens the copy. */
async function expectOpensWithoutKeychain(crashed: string, vaultId: string, recoveryKey: string) {
  await store.delete(vaultId, 'current');
  await store.delete(vaultId, 'next');
  expect(await store.get(vaultId)).toBeNull();
  expect(await recoverVault({ dir: crashed, keyStore: store, recoveryKey })).toEqual({
    vaultId,
    outcome: 'stored',
  });
  await expectOpensFromKeychain(crashed);
}

/**
 * vault.json as an attacker would leave it, their own public key in force or kept as an
 * older key, and what Coffer does with it: opens the vault without touching it, and refuses
 * both a rotation and a new Recovery Key rather than wrap the vault key to it.
 */
async function expectAlteredManifestRefused(edited: string, made: MadeVault) {
  const attacker = recoveryKeyPair(generateRecoverySecret(), made.vaultId);
  const section = {
    scheme: 'x25519-hkdf-sha256-aes-256-gcm' as const,
    publicKey: attacker.publicKey.toString('base64url'),
    wrappedKeys: [wrapVaultKey(Buffer.alloc(32, 9), attacker.publicKey, made.vaultId, 1)],
  };
  const original = readVaultManifest(edited);
  const alterations: VaultManifest[] = [
    { ...original, formatVersion: 2, recovery: section },
    ...(original.recovery === undefined
      ? []
      : [{ ...original, retiringRecovery: [...(original.retiringRecovery ?? []), section] }]),
  ];
  for (const altered of alterations) {
    writeVaultManifest(edited, altered);
    const tampered = fs.readFileSync(vaultManifestPath(edited), 'utf8');
    const vault = await openVault({ dir: edited, keyStore: store });
    try {
      expect(fs.readFileSync(vaultManifestPath(edited), 'utf8')).toBe(tampered);
      expect(recoveryKeyStatus(edited, vault.db)).toBe('mismatch');
      const rotation = await rekeyVault(vault, store).catch((error: unknown) => error);
      expect(isCofferError(rotation) && rotation.code).toBe('VAULT_CORRUPT');
      let shows = 0;
      const replacement = await newRecoveryKey(vault, store, () => void shows++).catch(
        (error: unknown) => error,
      );
      expect(isCofferError(replacement) && replacement.code).toBe('VAULT_CORRUPT');
      expect(shows).toBe(0);
    } finally {
      vault.close();
    }
    expect(fs.readFileSync(vaultManifestPath(edited), 'utf8')).toBe(tampered);
    expect((await store.get(made.vaultId))?.equals(made.vaultKey)).toBe(true);
    expect(await store.get(made.vaultId, 'next')).toBeNull();
  }
}

/** What each crash leaves once the vault has been opened again. */
const CASES: { point: FaultPoint; shown: boolean; after: 'undone' | 'unfinished' | 'done' }[] = [
  { point: 'recovery-key:after-pending', shown: false, after: 'undone' },
  { point: 'recovery-key:after-manifest', shown: false, after: 'undone' },
  { point: 'recovery-key:after-promote', shown: false, after: 'unfinished' },
  { point: 'recovery-key:after-show', shown: true, after: 'unfinished' },
  { point: 'recovery-key:after-retire', shown: true, after: 'done' },
];

describe(
  'a new Recovery Key survives SIGKILL after each step (real keychain, child process)',
  { timeout: 120_000 },
  () => {
    for (const format of [2, 1] as const) {
      for (const { point, shown: showsKey, after } of CASES) {
        it(`format ${format} vault, killed at ${point}: opens from the keychain, and with the key last shown without it`, async () => {
          const made = await vaultWithData(format);
          const { dir, vaultId, vaultKey, initKey } = made;
          const shown = crashAt(point, dir);
          expect(shown !== null).toBe(showsKey);
          const crashed = copyOf(dir, 'as-crashed');
          const edited = copyOf(dir, 'edited');
          const lastShown = shown ?? initKey;

          const status = await expectOpensFromKeychain(dir);
          const opens = [vaultKeyId(vaultKey)];
          if (after === 'undone') {
            // The new key was never shown: it is gone, and only init's key (if any) is wrapped.
            expect(status).toBe(format === 2 ? 'set-up' : 'none');
            expect(readVaultManifest(dir).formatVersion).toBe(format);
            expect(wrappedTo(dir)).toEqual(initKey === null ? [] : [publicKeyOf(initKey, vaultId)]);
          } else if (after === 'unfinished') {
            expect(status).toBe('unfinished');
            if (initKey !== null) expect(keyIdsOpenedBy(dir, initKey)).toEqual(opens);
          } else {
            expect(status).toBe('set-up');
            expect(wrappedTo(dir)).toEqual([publicKeyOf(shown as string, vaultId)]);
            if (initKey !== null) expect(keyIdsOpenedBy(dir, initKey)).toEqual([]);
          }
          if (shown !== null) expect(keyIdsOpenedBy(dir, shown)).toEqual(opens);

          if (lastShown !== null) await expectOpensWithoutKeychain(crashed, vaultId, lastShown);
          await expectAlteredManifestRefused(edited, made);
        });
      }
    }
  },
);
