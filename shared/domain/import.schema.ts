import * as z from 'zod';
import { UUID_PATTERN } from '../ids/uuidv7.js';

/**
 * Records a bank import keeps beside the ledger: review flags on rows that may repeat
 * another, confirmed CSV readings (profiles), and the bank's ids for an account.
 */

const IdSchema = z.string().regex(UUID_PATTERN, 'must be an id');
const TimestampSchema = z.number().int().nonnegative();

export const STATEMENT_FORMATS = ['csv', 'ofx', 'qif', 'camt053', 'mt940'] as const;
export const StatementFormatSchema = z.enum(STATEMENT_FORMATS);

// ---------------------------------------------------------------- reviews

export const REVIEW_REASONS = ['possible_duplicate'] as const;
export const ReviewReasonSchema = z.enum(REVIEW_REASONS);
export const REVIEW_RESOLUTIONS = ['kept', 'deleted'] as const;

export const TransactionReviewSchema = z.object({
  id: IdSchema,
  transactionId: IdSchema,
  reason: ReviewReasonSchema,
  relatedTransactionId: IdSchema.nullable(),
  detail: z.string().max(1_000),
  resolution: z.enum(REVIEW_RESOLUTIONS).nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type TransactionReview = z.infer<typeof TransactionReviewSchema>;

export const TransactionReviewFlagInputSchema = z.strictObject({
  transactionId: IdSchema,
  reason: ReviewReasonSchema,
  relatedTransactionId: IdSchema.nullable().default(null),
  /** Shortened to 1000 characters. */
  detail: z.string().default(''),
});
export type TransactionReviewFlagInput = z.input<typeof TransactionReviewFlagInputSchema>;

export const ReviewActionSchema = z.enum(['keep', 'delete']);
export type ReviewAction = z.infer<typeof ReviewActionSchema>;

// ---------------------------------------------------------------- profiles

/** A header signature: what the reader derives from a file's columns. */
export const ProfileSignatureSchema = z.string().trim().min(1).max(2_000);

export const ImportProfileSaveInputSchema = z.strictObject({
  format: StatementFormatSchema,
  signature: ProfileSignatureSchema,
  name: z.string().trim().max(200).default(''),
  /** The reader's resolved reading, stored as JSON. */
  settings: z.record(z.string(), z.unknown()),
  accountId: IdSchema.nullable().default(null),
});
export type ImportProfileSaveInput = z.input<typeof ImportProfileSaveInputSchema>;

export interface ImportProfile {
  id: string;
  format: z.infer<typeof StatementFormatSchema>;
  signature: string;
  name: string;
  settings: Record<string, unknown>;
  accountId: string | null;
  createdAt: number;
  updatedAt: number;
}

// ---------------------------------------------------------------- bank ids

/** OFX ACCTID, IBAN, MT940 :25: account; compared after trimming. */
export const BankAccountIdSchema = z.string().trim().min(1).max(100);

export interface AccountBankId {
  id: string;
  accountId: string;
  bankAccountId: string;
  createdAt: number;
  updatedAt: number;
}
