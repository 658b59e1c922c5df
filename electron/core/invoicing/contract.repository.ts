import type { Contract, ContractStatus } from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface ContractRow {
  id: string;
  client_id: string;
  title: string;
  status: ContractStatus;
  attachment_id: string | null;
  notes: string;
  signed_at: number | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, client_id, title, status, attachment_id, notes, signed_at, created_at, updated_at';

/** SQL for the contracts table. Reads skip tombstones. */
export class ContractRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(c: Contract): void {
    this.sql
      .get(
        `INSERT INTO contracts (${COLUMNS})
         VALUES (@id, @clientId, @title, @status, @attachmentId, @notes, @signedAt, @createdAt, @updatedAt)`,
      )
      .run(c);
  }

  update(c: Contract): void {
    this.sql
      .get(
        `UPDATE contracts SET client_id = @clientId, title = @title, status = @status, attachment_id = @attachmentId,
           notes = @notes, signed_at = @signedAt, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(c);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get(
        'UPDATE contracts SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(now, now, id);
  }

  findById(id: string): Contract | undefined {
    const row = this.sql
      .get<[string], ContractRow>(
        `SELECT ${COLUMNS} FROM contracts WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toContract(row);
  }

  list(filter: { clientId?: string } = {}): Contract[] {
    return this.sql
      .get<[{ clientId: string | null }], ContractRow>(
        `SELECT ${COLUMNS} FROM contracts WHERE deleted_at IS NULL AND (@clientId IS NULL OR client_id = @clientId)
         ORDER BY created_at DESC, id DESC`,
      )
      .all({ clientId: filter.clientId ?? null })
      .map(toContract);
  }
}

function toContract(row: ContractRow): Contract {
  return {
    id: row.id,
    clientId: row.client_id,
    title: row.title,
    status: row.status,
    attachmentId: row.attachment_id,
    notes: row.notes,
    signedAt: row.signed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
