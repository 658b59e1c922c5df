import { StatementCache, type Db } from '../ledger/statement-cache.js';

export interface MonthCurrencySums {
  month: string;
  currency: string;
  income: bigint;
  spending: bigint;
}

/**
 * Money in and out per month and currency, summed in SQL over the date index (a report
 * never loads transactions). Amounts come back as bigint so no sum is rounded.
 */
const CASH_FLOW = `
SELECT substr(date, 1, 7) AS month, currency,
       SUM(CASE WHEN amount_minor > 0 THEN amount_minor ELSE 0 END) AS income,
       SUM(CASE WHEN amount_minor < 0 THEN -amount_minor ELSE 0 END) AS spending
  FROM transactions
 WHERE deleted_at IS NULL AND date >= @from AND date <= @to
 GROUP BY month, currency
 ORDER BY month, currency`;

export class ReportRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  cashFlow(from: string, to: string): MonthCurrencySums[] {
    return this.sql
      .get<[{ from: string; to: string }], MonthCurrencySums>(CASH_FLOW)
      .safeIntegers(true)
      .all({ from, to });
  }
}
