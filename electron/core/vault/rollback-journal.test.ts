import { afterEach, describe, expect, it } from 'vitest';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { withRollbackJournal } from './rollback-journal.js';
import { openEncryptedDatabase, type SqliteDatabase } from './sqlcipher.js';
import { vaultDbPath } from './vault-files.js';

/**
 * withRollbackJournal: a large write leaves WAL only when it can, on a real
 * vault, and the vault is back in WAL whatever happened.
 */
let temp: TempVault | undefined;
let other: SqliteDatabase | undefined;
afterEach(() => {
  other?.close();
  other = undefined;
  temp?.cleanup();
  temp = undefined;
});

const mode = (db: SqliteDatabase): string => String(db.pragma('journal_mode', { simple: true }));

async function vault(): Promise<TempVault> {
  temp = await createTempVault();
  temp.vault.db.exec('CREATE TABLE journal_probe (n INTEGER)');
  return temp;
}

describe('withRollbackJournal', () => {
  it('runs the write under a rollback journal and returns to WAL', async () => {
    const { vault: v } = await vault();
    expect(mode(v.db)).toBe('wal');
    const seen = withRollbackJournal(v.db, () => {
      v.transaction(() => v.db.prepare('INSERT INTO journal_probe VALUES (1)').run());
      return mode(v.db);
    });
    expect(seen).toBe('delete');
    expect(mode(v.db)).toBe('wal');
    expect(v.db.prepare('SELECT count(*) FROM journal_probe').pluck().get()).toBe(1);
  });

  it('stays in WAL while another connection has the vault open, and the write still runs', async () => {
    const { vault: v, keyStore, dir } = await vault();
    other = openEncryptedDatabase(vaultDbPath(dir), (await keyStore.get(v.vaultId)) as Buffer);
    expect(other.prepare('SELECT count(*) FROM journal_probe').pluck().get()).toBe(0);
    const seen = withRollbackJournal(v.db, () => {
      v.transaction(() => v.db.prepare('INSERT INTO journal_probe VALUES (1)').run());
      return mode(v.db);
    });
    expect(seen).toBe('wal');
    expect(other.prepare('SELECT count(*) FROM journal_probe').pluck().get()).toBe(1);
  });

  it('returns to WAL when the write fails, which rolls back, and the error goes on', async () => {
    const { vault: v } = await vault();
    expect(() =>
      withRollbackJournal(v.db, () =>
        v.transaction(() => {
          v.db.prepare('INSERT INTO journal_probe VALUES (1)').run();
          throw new Error('the write failed');
        }),
      ),
    ).toThrow('the write failed');
    expect(mode(v.db)).toBe('wal');
    expect(v.db.prepare('SELECT count(*) FROM journal_probe').pluck().get()).toBe(0);
  });

  it('inside a transaction leaves the journal alone', async () => {
    const { vault: v } = await vault();
    const seen = v.transaction(() => withRollbackJournal(v.db, () => mode(v.db)));
    expect(seen).toBe('wal');
  });
});
