import type {
  CounterDecision,
  CounterRecord,
  CounterRepository,
  CounterScope,
  CounterUpdate,
  RequestRate,
} from '../counter.repository.js';
import { type CounterRow, toCounter } from '../rows/counter.rows.js';
import type { PgDatabase } from './pg-database.js';

/**
 * Floating-point slack (ms) in the GCRA comparison, so `limit` requests at one instant all
 * pass even when `windowMs / limit` is not exact in binary.
 */
const RATE_SLACK_MS = 0.001;
/** Compare-and-set rounds before `updateCounter` gives up. */
const MAX_ROUNDS = 8;

/**
 * CounterRepository over PostgreSQL (schema: migrations/005-counters.ts). Several server
 * instances write the same rows: every write is a compare-and-set on `version` (or an
 * insert that does nothing when another instance inserted first) under the row's lock, and
 * the request rate is one conditional upsert.
 */
export class PostgresCounterRepository implements CounterRepository {
  constructor(private readonly db: PgDatabase) {}

  async getCounter(scope: CounterScope, key: string): Promise<CounterRecord | null> {
    return this.readCounter(scope, key);
  }

  /**
   * Each round reads the row FOR UPDATE and writes it in one short transaction, so updates
   * of one counter from many requests or instances queue on its row lock instead of losing
   * compare-and-set rounds; the version check still holds when the row was first inserted
   * by someone else, or written from elsewhere in the caller's own transaction.
   */
  async updateCounter<R>(
    scope: CounterScope,
    key: string,
    now: number,
    decide: (state: string | null) => CounterDecision<R>,
  ): Promise<CounterUpdate<R>> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const outcome = await this.db.transaction(async (): Promise<CounterUpdate<R> | null> => {
        const row = await this.readCounter(scope, key, 'FOR UPDATE');
        const decision = decide(row === null || row.expiresAt <= now ? null : row.state);
        if (decision.next === null) return { ok: true, result: decision.result };
        const { state, expiresAt } = decision.next;
        return (await this.writeCounter(scope, key, row?.version ?? null, state, expiresAt))
          ? { ok: true, result: decision.result }
          : null;
      }, 'read committed');
      if (outcome !== null) return outcome;
    }
    return { ok: false };
  }

  private async readCounter(
    scope: CounterScope,
    key: string,
    lock: '' | 'FOR UPDATE' = '',
  ): Promise<CounterRecord | null> {
    const { rows } = await this.db.query<CounterRow>(
      `SELECT state, version, expires_at FROM counters WHERE scope = $1 AND key = $2 ${lock}`,
      [scope, key],
    );
    const row = rows[0];
    return row === undefined ? null : toCounter(row);
  }

  /** The compare-and-set: false when the row is not (or no longer) at `expectedVersion`. */
  private async writeCounter(
    scope: CounterScope,
    key: string,
    expectedVersion: number | null,
    state: string,
    expiresAt: number,
  ): Promise<boolean> {
    const result =
      expectedVersion === null
        ? await this.db.query(
            `INSERT INTO counters (scope, key, state, version, expires_at)
             VALUES ($1, $2, $3, 1, $4) ON CONFLICT (scope, key) DO NOTHING`,
            [scope, key, state, expiresAt],
          )
        : await this.db.query(
            `UPDATE counters SET state = $1, version = version + 1, expires_at = $2
              WHERE scope = $3 AND key = $4 AND version = $5`,
            [state, expiresAt, scope, key, expectedVersion],
          );
    return result.rowCount === 1;
  }

  async takeRequest(key: string, now: number, rate: RequestRate): Promise<number> {
    const interval = rate.windowMs / rate.limit;
    // One statement, so two instances taking from one bucket at once queue on its row.
    const { rows } = await this.db.query<{ taken: boolean; tat: number }>(
      `WITH taken AS (
         INSERT INTO request_rates AS r (key, tat) VALUES ($1, $2::float8 + $3::float8)
         ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, $2::float8) + $3::float8
         WHERE greatest(r.tat, $2::float8) + $3::float8 - $2::float8 <= $4::float8
         RETURNING tat)
       SELECT TRUE AS taken, tat FROM taken
       UNION ALL
       SELECT FALSE AS taken, tat FROM request_rates
        WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM taken)`,
      [key, now, interval, rate.windowMs + RATE_SLACK_MS],
    );
    const row = rows[0];
    if (row?.taken === true) return 0;
    // Refused. A row another instance inserted during this statement is not in its snapshot:
    // read it now.
    const tat =
      row?.tat ??
      (await this.db.query<{ tat: number }>('SELECT tat FROM request_rates WHERE key = $1', [key]))
        .rows[0]?.tat;
    if (tat === undefined) return 0;
    // The bucket refills one request's worth once `tat + interval - window` is reached.
    return Math.max(1, Math.ceil(tat + interval - rate.windowMs - now));
  }

  async pruneExpired(now: number, batchSize = 5_000): Promise<number> {
    const counters =
      (
        await this.db.query(
          `DELETE FROM counters WHERE ctid = ANY (ARRAY(
             SELECT ctid FROM counters WHERE expires_at <= $1 LIMIT $2))`,
          [now, batchSize],
        )
      ).rowCount ?? 0;
    if (counters >= batchSize) return counters;
    const rates =
      (
        await this.db.query(
          `DELETE FROM request_rates WHERE ctid = ANY (ARRAY(
             SELECT ctid FROM request_rates WHERE tat <= $1 LIMIT $2))`,
          [now, batchSize - counters],
        )
      ).rowCount ?? 0;
    return counters + rates;
  }
}
