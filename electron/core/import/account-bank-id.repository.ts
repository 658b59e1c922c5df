import type { AccountBankId } from '../../../shared/domain/import.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface BankIdRow {
  id: string;
  account_id: string;
  bank_account_id: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, account_id, bank_account_id, created_at, updated_at';

function toBankId(row: BankIdRow): AccountBankId {
  return {
    id: row.id,
    accountId: row.account_id,
    bankAccountId: row.bank_account_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for the bank's account ids remembered on accounts. Reads skip tombstones. */
export class AccountBankIdRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(b: AccountBankId): void {
    this.sql
      .get(
        `INSERT INTO account_bank_ids (${COLUMNS})
         VALUES (@id, @accountId, @bankAccountId, @createdAt, @updatedAt)`,
      )
      .run(b);
  }

  /** Oldest first: two devices binding one id offline resolve the same way everywhere. */
  findByBankId(bankAccountId: string): AccountBankId[] {
    return this.sql
      .get<[string], BankIdRow>(
        `SELECT ${COLUMNS} FROM account_bank_ids
         WHERE bank_account_id = ? AND deleted_at IS NULL ORDER BY created_at, id`,
      )
      .all(bankAccountId)
      .map(toBankId);
  }

  listForAccount(accountId: string): AccountBankId[] {
    return this.sql
      .get<[string], BankIdRow>(
        `SELECT ${COLUMNS} FROM account_bank_ids
         WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at, id`,
      )
      .all(accountId)
      .map(toBankId);
  }
}
