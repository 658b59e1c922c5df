import type { Client } from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface ClientRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  tax_id: string | null;
  notes: string;
  default_currency: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, name, email, phone, address, tax_id, notes, default_currency, created_at, updated_at';

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    address: row.address,
    taxId: row.tax_id,
    notes: row.notes,
    defaultCurrency: row.default_currency,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for the clients table. Reads skip tombstones. */
export class ClientRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(c: Client): void {
    this.sql
      .get(
        `INSERT INTO clients (${COLUMNS})
         VALUES (@id, @name, @email, @phone, @address, @taxId, @notes, @defaultCurrency, @createdAt, @updatedAt)`,
      )
      .run(c);
  }

  update(c: Client): void {
    this.sql
      .get(
        `UPDATE clients SET name = @name, email = @email, phone = @phone, address = @address, tax_id = @taxId,
           notes = @notes, default_currency = @defaultCurrency, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(c);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE clients SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Client | undefined {
    const row = this.sql
      .get<[string], ClientRow>(
        `SELECT ${COLUMNS} FROM clients WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toClient(row);
  }

  /** Every live client, by name. */
  listAll(): Client[] {
    return this.sql
      .get<[], ClientRow>(
        `SELECT ${COLUMNS} FROM clients WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id`,
      )
      .all()
      .map(toClient);
  }

  /** Live documents that point at the client: a client with any cannot be deleted. */
  countLiveDocuments(clientId: string): number {
    return (
      this.sql
        .get<[string, string, string, string, string], { n: number }>(
          `SELECT (SELECT count(*) FROM invoices WHERE client_id = ? AND deleted_at IS NULL)
                + (SELECT count(*) FROM quotes WHERE client_id = ? AND deleted_at IS NULL)
                + (SELECT count(*) FROM payments WHERE client_id = ? AND deleted_at IS NULL)
                + (SELECT count(*) FROM recurring_schedules WHERE client_id = ? AND deleted_at IS NULL)
                + (SELECT count(*) FROM contracts WHERE client_id = ? AND deleted_at IS NULL) AS n`,
        )
        .get(clientId, clientId, clientId, clientId, clientId)?.n ?? 0
    );
  }
}
