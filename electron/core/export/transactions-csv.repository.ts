import type { Database } from '../vault/vault.js';

export interface CsvQuery {
  accountId?: string;
  categoryId?: string;
  from?: string;
  to?: string;
}

export interface CsvTransactionRow {
  id: string;
  date: string;
  account: string;
  payee: string | null;
  category: string | null;
  split_categories: string | null;
  amount_minor: number;
  currency: string;
  notes: string;
}

const SELECT = `
SELECT t.id, t.date, a.name AS account, p.name AS payee, c.name AS category,
  (SELECT group_concat(sc.name, '; ' ORDER BY s.position)
     FROM transaction_splits s JOIN categories sc ON sc.id = s.category_id
    WHERE s.transaction_id = t.id) AS split_categories,
  t.amount_minor, t.currency, t.notes
FROM transactions t
JOIN accounts a ON a.id = t.account_id
LEFT JOIN payees p ON p.id = t.payee_id
LEFT JOIN categories c ON c.id = t.category_id`;

/** Live transactions with their names joined, for the CSV export. */
export class TransactionsCsvRepository {
  constructor(private readonly db: Database) {}

  iterate(query: CsvQuery): IterableIterator<CsvTransactionRow> {
    const clauses = ['t.deleted_at IS NULL'];
    const params: Record<string, string> = {};
    if (query.accountId !== undefined) {
      clauses.push('t.account_id = @accountId');
      params.accountId = query.accountId;
    }
    if (query.categoryId !== undefined) {
      clauses.push(
        '(t.category_id = @categoryId OR t.id IN (SELECT transaction_id FROM transaction_splits WHERE category_id = @categoryId))',
      );
      params.categoryId = query.categoryId;
    }
    if (query.from !== undefined) {
      clauses.push('t.date >= @from');
      params.from = query.from;
    }
    if (query.to !== undefined) {
      clauses.push('t.date <= @to');
      params.to = query.to;
    }
    return this.db
      .prepare<[Record<string, string>], CsvTransactionRow>(
        `${SELECT} WHERE ${clauses.join(' AND ')} ORDER BY t.date, t.id`,
      )
      .iterate(params);
  }
}
