import type { DocumentLine } from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

export type LineTable = 'quote_lines' | 'invoice_lines' | 'recurring_lines';

const PARENT: Record<LineTable, { column: string; table: string }> = {
  quote_lines: { column: 'quote_id', table: 'quotes' },
  invoice_lines: { column: 'invoice_id', table: 'invoices' },
  recurring_lines: { column: 'schedule_id', table: 'recurring_schedules' },
};

interface LineRow {
  id: string;
  parent_id: string;
  description: string;
  quantity_milli: number;
  unit_price_minor: number;
  tax_rate_ppm: number;
  discount_ppm: number;
}

function toLine(row: LineRow): DocumentLine {
  return {
    id: row.id,
    description: row.description,
    quantityMilli: row.quantity_milli,
    unitPriceMinor: row.unit_price_minor,
    taxRatePpm: row.tax_rate_ppm,
    discountPpm: row.discount_ppm,
  };
}

/**
 * SQL for the lines of quotes, invoices and recurring schedules. Lines belong to their
 * parent's `lines` field: they are always written as a whole list, in order.
 */
export class DocumentLinesRepository {
  private readonly sql: StatementCache;
  private readonly parent: { column: string; table: string };

  constructor(
    db: Db,
    private readonly table: LineTable,
  ) {
    this.sql = new StatementCache(db);
    this.parent = PARENT[table];
  }

  replace(parentId: string, lines: readonly DocumentLine[]): void {
    this.sql.get(`DELETE FROM ${this.table} WHERE ${this.parent.column} = ?`).run(parentId);
    const insert = this.sql.get(
      `INSERT INTO ${this.table} (id, ${this.parent.column}, position, description, quantity_milli, unit_price_minor, tax_rate_ppm, discount_ppm)
       VALUES (@id, @parentId, @position, @description, @quantityMilli, @unitPriceMinor, @taxRatePpm, @discountPpm)`,
    );
    lines.forEach((line, position) => insert.run({ ...line, parentId, position }));
  }

  listFor(parentId: string): DocumentLine[] {
    return this.sql
      .get<[string], LineRow>(
        `SELECT id, ${this.parent.column} AS parent_id, description, quantity_milli, unit_price_minor, tax_rate_ppm, discount_ppm
         FROM ${this.table} WHERE ${this.parent.column} = ? ORDER BY position`,
      )
      .all(parentId)
      .map(toLine);
  }

  /** Lines of every live parent, grouped by parent id (one query for a whole list). */
  listForLiveParents(): Map<string, DocumentLine[]> {
    const rows = this.sql
      .get<[], LineRow>(
        `SELECT l.id, l.${this.parent.column} AS parent_id, l.description, l.quantity_milli, l.unit_price_minor, l.tax_rate_ppm, l.discount_ppm
         FROM ${this.table} l JOIN ${this.parent.table} p ON p.id = l.${this.parent.column}
         WHERE p.deleted_at IS NULL ORDER BY l.${this.parent.column}, l.position`,
      )
      .all();
    const byParent = new Map<string, DocumentLine[]>();
    for (const row of rows) {
      const list = byParent.get(row.parent_id) ?? [];
      list.push(toLine(row));
      byParent.set(row.parent_id, list);
    }
    return byParent;
  }
}
