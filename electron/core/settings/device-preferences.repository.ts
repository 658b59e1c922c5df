import type { Preferences, Theme } from '../../../shared/domain/settings.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

/** What a device that never chose shows: the system's locale and theme. */
export const DEFAULT_PREFERENCES: Preferences = { locale: null, theme: 'system' };

/** SQL for the single-row `device_preferences` table (device state, never synced). */
export class DevicePreferencesRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  read(): Preferences {
    const row = this.sql
      .get<[], { locale: string | null; theme: Theme }>(
        'SELECT locale, theme FROM device_preferences WHERE id = 1',
      )
      .get();
    return row === undefined
      ? { ...DEFAULT_PREFERENCES }
      : { locale: row.locale, theme: row.theme };
  }

  save(preferences: Preferences): void {
    this.sql
      .get(
        `INSERT INTO device_preferences (id, locale, theme) VALUES (1, @locale, @theme)
         ON CONFLICT (id) DO UPDATE SET locale = excluded.locale, theme = excluded.theme`,
      )
      .run(preferences);
  }
}
