import type { SqliteMigration } from './migration.js';

/**
 * Invoice numbers per workspace (docs/architecture.md, Sync). A number is bound to one
 * invoice id (the client's UUID, which says nothing of the invoice) and never to a second
 * one; the next number is one past the workspace's highest, so the series has no gaps and
 * needs no separate counter. Who asked stays with the row until their account is deleted.
 */
export const migration: SqliteMigration = {
  version: 10,
  name: 'invoice-numbers',
  up(db) {
    db.exec(`
      CREATE TABLE invoice_numbers (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        invoice_id   TEXT NOT NULL CHECK (length(invoice_id) = 36),
        number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999999999),
        user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
        assigned_at  INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, invoice_id),
        UNIQUE (workspace_id, number)
      ) STRICT;
      CREATE INDEX invoice_numbers_by_user ON invoice_numbers (user_id) WHERE user_id IS NOT NULL;
    `);
  },
};
