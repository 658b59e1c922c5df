import * as z from 'zod';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { parseAmount } from '../../../shared/money/parse-amount.js';

/**
 * Reads an amount typed by a person ("1,234.50", "-12") into minor units of `currency`
 * with the shared parser, or says what is wrong with it.
 */
export function readAmount(text: string, currency: string): { minor: number } | { error: string } {
  try {
    return { minor: parseAmount(text, currency) };
  } catch (error) {
    return { error: isCofferError(error) ? error.message : 'Not an amount' };
  }
}

/** A form field holding an amount as typed; checked against the currency on submit. */
export const AmountTextSchema = z.string().trim().min(1, 'Enter an amount');
