import { z } from 'zod';
import { parseInput } from '../validation/parse-input.js';
import { parseOfxStatement } from './ofx/parse-ofx-statement.js';
import type { StatementItem } from './statement.js';
import type { StatementReader } from './statement-reader.js';

/**
 * Adapter from the statement-reader table to `parseOfxStatement` (one statement per
 * file). Kept apart so the OFX reader that returns every statement of a file replaces it.
 */
export const OfxReaderOptionsSchema = z.strictObject({});

export const readOfxStatement: StatementReader = (bytes, context) => {
  parseInput(OfxReaderOptionsSchema, context.options, 'OFX options');
  const parsed = parseOfxStatement(bytes);
  const rows = parsed.rows;
  return {
    format: 'ofx',
    statements: [
      {
        bankAccountId: parsed.bankAccountId,
        currency: parsed.currency,
        line: parsed.currencyLine,
        *items(): Iterable<StatementItem> {
          for (const row of rows) yield { kind: 'row', row };
        },
      },
    ],
    columns: [],
    settings: [{ name: 'currency', value: parsed.currency, source: 'file' }],
    warnings: [],
  };
};
