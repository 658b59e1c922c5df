import type { MetaRepository } from '../meta.repository.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteMetaRepository implements MetaRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async get(key: string): Promise<string | null> {
    const row = this.db.prepare('SELECT value FROM server_meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
