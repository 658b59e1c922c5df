import type { Statement } from 'better-sqlite3';

import type {
  CounterDecision,
  CounterRecord,
  CounterRepository,
  CounterScope,
  CounterUpdate,
  RequestRate,
} from '../counter.repository.js';
import { type CounterRow, toCounter } from '../rows/counter.rows.js';
import { withoutCommitSync } from './commit-sync.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Floating-point slack (ms) in the GCRA comparison, so `limit` requests at one instant all
 * pass even when `windowMs / limit` is not exact in binary.
 */
const RATE_SLACK_MS = 0.001;
/** Compare-and-set rounds before `updateCounter` gives up. */
const MAX_ROUNDS = 8;

/** CounterRepository over better-sqlite3 (schema: migrations/005-counters.ts). */
export class SqliteCounterRepository implements CounterRepository {
  private readonly take: Statement;
  private readonly readTat: Statement;
  private readonly selectCounter: Statement;
  private readonly insertCounter: Statement;
  private readonly updateCounterRow: Statement;

  constructor(private readonly db: SqliteDatabase) {
    // Prepared once: every authenticated request runs `take`, every login the others.
    this.take = db.prepare(
      `INSERT INTO request_rates (key, tat) VALUES (@key, @now + @interval)
       ON CONFLICT (key) DO UPDATE SET tat = max(tat, @now) + @interval
       WHERE max(tat, @now) + @interval - @now <= @window`,
    );
    this.readTat = db.prepare('SELECT tat FROM request_rates WHERE key = ?').pluck();
    this.selectCounter = db.prepare(
      'SELECT state, version, expires_at FROM counters WHERE scope = ? AND key = ?',
    );
    this.insertCounter = db.prepare(
      `INSERT INTO counters (scope, key, state, version, expires_at)
       VALUES (?, ?, ?, 1, ?) ON CONFLICT (scope, key) DO NOTHING`,
    );
    this.updateCounterRow = db.prepare(
      `UPDATE counters SET state = ?, version = version + 1, expires_at = ?
       WHERE scope = ? AND key = ? AND version = ?`,
    );
  }

  async getCounter(scope: CounterScope, key: string): Promise<CounterRecord | null> {
    return this.readCounter(scope, key);
  }

  /**
   * Each round is synchronous — no await between the read and the conditional write — so
   * on the one connection no other request's write can land in between; the version check
   * still guards against another process on the same file.
   */
  async updateCounter<R>(
    scope: CounterScope,
    key: string,
    now: number,
    decide: (state: string | null) => CounterDecision<R>,
  ): Promise<CounterUpdate<R>> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const row = this.readCounter(scope, key);
      const decision = decide(row === null || row.expiresAt <= now ? null : row.state);
      if (decision.next === null) return { ok: true, result: decision.result };
      const { state, expiresAt } = decision.next;
      if (this.writeCounter(scope, key, row?.version ?? null, state, expiresAt)) {
        return { ok: true, result: decision.result };
      }
    }
    return { ok: false };
  }

  private readCounter(scope: CounterScope, key: string): CounterRecord | null {
    const row = this.selectCounter.get(scope, key) as CounterRow | undefined;
    return row === undefined ? null : toCounter(row);
  }

  /** The compare-and-set: false when the row is not (or no longer) at `expectedVersion`. */
  private writeCounter(
    scope: CounterScope,
    key: string,
    expectedVersion: number | null,
    state: string,
    expiresAt: number,
  ): boolean {
    const result =
      expectedVersion === null
        ? this.insertCounter.run(scope, key, state, expiresAt)
        : this.updateCounterRow.run(state, expiresAt, scope, key, expectedVersion);
    return result.changes === 1;
  }

  async takeRequest(key: string, now: number, rate: RequestRate): Promise<number> {
    const interval = rate.windowMs / rate.limit;
    // Every authenticated request takes one: see commit-sync.ts for why it does not wait
    // for the disk.
    const taken = withoutCommitSync(this.db, () =>
      this.take.run({ key, now, interval, window: rate.windowMs + RATE_SLACK_MS }),
    );
    if (taken.changes === 1) return 0;
    // Refused: the bucket refills one request's worth once `tat + interval - window` is reached.
    const tat = this.readTat.get(key) as number;
    return Math.max(1, Math.ceil(tat + interval - rate.windowMs - now));
  }

  async pruneExpired(now: number, batchSize = 5_000): Promise<number> {
    const counters = this.db
      .prepare(
        `DELETE FROM counters WHERE rowid IN
           (SELECT rowid FROM counters WHERE expires_at <= ? LIMIT ?)`,
      )
      .run(now, batchSize).changes;
    if (counters >= batchSize) return counters;
    const rates = this.db
      .prepare(
        `DELETE FROM request_rates WHERE rowid IN
           (SELECT rowid FROM request_rates WHERE tat <= ? LIMIT ?)`,
      )
      .run(now, batchSize - counters).changes;
    return counters + rates;
  }
}
