import { StatementCache, type Db } from './statement-cache.js';

/**
 * Sums for derived balances. Sums come back as bigint (safeIntegers) so a total past
 * 2^53 is caught rather than rounded; SQLite itself fails on 64-bit overflow.
 */
export class BalanceRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  sumForAccount(accountId: string, asOf: string | null): bigint {
    const row =
      asOf === null
        ? this.sql
            .get<[string], { total: bigint }>(
              'SELECT COALESCE(SUM(amount_minor), 0) AS total FROM transactions WHERE account_id = ? AND deleted_at IS NULL',
            )
            .safeIntegers(true)
            .get(accountId)
        : this.sql
            .get<[string, string], { total: bigint }>(
              'SELECT COALESCE(SUM(amount_minor), 0) AS total FROM transactions WHERE account_id = ? AND date <= ? AND deleted_at IS NULL',
            )
            .safeIntegers(true)
            .get(accountId, asOf);
    return row?.total ?? 0n;
  }

  /** Per live account: the sum of its live transactions (up to `asOf` when given). */
  sumsByAccount(asOf: string | null): Map<string, bigint> {
    const rows =
      asOf === null
        ? this.sql
            .get<[], { account_id: string; total: bigint }>(
              `SELECT account_id, SUM(amount_minor) AS total FROM transactions
               WHERE deleted_at IS NULL GROUP BY account_id`,
            )
            .safeIntegers(true)
            .all()
        : this.sql
            .get<[string], { account_id: string; total: bigint }>(
              `SELECT account_id, SUM(amount_minor) AS total FROM transactions
               WHERE date <= ? AND deleted_at IS NULL GROUP BY account_id`,
            )
            .safeIntegers(true)
            .all(asOf);
    return new Map(rows.map((r) => [r.account_id, r.total]));
  }
}
