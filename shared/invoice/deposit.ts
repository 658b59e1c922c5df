/**
 * A requested deposit: part of a quote's or invoice's total asked for first, with its own
 * due date. It is a request, not money: payments are still allocated to the invoice as a
 * whole, so the amounts owed never count twice.
 *
 * ROUNDING RULE for a deposit asked as a percentage (integer parts per million of 1):
 *
 *   deposit = round_half_up(total × depositPpm / 1_000_000)
 *
 * in exact integer arithmetic, halves away from zero, like every other division in
 * invoice-totals.ts. The percentage is kept, so the amount follows the total when the lines
 * of a draft change.
 *
 * Derived at read time:
 *
 *   deposit outstanding = max(0, deposit − paid)     (0 when there is no deposit)
 *   balance due         = total − paid
 */
import { divRoundHalfUp } from '../money/rounding.js';

const PPM = 1_000_000n;

/** What a document stores about its deposit; all null when none was requested. */
export interface DepositFields {
  readonly depositMinor: number | null;
  readonly depositPpm: number | null;
  readonly depositDueDate: string | null;
}

export const NO_DEPOSIT: DepositFields = {
  depositMinor: null,
  depositPpm: null,
  depositDueDate: null,
};

/** What a caller asks for: a fixed amount or a percentage, and an optional due date. */
export interface DepositRequest {
  readonly amountMinor?: number | undefined;
  readonly percentPpm?: number | undefined;
  readonly dueDate: string | null;
}

export interface DepositProblem {
  /** The request's field at fault. */
  field: 'amountMinor' | 'percentPpm' | 'dueDate';
  message: string;
}

/** A percentage of a total, in minor units, by the rounding rule above. */
export function depositFromPercent(totalMinor: number, percentPpm: number): number {
  return Number(divRoundHalfUp(BigInt(totalMinor) * BigInt(percentPpm), PPM));
}

/** The stored fields for a request against a document's current total. */
export function depositFields(request: DepositRequest, totalMinor: number): DepositFields {
  const percent = request.percentPpm ?? null;
  return {
    depositMinor:
      percent === null ? (request.amountMinor ?? 0) : depositFromPercent(totalMinor, percent),
    depositPpm: percent,
    depositDueDate: request.dueDate,
  };
}

/** A stored deposit brought up to date with a (possibly changed) total. */
export function refreshDeposit(deposit: DepositFields, totalMinor: number): DepositFields {
  return {
    depositMinor:
      deposit.depositPpm === null
        ? deposit.depositMinor
        : depositFromPercent(totalMinor, deposit.depositPpm),
    depositPpm: deposit.depositPpm,
    depositDueDate: deposit.depositDueDate,
  };
}

/**
 * The deposit after a draft is edited: kept and re-derived from its percentage when the
 * edit leaves it out, removed when the edit says null, replaced otherwise.
 */
export function depositAfterEdit(
  before: DepositFields,
  requested: DepositRequest | null | undefined,
  totalMinor: number,
): DepositFields {
  if (requested === undefined) return refreshDeposit(before, totalMinor);
  return requested === null ? NO_DEPOSIT : depositFields(requested, totalMinor);
}

/**
 * Why a deposit cannot stand on a document with this total and due date, or null when it
 * can: the amount must be more than zero and no more than the total, and it must fall due
 * no later than the document does.
 */
export function depositProblem(
  deposit: DepositFields,
  totalMinor: number,
  documentDueDate: string | null,
): DepositProblem | null {
  if (deposit.depositMinor === null) return null;
  const field = deposit.depositPpm === null ? 'amountMinor' : 'percentPpm';
  if (deposit.depositMinor <= 0) {
    return { field, message: 'the deposit must be greater than zero' };
  }
  if (deposit.depositMinor > totalMinor) {
    return { field, message: `the deposit must not be more than the total (${totalMinor})` };
  }
  // ISO dates compare correctly as text.
  if (
    deposit.depositDueDate !== null &&
    documentDueDate !== null &&
    deposit.depositDueDate > documentDueDate
  ) {
    return {
      field: 'dueDate',
      message: `the deposit must fall due on or before the invoice's due date ${documentDueDate}`,
    };
  }
  return null;
}

/** What is still owed of the deposit: max(0, deposit − paid); 0 without a deposit. */
export function depositOutstanding(depositMinor: number | null, paidMinor: number): number {
  if (depositMinor === null) return 0;
  return Math.max(0, depositMinor - paidMinor);
}
