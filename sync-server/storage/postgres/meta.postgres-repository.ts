import type { MetaRepository } from '../meta.repository.js';
import type { PgDatabase } from './pg-database.js';

export class PostgresMetaRepository implements MetaRepository {
  constructor(private readonly db: PgDatabase) {}

  async get(key: string): Promise<string | null> {
    const { rows } = await this.db.query<{ value: string }>(
      'SELECT value FROM server_meta WHERE key = $1',
      [key],
    );
    return rows[0]?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO server_meta (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }
}
