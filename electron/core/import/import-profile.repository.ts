import type { ImportProfile } from '../../../shared/domain/import.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface ProfileRow {
  id: string;
  format: ImportProfile['format'];
  signature: string;
  name: string;
  settings: string;
  account_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A profile as stored: settings are JSON text. */
export interface StoredImportProfile extends Omit<ImportProfile, 'settings'> {
  settings: string;
}

const COLUMNS = 'id, format, signature, name, settings, account_id, created_at, updated_at';

function toStored(row: ProfileRow): StoredImportProfile {
  return {
    id: row.id,
    format: row.format,
    signature: row.signature,
    name: row.name,
    settings: row.settings,
    accountId: row.account_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for import profiles. Reads skip tombstones. */
export class ImportProfileRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(p: StoredImportProfile): void {
    this.sql
      .get(
        `INSERT INTO import_profiles (${COLUMNS})
         VALUES (@id, @format, @signature, @name, @settings, @accountId, @createdAt, @updatedAt)`,
      )
      .run(p);
  }

  update(p: StoredImportProfile): void {
    this.sql
      .get(
        `UPDATE import_profiles SET name = @name, settings = @settings, account_id = @accountId,
           updated_at = @updatedAt WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(p);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get(
        'UPDATE import_profiles SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(now, now, id);
  }

  /** Two devices may have saved one offline: the oldest wins, the same on every device. */
  find(format: string, signature: string): StoredImportProfile | undefined {
    const row = this.sql
      .get<[string, string], ProfileRow>(
        `SELECT ${COLUMNS} FROM import_profiles
         WHERE format = ? AND signature = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`,
      )
      .get(format, signature);
    return row === undefined ? undefined : toStored(row);
  }

  findById(id: string): StoredImportProfile | undefined {
    const row = this.sql
      .get<[string], ProfileRow>(
        `SELECT ${COLUMNS} FROM import_profiles WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toStored(row);
  }

  list(): StoredImportProfile[] {
    return this.sql
      .get<[], ProfileRow>(
        `SELECT ${COLUMNS} FROM import_profiles WHERE deleted_at IS NULL ORDER BY format, created_at, id`,
      )
      .all()
      .map(toStored);
  }
}
