/**
 * Test-only: records of the import bookkeeping tables (a review flag, an import profile,
 * a bank account id), made through their services so the export tests check the fields
 * those services really record.
 */
import { AccountBankIdService } from '../import/account-bank-id.service.js';
import { ImportProfileService } from '../import/import-profile.service.js';
import { TransactionReviewService } from '../import/transaction-review.service.js';
import type { Vault } from '../vault/vault.js';

export function addImportRecords(
  vault: Vault,
  refs: {
    accountId: string;
    transactionId: string;
    relatedTransactionId: string;
    /** Runs between the records, so later edits carry a later time. */
    tick: () => void;
  },
): void {
  const reviews = new TransactionReviewService(vault);
  reviews.flag({
    transactionId: refs.transactionId,
    reason: 'possible_duplicate',
    relatedTransactionId: refs.relatedTransactionId,
    detail: 'same date and amount as a transaction typed by hand',
  });
  const resolved = reviews.flag({
    transactionId: refs.relatedTransactionId,
    reason: 'possible_duplicate',
    relatedTransactionId: refs.transactionId,
    detail: 'same amount, two days apart',
  });
  refs.tick();
  // A resolution is recorded as a change of two fields: the export must fold it in.
  reviews.resolve(resolved.id, 'keep');

  const profiles = new ImportProfileService(vault);
  const signature = 'date|description|amount';
  profiles.save({
    format: 'csv',
    signature,
    name: 'Example Bank checking',
    settings: { dateFormat: 'DD/MM/YYYY', decimalSeparator: '.' },
    accountId: refs.accountId,
  });
  refs.tick();
  profiles.save({
    format: 'csv',
    signature,
    settings: { dateFormat: 'MM/DD/YYYY', decimalSeparator: '.' },
  });
  const dropped = profiles.save({ format: 'csv', signature: 'a|b', settings: {} });
  profiles.remove(dropped.id);

  new AccountBankIdService(vault).remember(refs.accountId, '000123456789');
}
