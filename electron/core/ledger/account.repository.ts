import type { Account, AccountKind } from '../../../shared/domain/ledger.schema.js';
import { StatementCache, type Db } from './statement-cache.js';

interface AccountRow {
  id: string;
  name: string;
  currency: string;
  kind: AccountKind;
  opening_balance_minor: number;
  archived: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, name, currency, kind, opening_balance_minor, archived, created_at, updated_at';

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    kind: row.kind,
    openingBalanceMinor: row.opening_balance_minor,
    archived: row.archived === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for the accounts table. Reads skip tombstones. */
export class AccountRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(a: Account): void {
    this.sql
      .get(
        `INSERT INTO accounts (${COLUMNS}) VALUES (@id, @name, @currency, @kind, @openingBalanceMinor, @archived, @createdAt, @updatedAt)`,
      )
      .run({ ...a, archived: a.archived ? 1 : 0 });
  }

  update(a: Account): void {
    this.sql
      .get(
        `UPDATE accounts SET name = @name, currency = @currency, kind = @kind,
           opening_balance_minor = @openingBalanceMinor, archived = @archived, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run({ ...a, archived: a.archived ? 1 : 0 });
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE accounts SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Account | undefined {
    const row = this.sql
      .get<[string], AccountRow>(
        `SELECT ${COLUMNS} FROM accounts WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toAccount(row);
  }

  /** Every live account, archived ones included, by name. */
  listAll(): Account[] {
    return this.sql
      .get<[], AccountRow>(
        `SELECT ${COLUMNS} FROM accounts WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id`,
      )
      .all()
      .map(toAccount);
  }

  countLiveTransactions(accountId: string): number {
    return (
      this.sql
        .get<[string], { n: number }>(
          'SELECT count(*) AS n FROM transactions WHERE account_id = ? AND deleted_at IS NULL',
        )
        .get(accountId)?.n ?? 0
    );
  }

  countLiveTransactionsNotIn(accountId: string, currency: string): number {
    return (
      this.sql
        .get<[string, string], { n: number }>(
          'SELECT count(*) AS n FROM transactions WHERE account_id = ? AND deleted_at IS NULL AND currency <> ?',
        )
        .get(accountId, currency)?.n ?? 0
    );
  }
}
