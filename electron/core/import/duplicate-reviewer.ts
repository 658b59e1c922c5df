import type { TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import type { Vault } from '../vault/vault.js';
import { sameImportFile } from './import-batch.js';
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
  /** Per account, the dates its transactions spanned before this import (null: none). */
  private readonly spans = new Map<string, { first: string; last: string } | null>();

  constructor(
    vault: Vault,
    private readonly importBatch: string,
  ) {
    this.repo = new TransactionReviewRepository(vault.db);
    this.reviews = new TransactionReviewService(vault);
    this.lastRowidBefore = this.repo.lastTransactionRowid();
  }

  /** Reads the account's date span before the statement's rows go in (see review()). */
  prepare(accountId: string): void {
    if (!this.spans.has(accountId)) this.spans.set(accountId, this.repo.dateSpan(accountId));
  }

  review(
    accountId: string,
    transactionId: string,
    input: TransactionCreateInput,
  ): { relatedTransactionId: string; detail: string } | null {
    // A row outside the dates the account spanned before cannot have a partner, so the
    // common next-month statement costs no query. Read late (prepare() not called), this
    // import's rows only widen the span: never wrong, just slower.
    let span = this.spans.get(accountId);
    if (span === undefined) {
      span = this.repo.dateSpan(accountId);
      this.spans.set(accountId, span);
    }
    if (span === null) return null;
    const from = shiftDate(input.date, -DUPLICATE_WINDOW_DAYS);
    const to = shiftDate(input.date, DUPLICATE_WINDOW_DAYS);
    if (to < span.first || from > span.last) return null;
    const partner = this.repo
      .candidates(accountId, input.amountMinor, input.date, {
        from,
        to,
        beforeRowid: this.lastRowidBefore,
      })
      .find((c) => !this.usedPartners.has(c.id));
    if (partner === undefined) return null;
    this.usedPartners.add(partner.id);
    const origin =
      partner.importBatch === null
        ? 'entered by hand'
        : sameImportFile(partner.importBatch, this.importBatch)
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
