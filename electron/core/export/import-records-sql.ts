/**
 * Test-only: one row each of the import bookkeeping tables (review flags, import profiles,
 * bank account ids), written with SQL and the sync change their services will record.
 * TODO: switch to TransactionReviewService, ImportProfileService and
 * AccountBankIdService once they are merged, so the export test checks their real fields.
 */
import { IdGenerator } from '../ledger/id-generator.js';
import type { Vault } from '../vault/vault.js';

export function addImportRecordsBySql(
  vault: Vault,
  refs: { accountId: string; transactionId: string; relatedTransactionId: string },
): void {
  const ids = new IdGenerator(() => vault.now());
  vault.transaction(() => {
    const now = vault.now();
    const review = {
      id: ids.next(),
      transactionId: refs.transactionId,
      reason: 'possible_duplicate',
      relatedTransactionId: refs.relatedTransactionId,
      detail: 'same date and amount as a transaction typed by hand',
      resolution: null,
      createdAt: now,
      updatedAt: now,
    };
    vault.db
      .prepare(
        `INSERT INTO transaction_reviews (id, transaction_id, reason, related_transaction_id, detail,
           resolution, created_at, updated_at)
         VALUES (@id, @transactionId, @reason, @relatedTransactionId, @detail, @resolution,
           @createdAt, @updatedAt)`,
      )
      .run(review);
    const { id: reviewId, ...reviewFields } = review;
    vault.changes.record('transaction_reviews', reviewId, 'upsert', reviewFields);

    const profile = {
      id: ids.next(),
      format: 'csv',
      signature: 'date|description|amount',
      name: 'Example Bank checking',
      settings: JSON.stringify({ dateFormat: 'MM/DD/YYYY', decimal: '.' }),
      accountId: refs.accountId,
      createdAt: now,
      updatedAt: now,
    };
    vault.db
      .prepare(
        `INSERT INTO import_profiles (id, format, signature, name, settings, account_id, created_at,
           updated_at)
         VALUES (@id, @format, @signature, @name, @settings, @accountId, @createdAt, @updatedAt)`,
      )
      .run(profile);
    const { id: profileId, ...profileFields } = profile;
    vault.changes.record('import_profiles', profileId, 'upsert', profileFields);

    const bankId = {
      id: ids.next(),
      accountId: refs.accountId,
      bankAccountId: '000123456789',
      createdAt: now,
      updatedAt: now,
    };
    vault.db
      .prepare(
        `INSERT INTO account_bank_ids (id, account_id, bank_account_id, created_at, updated_at)
         VALUES (@id, @accountId, @bankAccountId, @createdAt, @updatedAt)`,
      )
      .run(bankId);
    const { id: bankIdId, ...bankIdFields } = bankId;
    vault.changes.record('account_bank_ids', bankIdId, 'upsert', bankIdFields);
  });
}
