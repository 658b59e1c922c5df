import type { Payee } from '../../../shared/domain/ledger.schema.js';
import { StatementCache, type Db } from './statement-cache.js';

interface PayeeRow {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, name, created_at, updated_at';

function toPayee(row: PayeeRow): Payee {
  return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** SQL for the payees table. Reads skip tombstones. */
export class PayeeRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(p: Payee): void {
    this.sql
      .get(`INSERT INTO payees (${COLUMNS}) VALUES (@id, @name, @createdAt, @updatedAt)`)
      .run(p);
  }

  update(p: Payee): void {
    this.sql
      .get(
        'UPDATE payees SET name = @name, updated_at = @updatedAt WHERE id = @id AND deleted_at IS NULL',
      )
      .run(p);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE payees SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Payee | undefined {
    const row = this.sql
      .get<[string], PayeeRow>(`SELECT ${COLUMNS} FROM payees WHERE id = ? AND deleted_at IS NULL`)
      .get(id);
    return row === undefined ? undefined : toPayee(row);
  }

  /** Live payees whose name equals `name` under SQLite's ASCII-only NOCASE folding. */
  findByNameNocase(name: string): Payee[] {
    return this.sql
      .get<[string], PayeeRow>(
        `SELECT ${COLUMNS} FROM payees WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL ORDER BY id`,
      )
      .all(name)
      .map(toPayee);
  }

  /** Live payees with a character outside ASCII in their name (where NOCASE cannot fold). */
  listNonAscii(): Payee[] {
    return this.sql
      .get<[], PayeeRow>(
        `SELECT ${COLUMNS} FROM payees WHERE deleted_at IS NULL AND name GLOB '*[^' || char(1) || '-' || char(127) || ']*' ORDER BY id`,
      )
      .all()
      .map(toPayee);
  }

  listAll(): Payee[] {
    return this.sql
      .get<[], PayeeRow>(
        `SELECT ${COLUMNS} FROM payees WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id`,
      )
      .all()
      .map(toPayee);
  }

  countLiveTransactions(id: string): number {
    return (
      this.sql
        .get<[string], { n: number }>(
          'SELECT count(*) AS n FROM transactions WHERE payee_id = ? AND deleted_at IS NULL',
        )
        .get(id)?.n ?? 0
    );
  }
}
