import type Database from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from '../../electron/core/vault/sqlcipher.js';
import type { BulkSink } from '../bulk-load.js';

type AnyStatement = Database.Statement<unknown[], unknown>;

/** BulkSink over a better-sqlite3(-multiple-ciphers) connection, one prepared statement per SQL text. */
export function syncSink(db: SqliteDatabase): BulkSink {
  const statements = new Map<string, AnyStatement>();
  return {
    exec(sql) {
      db.exec(sql);
    },
    run(sql, params) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      statement.run(...params);
    },
  };
}

/**
 * Settings of the connection that loads a dataset (set-up, never measured): a large page
 * cache and no fsync. The measured paths reopen the file with the vault's own settings.
 */
export const LOAD_PRAGMAS = ['cache_size = -262144', 'synchronous = OFF'] as const;
