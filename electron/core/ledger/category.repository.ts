import type { Category, CategoryKind } from '../../../shared/domain/ledger.schema.js';
import { StatementCache, type Db } from './statement-cache.js';

interface CategoryRow {
  id: string;
  name: string;
  kind: CategoryKind;
  parent_id: string | null;
  archived: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, name, kind, parent_id, archived, created_at, updated_at';

function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    archived: row.archived === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toParams(c: Category): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    parentId: c.parentId,
    archived: c.archived ? 1 : 0,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** SQL for the categories table. Reads skip tombstones. */
export class CategoryRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(c: Category): void {
    this.sql
      .get(
        `INSERT INTO categories (${COLUMNS}) VALUES (@id, @name, @kind, @parentId, @archived, @createdAt, @updatedAt)`,
      )
      .run(toParams(c));
  }

  update(c: Category): void {
    this.sql
      .get(
        `UPDATE categories SET name = @name, kind = @kind, parent_id = @parentId, archived = @archived,
           updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(toParams(c));
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get(
        'UPDATE categories SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(now, now, id);
  }

  findById(id: string): Category | undefined {
    const row = this.sql
      .get<[string], CategoryRow>(
        `SELECT ${COLUMNS} FROM categories WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toCategory(row);
  }

  listAll(): Category[] {
    return this.sql
      .get<[], CategoryRow>(
        `SELECT ${COLUMNS} FROM categories WHERE deleted_at IS NULL ORDER BY kind DESC, name COLLATE NOCASE, id`,
      )
      .all()
      .map(toCategory);
  }

  /** How many live records point at the category: children, transactions, splits, budgets. */
  countUses(id: string): { children: number; transactions: number; budgets: number } {
    const count = (sql: string): number =>
      this.sql.get<[string], { n: number }>(sql).get(id)?.n ?? 0;
    return {
      children: count(
        'SELECT count(*) AS n FROM categories WHERE parent_id = ? AND deleted_at IS NULL',
      ),
      transactions:
        count(
          'SELECT count(*) AS n FROM transactions WHERE category_id = ? AND deleted_at IS NULL',
        ) +
        count(
          `SELECT count(*) AS n FROM transaction_splits s JOIN transactions t ON t.id = s.transaction_id
           WHERE s.category_id = ? AND t.deleted_at IS NULL`,
        ),
      budgets: count(
        'SELECT count(*) AS n FROM budgets WHERE category_id = ? AND deleted_at IS NULL',
      ),
    };
  }
}
