import { afterEach, describe, expect, it } from 'vitest';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { oracleQuery } from './test-fixtures/sqlcipher-oracle.js';
import { vaultDbPath } from './vault-files.js';

/**
 * Proof: the vault file is genuine SQLCipher 4 — an independent SQLCipher build
 * (@journeyapps/sqlcipher) reads it with the key, and cannot with a wrong key or none.
 */
let temp: TempVault | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function vaultWithRows(): Promise<{ file: string; key: Buffer; vaultId: string }> {
  temp = await createTempVault({ outbox: true });
  const { vault, keyStore, dir } = temp;
  vault.db.exec('CREATE TABLE oracle_probe (id INTEGER PRIMARY KEY, label TEXT)');
  vault.transaction(() => {
    vault.db
      .prepare('INSERT INTO oracle_probe (label) VALUES (?), (?)')
      .run('first row', 'second row');
    vault.changes.record('settings', 'oracle', 'upsert', { label: 'through the outbox' });
  });
  const key = (await keyStore.get(vault.vaultId)) as Buffer;
  const vaultId = vault.vaultId;
  vault.close();
  return { file: vaultDbPath(dir), key, vaultId };
}

describe('SQLCipher 4 oracle (@journeyapps/sqlcipher)', () => {
  it('reads the vault with its key', async () => {
    const { file, key, vaultId } = await vaultWithRows();
    expect(await oracleQuery(file, key, 'SELECT label FROM oracle_probe ORDER BY id')).toEqual([
      { label: 'first row' },
      { label: 'second row' },
    ]);
    expect(await oracleQuery(file, key, "SELECT value FROM meta WHERE key = 'vault_id'")).toEqual([
      { value: vaultId },
    ]);
    expect(await oracleQuery(file, key, 'SELECT record_id FROM outbox')).toEqual([
      { record_id: 'oracle' },
    ]);
  });

  it('reads the vault while its WAL still holds the latest commits', async () => {
    temp = await createTempVault({ outbox: true });
    const { vault, keyStore, dir } = temp;
    vault.db.pragma('wal_autocheckpoint = 0');
    vault.db.exec(
      "CREATE TABLE wal_probe (label TEXT); INSERT INTO wal_probe VALUES ('only in the wal')",
    );
    const key = (await keyStore.get(vault.vaultId)) as Buffer;
    expect(await oracleQuery(vaultDbPath(dir), key, 'SELECT label FROM wal_probe')).toEqual([
      { label: 'only in the wal' },
    ]);
  });

  it('fails with a wrong key', async () => {
    const { file, key } = await vaultWithRows();
    const wrong = Buffer.from(key);
    wrong[0] = (wrong[0] ?? 0) ^ 0x01; // one bit off
    await expect(oracleQuery(file, wrong, 'SELECT count(*) FROM sqlite_master')).rejects.toThrow(
      /not a database|SQLITE_NOTADB/,
    );
  });

  it('fails with no key', async () => {
    const { file } = await vaultWithRows();
    await expect(oracleQuery(file, null, 'SELECT count(*) FROM sqlite_master')).rejects.toThrow(
      /not a database|SQLITE_NOTADB/,
    );
  });
});
