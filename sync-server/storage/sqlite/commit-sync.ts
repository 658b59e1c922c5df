import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Runs one auto-committed write of per-request bookkeeping (an audit row, a request-rate
 * counter) without waiting for the disk at its commit: `synchronous=NORMAL` for that
 * statement, the connection's own level (FULL) again right after. The connection stays FULL for everything else — a
 * session revocation, a spent TOTP step or backup code, a new password still reach the disk
 * before their request is answered.
 *
 * Why: better-sqlite3 commits on the event loop, and a WAL fsync costs 0.2–4 ms here; two of
 * them on every request (its audit row and its rate counter) tripled the latency of every
 * route, /v1/health included. What NORMAL risks is small and bounded: in WAL mode the commit
 * is still atomic and consistent, and the next FULL commit or checkpoint syncs the WAL with
 * these frames in it, so only a power cut (not a crash of the process) can lose the rows
 * written since the last durable commit — never a security decision, only its bookkeeping.
 *
 * Inside an open transaction the write simply joins it: the transaction's own commit decides.
 * (The pragma is run with `exec`, not a statement prepared once: SQLite applies
 * `PRAGMA synchronous` while preparing it, so re-running a prepared one does nothing.)
 */
export function withoutCommitSync<T>(db: SqliteDatabase, write: () => T): T {
  if (db.inTransaction) return write();
  const level = Number(db.pragma('synchronous', { simple: true }));
  if (level <= NORMAL) return write();
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.exec(`PRAGMA synchronous = ${level}`);
  }
}

/** SQLite's number for `synchronous=NORMAL` (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA). */
const NORMAL = 1;
