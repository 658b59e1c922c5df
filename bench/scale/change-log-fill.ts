/**
 * Fills a workspace's change log for the backup rows: a million pushes, or even a million
 * appends through the repository, would take minutes of set-up, so the rows go in with
 * INSERT … SELECT in transactions of `FILL_CHUNK` changes, with what the repository writes
 * for each (a fresh UUID id, seqs from 1, random nonce and sealed bytes, the pushing user
 * and session) and the workspace's head set to the last seq. Set-up, not a measurement.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

import type { Storage } from '../../sync-server/storage/storage.js';

/** Sealed bytes per change: a transaction's fields, padded, as the app seals them. */
export const FILL_CIPHERTEXT_BYTES = 160;
/** Changes per INSERT and transaction. */
export const FILL_CHUNK = 100_000;

export interface FillPlan {
  workspaceId: string;
  userId: string;
  sessionId: string;
  changes: number;
}

/** Seqs `[from, to]` of each chunk of a fill of `changes`: the pure part of both fills. */
export function fillChunks(changes: number, chunk: number): { from: number; to: number }[] {
  if (!Number.isInteger(changes) || changes < 1) {
    throw new RangeError(`changes must be a whole number >= 1, got ${changes}`);
  }
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new RangeError(`chunk must be a whole number >= 1, got ${chunk}`);
  }
  const chunks: { from: number; to: number }[] = [];
  for (let from = 1; from <= changes; from += chunk) {
    chunks.push({ from, to: Math.min(changes, from + chunk - 1) });
  }
  return chunks;
}

/** The workspace's owner and one of their sessions, read through the storage layer. */
export async function planFill(
  storage: Storage,
  workspaceId: string,
  changes: number,
): Promise<FillPlan> {
  const [member] = await storage.workspaces.listMembers(workspaceId);
  if (member === undefined) throw new Error(`workspace ${workspaceId} has no member`);
  const [session] = await storage.sessions.listForUser(member.userId);
  if (session === undefined) throw new Error('the workspace owner has no session');
  return { workspaceId, userId: member.userId, sessionId: session.id, changes };
}

/** A random version-4 UUID in SQLite's SQL, one per row. */
const SQLITE_UUID = `lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
  substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`;

/** The server's SQLite file, with the server stopped. */
export function fillSqliteChangeLog(databaseFile: string, plan: FillPlan): void {
  const db = new Database(databaseFile, { fileMustExist: true });
  try {
    const insert = db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO change_log (workspace_id, seq, change_id, collection, key_version, nonce,
                               ciphertext, user_id, session_id, received_at)
       SELECT ?, i, ${SQLITE_UUID}, 'transactions', 1, randomblob(12), randomblob(?), ?, ?, ?
         FROM n`,
    );
    const setHead = db.prepare(
      `INSERT INTO change_log_heads (workspace_id, last_seq) VALUES (?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET last_seq = excluded.last_seq`,
    );
    for (const { from, to } of fillChunks(plan.changes, FILL_CHUNK)) {
      db.transaction(() => {
        insert.run(
          from,
          to,
          plan.workspaceId,
          FILL_CIPHERTEXT_BYTES,
          plan.userId,
          plan.sessionId,
          Date.now(),
        );
        setHead.run(plan.workspaceId, to);
      })();
    }
  } finally {
    db.close();
  }
}

/** PostgreSQL has no random bytes function in core: md5 of random() gives 16 at a time. */
const PG_RANDOM_BYTES = (count: number): string =>
  `substring(decode(${Array.from(
    { length: Math.ceil(count / 16) },
    () => 'md5(random()::text)',
  ).join(' || ')}, 'hex') from 1 for ${count})`;

/** The server's PostgreSQL database (its schema in `url`). */
export async function fillPostgresChangeLog(url: string, plan: FillPlan): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const { from, to } of fillChunks(plan.changes, FILL_CHUNK)) {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO change_log (workspace_id, seq, change_id, collection, key_version, nonce,
                                 ciphertext, user_id, session_id, received_at)
         SELECT $1, i, gen_random_uuid()::text, 'transactions', 1, ${PG_RANDOM_BYTES(12)},
                ${PG_RANDOM_BYTES(FILL_CIPHERTEXT_BYTES)}, $2, $3, $4
           FROM generate_series($5::bigint, $6::bigint) AS i`,
        [plan.workspaceId, plan.userId, plan.sessionId, Date.now(), from, to],
      );
      await client.query(
        `INSERT INTO change_log_heads (workspace_id, last_seq) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET last_seq = excluded.last_seq`,
        [plan.workspaceId, to],
      );
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
