import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import { VAULT_KEY_BYTES, type KeyStore } from '../key-store.js';
import { MIGRATIONS } from '../migrations/index.js';
import { runMigrations } from '../migrations/migration.js';
import { openEncryptedDatabase } from '../sqlcipher.js';
import { vaultDbPath, writeVaultManifest } from '../vault-files.js';
import { setMeta } from '../vault-meta.js';

/**
 * A vault as Coffer made them before Recovery Keys (vault.json format 1): the steps of that
 * version's createVault, kept here because today's makes format 2. The key goes to the key
 * store first, the database is made and migrated, its meta rows hold no Recovery Key, and
 * vault.json names no recovery section.
 */
export async function createFormat1Vault(options: {
  dir: string;
  keyStore: KeyStore;
}): Promise<{ vaultId: string }> {
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const createdAt = Date.now();
  const vaultId = uuidv7(createdAt);
  const key = randomBytes(VAULT_KEY_BYTES);
  try {
    await options.keyStore.set(vaultId, key);
    const file = vaultDbPath(dir);
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    const db = openEncryptedDatabase(file, key, { create: true });
    try {
      runMigrations(db, MIGRATIONS);
      db.transaction(() => {
        setMeta(db, 'vault_id', vaultId);
        setMeta(db, 'device_id', uuidv7(createdAt));
        setMeta(db, 'created_at', String(createdAt));
        setMeta(db, 'key_created_at', String(createdAt));
      }).immediate();
    } finally {
      db.close();
    }
    writeVaultManifest(dir, { formatVersion: 1, vaultId, keyStore: options.keyStore.kind });
    return { vaultId };
  } finally {
    key.fill(0);
  }
}
