import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { MemoryKeyStore } from '../vault/memory.key-store.js';
import { createVault, openVault } from '../vault/vault.js';
import { cryptoShredVault } from './crypto-shred.js';

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('cryptoShredVault', () => {
  it('deletes the key from the key store, then the database, its WAL and vault.json', async () => {
    root = mkdtempSync(join(tmpdir(), 'coffer-shred-'));
    const dir = join(root, 'vault');
    const keyStore = new MemoryKeyStore();
    const created = await createVault({ dir, keyStore });
    const vaultId = created.vaultId;
    created.close();
    const vault = await openVault({ dir, keyStore });
    // The database is in use (WAL open) when it is shredded, as in a command.
    vault.db.prepare('SELECT count(*) FROM accounts').get();
    await keyStore.set(vaultId, Buffer.alloc(32, 7), 'next');
    writeFileSync(join(dir, 'notes.txt'), 'not the vault’s');

    await cryptoShredVault(vault, keyStore);

    expect(await keyStore.get(vaultId, 'current')).toBeNull();
    expect(await keyStore.get(vaultId, 'next')).toBeNull();
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(existsSync(join(dir, 'vault.json'))).toBe(false);
    await expect(openVault({ dir, keyStore })).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
  });
});
