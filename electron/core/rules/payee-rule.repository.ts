import type { PayeeRule, PayeeRuleMatchKind } from '../../../shared/domain/payee-rule.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface PayeeRuleRow {
  id: string;
  position: number;
  match_kind: PayeeRuleMatchKind;
  pattern: string;
  rename_to: string | null;
  category_id: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, position, match_kind, pattern, rename_to, category_id, created_at, updated_at';

function toRule(row: PayeeRuleRow): PayeeRule {
  return {
    id: row.id,
    position: row.position,
    matchKind: row.match_kind,
    pattern: row.pattern,
    renameTo: row.rename_to,
    categoryId: row.category_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for the payee_rules table. Reads skip tombstones. */
export class PayeeRuleRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(r: PayeeRule): void {
    this.sql
      .get(
        `INSERT INTO payee_rules (${COLUMNS})
         VALUES (@id, @position, @matchKind, @pattern, @renameTo, @categoryId, @createdAt, @updatedAt)`,
      )
      .run(r);
  }

  setPosition(id: string, position: number, now: number): void {
    this.sql
      .get(
        'UPDATE payee_rules SET position = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(position, now, id);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get(
        'UPDATE payee_rules SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(now, now, id);
  }

  /** Live rules in the order they apply. */
  listAll(): PayeeRule[] {
    return this.sql
      .get<[], PayeeRuleRow>(
        `SELECT ${COLUMNS} FROM payee_rules WHERE deleted_at IS NULL ORDER BY position, id`,
      )
      .all()
      .map(toRule);
  }

  /** Live categories by id, with their names: a rule may point at one deleted since. */
  liveCategoryNames(): Map<string, string> {
    const rows = this.sql
      .get<[], { id: string; name: string }>(
        'SELECT id, name FROM categories WHERE deleted_at IS NULL',
      )
      .all();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
