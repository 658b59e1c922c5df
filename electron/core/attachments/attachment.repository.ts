import type { Database } from '../vault/vault.js';

/** Attachment metadata as stored; the blob is read separately so listings stay cheap. */
export interface AttachmentRow {
  id: string;
  file_name: string;
  mime_type: string;
  size: number;
  sha256: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

const META_COLUMNS = 'id, file_name, mime_type, size, sha256, created_at, updated_at, deleted_at';

/** SQL for the `attachments` table. Blobs live inside the encrypted database. */
export class AttachmentRepository {
  constructor(private readonly db: Database) {}

  insert(row: Omit<AttachmentRow, 'deleted_at'> & { content: Buffer }): void {
    this.db
      .prepare(
        `INSERT INTO attachments (id, file_name, mime_type, size, sha256, content, created_at, updated_at)
         VALUES (@id, @file_name, @mime_type, @size, @sha256, @content, @created_at, @updated_at)`,
      )
      .run(row);
  }

  /** A live (not deleted) attachment's metadata, or undefined. */
  findById(id: string): AttachmentRow | undefined {
    return this.db
      .prepare<[string], AttachmentRow>(
        `SELECT ${META_COLUMNS} FROM attachments WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
  }

  listLive(): AttachmentRow[] {
    return this.db
      .prepare<[], AttachmentRow>(
        `SELECT ${META_COLUMNS} FROM attachments WHERE deleted_at IS NULL ORDER BY created_at, id`,
      )
      .all();
  }

  readContent(id: string): Buffer | undefined {
    const content = this.db
      .prepare<[string], Buffer | null>(
        'SELECT content FROM attachments WHERE id = ? AND deleted_at IS NULL',
      )
      .pluck()
      .get(id);
    return content ?? undefined;
  }

  /**
   * Tombstones the row and drops the blob; with `secure_delete` on, SQLite overwrites
   * the freed pages, so the bytes do not linger in the file.
   */
  markDeleted(id: string, deletedAt: number): boolean {
    return (
      this.db
        .prepare(
          'UPDATE attachments SET content = NULL, deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
        )
        .run(deletedAt, deletedAt, id).changes === 1
    );
  }
}
