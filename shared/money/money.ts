import * as z from 'zod';
import { CurrencyCodeSchema, type CurrencyCode } from './currency.js';

export { assertMinorUnits, bigintToMinor, isMinorUnits, sumMinor } from './minor-units.js';

/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY,
 * fils for KWD) plus its ISO 4217 code. Amounts stay within ±Number.MAX_SAFE_INTEGER so
 * that a JS number, a SQLite INTEGER and JSON all hold them exactly.
 */
export const MinorUnitsSchema = z
  .number({ error: 'Amount must be a whole number of minor units' })
  .int({ error: 'Amount must be a whole number of minor units (no fractions)' })
  .min(-Number.MAX_SAFE_INTEGER, { error: 'Amount is out of range' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'Amount is out of range' });

export interface Money {
  amountMinor: number;
  currency: CurrencyCode;
}

export const MoneySchema = z.strictObject({
  amountMinor: MinorUnitsSchema,
  currency: CurrencyCodeSchema,
});
