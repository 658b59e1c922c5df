/**
 * The plain baseline: `better-sqlite3` without encryption, the same migrations, the same
 * connection pragmas and the same services as our vault (see plain-vault.ts).
 */
import * as fs from 'node:fs';
import type { SqliteDatabase } from '../../electron/core/vault/sqlcipher.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { loadDataset } from '../bulk-load.js';
import { createPlainVault, openPlainVault } from './plain-vault.js';
import { LOAD_PRAGMAS, syncSink } from './sync-sink.js';

export class PlainEngine {
  readonly key = 'plain' as const;

  async createEmpty(dir: string): Promise<Vault> {
    const vault = createPlainVault(dir);
    await loadDataset(syncSink(vault.db), { count: 0 });
    return vault;
  }

  async createLoaded(
    dir: string,
    count: number,
    onProgress?: (loaded: number) => void,
  ): Promise<void> {
    const vault = createPlainVault(dir);
    try {
      for (const pragma of LOAD_PRAGMAS) vault.db.pragma(pragma);
      await loadDataset(syncSink(vault.db), onProgress ? { count, onProgress } : { count });
    } finally {
      vault.close();
    }
  }

  /** `wrap` lets the bench put a recorder between the services and the connection. */
  openSync(dir: string, wrap?: (db: SqliteDatabase) => SqliteDatabase): Vault {
    return openPlainVault(dir, wrap ? { wrap } : {});
  }

  remove(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
