import type * as z from 'zod';
import type { DepositInput } from '../../../../shared/domain/invoicing.schema.js';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import { parsePercentPpm } from '../../../../shared/invoice/parse-line-values.js';
import { formatPercentPpm } from '../../../../shared/invoice/parse-line-values.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';
import { minorToDecimalString } from '../../../../shared/money/format-money.js';
import { readAmount } from '../../ui/amount-field.js';

/** The deposit as typed: "250.00", or "30%" for a percentage of the total; empty for none. */
export interface DepositFormValues {
  deposit: string;
  depositDueDate: string;
}

export const EMPTY_DEPOSIT: DepositFormValues = { deposit: '', depositDueDate: '' };

type Read = { input: DepositInput | null } | { error: string };

function readDeposit(values: DepositFormValues, currency: string): Read {
  const text = values.deposit.trim();
  const dueDate = values.depositDueDate.trim() === '' ? null : values.depositDueDate.trim();
  if (text === '') return { input: null };
  if (text.endsWith('%')) {
    try {
      const percentPpm = parsePercentPpm(text);
      if (percentPpm <= 0) return { error: 'must be more than 0%' };
      return { input: { percentPpm, dueDate } };
    } catch (error) {
      return { error: isCofferError(error) ? error.message : 'Not a percentage' };
    }
  }
  const read = readAmount(text, currency);
  if ('error' in read) return read;
  if (read.minor <= 0) return { error: 'must be greater than zero' };
  return { input: { amountMinor: read.minor, dueDate } };
}

/** Puts what is wrong with the typed deposit on its fields (a zod refinement). */
export function refineDeposit(
  values: DepositFormValues,
  currency: string,
  ctx: z.RefinementCtx,
): void {
  const due = values.depositDueDate.trim();
  if (due !== '' && !isIsoDate(due)) {
    ctx.addIssue({
      code: 'custom',
      path: ['depositDueDate'],
      message: 'must be a date (YYYY-MM-DD)',
    });
  }
  if (due !== '' && values.deposit.trim() === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['deposit'],
      message: 'Enter the deposit to go with its due date',
    });
  }
  // An amount is read in the currency: until the currency is valid, its own field says so.
  if (!CurrencyCodeSchema.safeParse(currency).success) return;
  const read = readDeposit(values, currency);
  if ('error' in read) ctx.addIssue({ code: 'custom', path: ['deposit'], message: read.error });
}

/** The deposit input for the API; call after refineDeposit passed. */
export function toDepositInput(values: DepositFormValues, currency: string): DepositInput | null {
  const read = readDeposit(values, currency);
  return 'input' in read ? read.input : null;
}

/** A stored deposit back in the form's terms (the percentage when it was asked as one). */
export function toDepositForm(
  document: {
    depositMinor: number | null;
    depositPpm: number | null;
    depositDueDate: string | null;
  },
  currency: string,
): DepositFormValues {
  if (document.depositMinor === null) return EMPTY_DEPOSIT;
  return {
    deposit:
      document.depositPpm === null
        ? minorToDecimalString(document.depositMinor, currency)
        : `${formatPercentPpm(document.depositPpm)}%`,
    depositDueDate: document.depositDueDate ?? '',
  };
}

/** Where the API's field errors about the deposit go in the form. */
export function depositFormField(apiField: string): keyof DepositFormValues | null {
  if (apiField === 'deposit.amountMinor' || apiField === 'deposit.percentPpm') return 'deposit';
  if (apiField === 'deposit.dueDate') return 'depositDueDate';
  return null;
}
