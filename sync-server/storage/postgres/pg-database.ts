import { AsyncLocalStorage } from 'node:async_hooks';

import pg from 'pg';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';

/** PostgreSQL type oids whose text form the storage reads as a JS number. */
const INT8_OID = 20;

/**
 * BIGINT columns (ms times, seqs, counts) come back as JS numbers, as better-sqlite3 gives
 * them. pg returns strings by default because an int8 may exceed 2^53; every value the
 * server stores fits, so one that does not is a bug and throws rather than rounding.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`A BIGINT value is outside the safe integer range: ${text}`);
  }
  return value;
}

function getTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
  if (oid === INT8_OID && format !== 'binary') return parseInt8;
  return pg.types.getTypeParser(oid, format) as (text: string) => unknown;
}

const TYPES = { getTypeParser };

export type Isolation = 'serializable' | 'read committed';

/** SQLSTATEs after which a whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Runs of a transaction before a serialization failure is given up to the caller. */
const MAX_ATTEMPTS = 10;

const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null
    ? ((error as { code?: unknown }).code as string | undefined)
    : undefined;

export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505';

/**
 * One pool of connections. `query` runs on the connection of the transaction open in the
 * caller's async context, or on any free connection; `transaction` opens one, so that every
 * repository call made from inside it (awaited, in its async context) shares it, and a
 * nested `transaction` joins the outer one.
 *
 * Unlike the embedded storage, other requests do not wait for an open transaction: they
 * run on other connections. Where the SQLite code relied on BEGIN IMMEDIATE taking the
 * whole database, the PostgreSQL repositories take row or advisory locks, and
 * `Storage.transaction` runs SERIALIZABLE (retried on a serialization failure), so a
 * service's read-check-write inside it still behaves as if it ran alone.
 */
export class PgDatabase {
  private readonly context = new AsyncLocalStorage<PoolClient>();

  constructor(readonly pool: pg.Pool) {}

  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    const client = this.context.getStore();
    return (client ?? this.pool).query<R>(text, values as unknown[] | undefined);
  }

  /** True when the caller runs inside an open transaction. */
  inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  /**
   * Runs `fn` in a transaction on one connection. A serialization failure or deadlock rolls
   * back and runs `fn` again (so `fn` must do nothing but storage calls and checks); any
   * other error rolls back and is rethrown.
   */
  async transaction<T>(fn: () => Promise<T>, isolation: Isolation = 'serializable'): Promise<T> {
    if (this.inTransaction()) return fn();
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      // A checked-out connection that breaks between two queries (the database restarted)
      // emits 'error', which would end the process with nobody listening; the next query
      // fails instead, and the connection is not handed out again.
      const onError = (error: Error): void => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
        try {
          const result = await this.context.run(client, fn);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            // A connection that cannot roll back is not handed to anyone else.
            broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
          });
          const code = sqlState(error);
          if (broken === undefined && code !== undefined && RETRYABLE.has(code)) {
            if (attempt < MAX_ATTEMPTS) continue;
          }
          throw error;
        }
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * A pool for `url` (a `postgres://` connection string; `?options=-c search_path=...` picks
 * a schema). Errors of idle connections (the server restarted) end those connections
 * instead of the process; the next query opens a new one.
 */
export function createPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
  const pool = new pg.Pool({ connectionString: url, types: TYPES, max: options.max ?? 10 });
  pool.on('error', () => {
    // Nothing to do: pg has already dropped the failed idle connection from the pool.
  });
  return new PgDatabase(pool);
}
