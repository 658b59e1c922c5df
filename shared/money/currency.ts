import * as z from 'zod';
import { CURRENCY_CODE_SHAPE, CURRENCY_EXPONENTS } from './currency-codes.js';

export {
  CURRENCY_EXPONENTS,
  currencyExponent,
  isCurrencyCode,
  type CurrencyCode,
} from './currency-codes.js';

export const CurrencyCodeSchema = z
  .string()
  .regex(CURRENCY_CODE_SHAPE, {
    error: 'Currency must be a three-letter uppercase ISO 4217 code, e.g. "USD"',
  })
  .refine((code) => Object.hasOwn(CURRENCY_EXPONENTS, code), {
    error: 'Unknown ISO 4217 currency code',
  });
