import {
  ReviewActionSchema,
  TransactionReviewFlagInputSchema,
  type ReviewAction,
  type TransactionReview,
  type TransactionReviewFlagInput,
} from '../../../shared/domain/import.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Fields } from '../ledger/record-fields.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { TransactionReviewRepository } from './transaction-review.repository.js';

const MAX_DETAIL = 1_000;

export function reviewFields(r: TransactionReview): Fields {
  return {
    transactionId: r.transactionId,
    reason: r.reason,
    relatedTransactionId: r.relatedTransactionId,
    detail: r.detail,
    resolution: r.resolution,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Transactions an import wrote that may repeat one already in the account. They stay in
 * the ledger until the user keeps them or deletes them; nothing is decided for them.
 */
export class TransactionReviewService {
  private readonly repo: TransactionReviewRepository;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new TransactionReviewRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  flag(input: TransactionReviewFlagInput): TransactionReview {
    const data = parseInput(TransactionReviewFlagInputSchema, input, 'review');
    return this.vault.transaction(() => {
      const now = this.vault.now();
      const review: TransactionReview = {
        id: this.ids.next(),
        transactionId: data.transactionId,
        reason: data.reason,
        relatedTransactionId: data.relatedTransactionId,
        detail: data.detail.slice(0, MAX_DETAIL),
        resolution: null,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(review);
      this.vault.changes.record('transaction_reviews', review.id, 'upsert', reviewFields(review));
      return review;
    });
  }

  /** Open flags, oldest first. */
  listOpen(): TransactionReview[] {
    return this.repo.listOpen();
  }

  openCount(): number {
    return this.repo.openCount();
  }

  get(id: string): TransactionReview {
    const wanted = id.trim();
    const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
    if (found === undefined) throw new CofferError('NOT_FOUND', `No review with id ${wanted}`);
    return found;
  }

  /** keep: the transaction stays; delete: it is tombstoned (a re-import still skips it). */
  resolve(id: string, action: ReviewAction): TransactionReview {
    const verb = parseInput(ReviewActionSchema, action, 'review action');
    return this.vault.transaction(() => {
      const before = this.get(id);
      if (before.resolution !== null) {
        throw new CofferError(
          'INVALID_STATE',
          `Review ${before.id} is already ${before.resolution}`,
        );
      }
      if (verb === 'delete') new TransactionService(this.vault).delete(before.transactionId);
      const after: TransactionReview = {
        ...before,
        resolution: verb === 'keep' ? 'kept' : 'deleted',
        updatedAt: this.vault.now(),
      };
      this.repo.resolve(after.id, after.resolution as 'kept' | 'deleted', after.updatedAt);
      this.vault.changes.record('transaction_reviews', after.id, 'upsert', {
        resolution: after.resolution,
        updatedAt: after.updatedAt,
      });
      return after;
    });
  }
}
