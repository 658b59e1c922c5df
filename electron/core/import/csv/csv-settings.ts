import * as z from 'zod';
import { CSV_DELIMITERS } from './csv-delimiter.js';
import { CsvMappingSchema } from './csv-mapping.js';
import { CsvDateFormatSchema } from './date-format.js';

export const CSV_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
export const CSV_SIGN_RULES = ['as-is', 'negate'] as const;
export type CsvSignRule = (typeof CSV_SIGN_RULES)[number];
/**
 * What a fee column does to the money that moved: 'subtract' when fees are written as a
 * positive cost beside the amount (Revolut), 'add' when written as a negative amount
 * beside a gross one, 'included' when the amount already holds it (a net amount).
 */
export const CSV_FEE_RULES = ['subtract', 'add', 'included'] as const;
export type CsvFeeRule = (typeof CSV_FEE_RULES)[number];

/**
 * Every reading of a CSV statement that can be guessed, so each can be given by a flag,
 * saved in a profile, and shown in the dry run. JSON-serialisable: a profile stores it.
 */
export const CsvSettingsSchema = z.strictObject({
  /** Text encoding of the file (`--encoding`). */
  encoding: z.enum(CSV_ENCODINGS),
  /** Field separator (`--delimiter`). */
  delimiter: z.enum(CSV_DELIMITERS),
  /** Whether a header row names the columns (`--no-header`). */
  header: z.boolean(),
  /** Lines before the header (or the first row) that are not part of the table (`--skip-lines`). */
  skipLines: z.number().int().min(0).max(1000),
  /** Which column holds which field (`--map`). */
  mapping: CsvMappingSchema,
  /** Order of day, month and year in the date column (`--date-format`). */
  dateFormat: CsvDateFormatSchema,
  /** Decimal separator of the amounts (`--decimal-separator`). */
  decimalSeparator: z.enum(['.', ',']),
  /** 'negate' for card statements that write purchases as positive numbers (`--sign`). */
  sign: z.enum(CSV_SIGN_RULES),
  /**
   * How the fee column (a header such as "Fee") counts (`--fee`); absent when the file has
   * no fee column or none of its fees is other than zero, so nothing was decided.
   */
  fee: z.enum(CSV_FEE_RULES).optional(),
});
export type CsvSettings = z.infer<typeof CsvSettingsSchema>;

export const CsvPartialSettingsSchema = CsvSettingsSchema.partial();
