import type { SqliteMigration } from './migration.js';

/**
 * Abuse counters kept in storage rather than in one process's memory, so a restart does not
 * forget them and several instances (PostgreSQL, later) share them:
 *
 * - `counters`: one row per (scope, key) — the password-login backoff per account and per
 *   client address, the wrong second-factor answers per account, the owner mails already
 *   sent. `state` is the scope's JSON (storage/counter.repository.ts); `version` makes every
 *   write a compare-and-set, so concurrent requests never overwrite each other's counts.
 *   `expires_at` is when the row no longer limits anything; the prune job deletes it then.
 * - `request_rates`: the per-account request limit as GCRA (one token bucket in one number):
 *   `tat` is the "theoretical arrival time" in ms; a row with `tat <= now` is a full bucket
 *   and is pruned. No index on `tat`: every authenticated request writes this table, and
 *   the prune job's scan of its few rows is cheaper than an index kept up on every write.
 *
 * Keys are user ids, email lookup HMACs or client addresses, never an email or a secret.
 * No foreign keys: a deleted account's rows expire within the hour.
 */
export const migration: SqliteMigration = {
  version: 5,
  name: 'counters',
  up(db) {
    db.exec(`
      CREATE TABLE counters (
        scope      TEXT NOT NULL,
        key        TEXT NOT NULL,
        state      TEXT NOT NULL,
        version    INTEGER NOT NULL CHECK (version >= 1),
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      ) STRICT;
      CREATE INDEX counters_by_expiry ON counters (expires_at);

      CREATE TABLE request_rates (
        key TEXT PRIMARY KEY,
        tat REAL NOT NULL
      ) STRICT;
    `);
  },
};
