import type { TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import type { Vault } from '../vault/vault.js';
import { TransactionReviewRepository } from './transaction-review.repository.js';
import { TransactionReviewService } from './transaction-review.service.js';

/** How far apart a bank's booking date and a hand-typed or other file's date may be. */
export const DUPLICATE_WINDOW_DAYS = 3;
const DAY_MS = 86_400_000;

/**
 * Flags a newly written row that looks like a transaction the account already had from
 * elsewhere (another file, typed by hand): same amount, date within ±3 days. The row stays
 * written and waits for the user; nothing is silently added or dropped. Rows of this
 * import are never each other's partners (two real coffees on one day are two), and an
 * existing transaction partners at most one flagged row per import.
 */
export class DuplicateReviewer {
  private readonly repo: TransactionReviewRepository;
  private readonly reviews: TransactionReviewService;
  /** Rows of this import have larger rowids: no set of this import's ids to grow. */
  private readonly lastRowidBefore: number;
  private readonly usedPartners = new Set<string>();

  constructor(
    vault: Vault,
    private readonly importBatch: string,
  ) {
    this.repo = new TransactionReviewRepository(vault.db);
    this.reviews = new TransactionReviewService(vault);
    this.lastRowidBefore = this.repo.lastTransactionRowid();
  }

  review(
    accountId: string,
    transactionId: string,
    input: TransactionCreateInput,
  ): { relatedTransactionId: string; detail: string } | null {
    const partner = this.repo
      .candidates(accountId, input.amountMinor, input.date, {
        from: shiftDate(input.date, -DUPLICATE_WINDOW_DAYS),
        to: shiftDate(input.date, DUPLICATE_WINDOW_DAYS),
        beforeRowid: this.lastRowidBefore,
      })
      .find((c) => !this.usedPartners.has(c.id));
    if (partner === undefined) return null;
    this.usedPartners.add(partner.id);
    const origin =
      partner.importBatch === null
        ? 'entered by hand'
        : partner.importBatch === this.importBatch
          ? `imported earlier from this file (${partner.importBatch})`
          : `imported in batch ${partner.importBatch}`;
    const detail = `Possible duplicate of the ${partner.date} transaction${
      partner.payeeName === null ? '' : ` "${partner.payeeName}"`
    } with the same amount, ${origin}`;
    this.reviews.flag({
      transactionId,
      reason: 'possible_duplicate',
      relatedTransactionId: partner.id,
      detail,
    });
    return { relatedTransactionId: partner.id, detail };
  }
}

function shiftDate(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}
