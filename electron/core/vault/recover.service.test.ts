import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { KeyFileKeyStore } from './key-file.key-store.js';
import type { KeySlot, KeyStore } from './key-store.js';
import { MemoryKeyStore } from './memory.key-store.js';
import { recoverVault } from './recover.service.js';
import { parseRecoveryKey } from './recovery-key.js';
import { rekeyVault } from './rekey.service.js';
import { openVault } from './vault.js';
import {
  readVaultManifest,
  vaultDbPath,
  vaultManifestPath,
  writeVaultManifest,
} from './vault-files.js';
import { recoveryKeyPair, unwrapVaultKey, vaultKeyId } from './vault-key-wrap.js';

const temps: TempVault[] = [];
afterEach(() => {
  while (temps.length > 0) temps.pop()?.cleanup();
});

/** A vault holding a note, closed; its key store and Recovery Key. */
async function closedVault(): Promise<TempVault & { recoveryKey: string }> {
  const temp = await createTempVault();
  temps.push(temp);
  temp.vault.db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('before')");
  temp.vault.close();
  return { ...temp, recoveryKey: temp.recoveryKey };
}

async function notes(dir: string, keyStore: KeyStore): Promise<string[]> {
  const vault = await openVault({ dir, keyStore });
  try {
    return vault.db.prepare('SELECT body FROM notes').pluck().all() as string[];
  } finally {
    vault.close();
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

/** What the vault directory holds, byte for byte, to prove nothing changed. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    out[name] = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, name)))
      .digest('hex');
  }
  return out;
}

/**
 * The key with a check character replaced: provably a typo (the secret and so its check
 * are unchanged), where a change in the secret part would pass the check one time in 2^20.
 */
function typo(recoveryKey: string): string {
  return recoveryKey.slice(0, -1) + (recoveryKey.endsWith('7') ? '8' : '7');
}

describe('recoverVault', () => {
  it('puts the key back into an empty key store; the vault opens again with its data', async () => {
    const { dir, recoveryKey, vault } = await closedVault();
    const newMachine = new MemoryKeyStore();
    expect(await codeOf(openVault({ dir, keyStore: newMachine }))).toBe('KEY_NOT_FOUND');
    expect(await recoverVault({ dir, keyStore: newMachine, recoveryKey })).toEqual({
      vaultId: vault.vaultId,
      outcome: 'stored',
    });
    expect(await notes(dir, newMachine)).toEqual(['before']);
  });

  it('accepts the key typed in lower case with spaces', async () => {
    const { dir, recoveryKey } = await closedVault();
    const typed = ` ${recoveryKey.toLowerCase().replace(/-/g, ' ')}\n`;
    const store = new MemoryKeyStore();
    expect((await recoverVault({ dir, keyStore: store, recoveryKey: typed })).outcome).toBe(
      'stored',
    );
  });

  it('says so when the key store already opens the vault, changing nothing', async () => {
    const { dir, recoveryKey, keyStore } = await closedVault();
    const before = fingerprint(dir);
    expect((await recoverVault({ dir, keyStore, recoveryKey })).outcome).toBe('already-stored');
    expect(fingerprint(dir)).toEqual(before);
  });

  it('refuses another vault’s Recovery Key (RECOVERY_KEY_INVALID) and a typo (RECOVERY_KEY_MALFORMED), changing nothing', async () => {
    const { dir, recoveryKey } = await closedVault();
    const other = await closedVault();
    const store = new MemoryKeyStore();
    const before = fingerprint(dir);
    expect(
      await codeOf(recoverVault({ dir, keyStore: store, recoveryKey: other.recoveryKey })),
    ).toBe('RECOVERY_KEY_INVALID');
    expect(
      await codeOf(recoverVault({ dir, keyStore: store, recoveryKey: typo(recoveryKey) })),
    ).toBe('RECOVERY_KEY_MALFORMED');
    expect(await codeOf(recoverVault({ dir, keyStore: store, recoveryKey: '' }))).toBe(
      'RECOVERY_KEY_MALFORMED',
    );
    expect(fingerprint(dir)).toEqual(before);
    expect(await codeOf(openVault({ dir, keyStore: store }))).toBe('KEY_NOT_FOUND');
  });

  it('never quotes the Recovery Key in an error', async () => {
    const { dir, recoveryKey } = await closedVault();
    const other = await closedVault();
    for (const typed of [other.recoveryKey, typo(recoveryKey)]) {
      const error = await recoverVault({
        dir,
        keyStore: new MemoryKeyStore(),
        recoveryKey: typed,
      }).catch((e: unknown) => e);
      const text = JSON.stringify(error) + String((error as Error).message);
      // Any three groups, with or without dashes, are longer than anything a message says.
      const compact = typed.replace(/-/g, '');
      for (let i = 0; i + 12 <= compact.length; i += 4) {
        expect(text).not.toContain(compact.slice(i, i + 12));
        expect(text).not.toContain(typed.slice((i / 4) * 5, (i / 4) * 5 + 14));
      }
    }
  });

  it('follows rotations: vault.json holds one wrap, of the current key, which the Recovery Key opens', async () => {
    const { dir, recoveryKey, keyStore, vault } = await closedVault();
    await rekeyVault(dir, keyStore);
    await rekeyVault(dir, keyStore);
    const current = (await keyStore.get(vault.vaultId)) as Buffer;
    const { recovery } = readVaultManifest(dir);
    expect(recovery?.wrappedKeys.map((w) => [w.generation, w.keyId])).toEqual([
      [3, vaultKeyId(current)],
    ]);
    const pair = recoveryKeyPair(parseRecoveryKey(recoveryKey), vault.vaultId);
    const unwrapped = unwrapVaultKey(recovery!.wrappedKeys[0]!, pair, vault.vaultId);
    expect(unwrapped?.equals(current)).toBe(true);

    const store = new MemoryKeyStore();
    expect((await recoverVault({ dir, keyStore: store, recoveryKey })).outcome).toBe('stored');
    expect(await notes(dir, store)).toEqual(['before']);
  });

  it('recovers a vault whose rotation stopped after the rekey, before the key store was updated', async () => {
    const { dir, recoveryKey, keyStore, vault } = await closedVault();
    const failing = failingOn(keyStore, 'set:current');
    await expect(rekeyVault(dir, failing)).rejects.toThrow();
    expect(readVaultManifest(dir).recovery?.wrappedKeys).toHaveLength(2); // still in doubt
    const store = new MemoryKeyStore();
    expect((await recoverVault({ dir, keyStore: store, recoveryKey })).outcome).toBe('stored');
    const recovered = (await store.get(vault.vaultId)) as Buffer;
    expect(recovered.equals((await keyStore.get(vault.vaultId, 'next')) as Buffer)).toBe(true);
    expect(await notes(dir, store)).toEqual(['before']);
    expect(readVaultManifest(dir).recovery?.wrappedKeys.map((w) => w.keyId)).toEqual([
      vaultKeyId(recovered),
    ]);
  });

  it('re-encrypts under the key store’s own key rather than replace it', async () => {
    const { dir, recoveryKey, keyStore, vault } = await closedVault();
    const otherKey = Buffer.alloc(32, 0x5c);
    const store = new MemoryKeyStore();
    await store.set(vault.vaultId, otherKey);
    const own = (await keyStore.get(vault.vaultId)) as Buffer;
    expect(own.equals(otherKey)).toBe(false);
    expect((await recoverVault({ dir, keyStore: store, recoveryKey })).outcome).toBe(
      're-encrypted',
    );
    expect(((await store.get(vault.vaultId)) as Buffer).equals(otherKey)).toBe(true);
    expect(await notes(dir, store)).toEqual(['before']);
    expect(await codeOf(openVault({ dir, keyStore }))).toBe('VAULT_KEY_INVALID');
    // The Recovery Key still opens it: vault.json follows the new key.
    expect((await recoverVault({ dir, keyStore: new MemoryKeyStore(), recoveryKey })).outcome).toBe(
      'stored',
    );
  });

  it('moves the key to the key store it is given, and records that in vault.json', async () => {
    const { dir, recoveryKey, vault } = await closedVault();
    const keyFile = path.join(path.dirname(dir), 'headless.key');
    const keyFileStore = new KeyFileKeyStore(keyFile);
    expect((await recoverVault({ dir, keyStore: keyFileStore, recoveryKey })).outcome).toBe(
      'stored',
    );
    expect(readVaultManifest(dir).keyStore).toBe('key-file');
    expect(await notes(dir, keyFileStore)).toEqual(['before']);
    expect(JSON.parse(fs.readFileSync(keyFile, 'utf8'))).toMatchObject({ vaultId: vault.vaultId });
  });

  it('refuses to write a key file inside the vault directory, writing nothing', async () => {
    const { dir, recoveryKey } = await closedVault();
    const before = fingerprint(dir);
    const inside = new KeyFileKeyStore(path.join(dir, 'coffer.key'));
    expect(await codeOf(recoverVault({ dir, keyStore: inside, recoveryKey }))).toBe(
      'INVALID_INPUT',
    );
    expect(fingerprint(dir)).toEqual(before);
  });

  it('explains that a vault made before Recovery Keys has none (RECOVERY_NOT_SET_UP)', async () => {
    const { dir, recoveryKey } = await closedVault();
    const { recovery: _dropped, ...manifest } = readVaultManifest(dir);
    writeVaultManifest(dir, { ...manifest, formatVersion: 1 });
    expect(await codeOf(recoverVault({ dir, keyStore: new MemoryKeyStore(), recoveryKey }))).toBe(
      'RECOVERY_NOT_SET_UP',
    );
    expect(fs.existsSync(vaultManifestPath(dir))).toBe(true);
    expect(fs.existsSync(vaultDbPath(dir))).toBe(true);
  });
});

function failingOn(inner: KeyStore, failOn: `${'set' | 'delete'}:${KeySlot}`): KeyStore {
  return {
    kind: 'memory',
    warning: null,
    get: (vaultId, slot) => inner.get(vaultId, slot),
    async set(vaultId, key, slot = 'current') {
      if (failOn === `set:${slot}`) throw new Error('simulated failure');
      return inner.set(vaultId, key, slot);
    },
    async delete(vaultId, slot = 'current') {
      if (failOn === `delete:${slot}`) throw new Error('simulated failure');
      return inner.delete(vaultId, slot);
    },
  };
}
