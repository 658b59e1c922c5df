/**
 * Our vault: better-sqlite3-multiple-ciphers, SQLCipher 4 with a raw 256-bit key, opened
 * and created by the real vault code (createVault/openVault), with the key in an
 * in-memory key store — the keychain plays no part in speed.
 */
import * as fs from 'node:fs';
import { MemoryKeyStore } from '../../electron/core/vault/memory.key-store.js';
import { createVault, openVault, type Vault } from '../../electron/core/vault/vault.js';
import { loadDataset } from '../bulk-load.js';
import { LOAD_PRAGMAS, syncSink } from './sync-sink.js';

export class OursEngine {
  readonly key = 'ours' as const;
  private readonly keyStore = new MemoryKeyStore();

  /** A new vault holding the dataset's accounts, categories, payees and budgets. */
  async createEmpty(dir: string): Promise<Vault> {
    const vault = await createVault({ dir, keyStore: this.keyStore });
    await loadDataset(syncSink(vault.db), { count: 0 });
    return vault;
  }

  /** A vault with `count` generated transactions, closed again. */
  async createLoaded(
    dir: string,
    count: number,
    onProgress?: (loaded: number) => void,
  ): Promise<void> {
    const vault = await createVault({ dir, keyStore: this.keyStore });
    try {
      for (const pragma of LOAD_PRAGMAS) vault.db.pragma(pragma);
      await loadDataset(syncSink(vault.db), onProgress ? { count, onProgress } : { count });
    } finally {
      vault.close();
    }
  }

  open(dir: string): Promise<Vault> {
    return openVault({ dir, keyStore: this.keyStore });
  }

  remove(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
