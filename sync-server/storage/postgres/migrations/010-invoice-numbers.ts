import type { PgMigration } from './migration.js';

/** Invoice numbers per workspace, bound to the invoice ids (SQLite migration 010). */
export const migration: PgMigration = {
  version: 10,
  name: 'invoice-numbers',
  async up(client) {
    await client.query(`
      CREATE TABLE invoice_numbers (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        invoice_id   TEXT NOT NULL CHECK (length(invoice_id) = 36),
        number       BIGINT NOT NULL CHECK (number BETWEEN 1 AND 999999999),
        user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
        assigned_at  BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, invoice_id),
        UNIQUE (workspace_id, number)
      );
      CREATE INDEX invoice_numbers_by_user ON invoice_numbers (user_id) WHERE user_id IS NOT NULL;
    `);
  },
};
