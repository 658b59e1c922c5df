import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import { CsvPartialSettingsSchema, type CsvSettings } from './csv/csv-settings.js';
import { readCsvStatement } from './csv/read-csv-statement.js';
import type { StatementReader } from './statement-reader.js';

/**
 * The CSV flags an import takes: every setting the reader can guess, plus `headerLine`
 * (1-based line of the header), which is `skipLines` counted the way a user counts.
 */
export const CsvReaderOptionsSchema = CsvPartialSettingsSchema.extend({
  headerLine: z.number().int().min(1).max(1_000).optional(),
}).strict();

/** CSV through the streaming reader: the text is read in pieces, twice, never decoded whole. */
export const readCsvFile: StatementReader = (input, context) => {
  const { headerLine, ...flags } = parseInput(
    CsvReaderOptionsSchema,
    context.options,
    'CSV options',
  );
  if (context.currency === null) {
    throw new CofferError(
      'IMPORT_ACCOUNT_UNKNOWN',
      'a CSV statement does not name its account: pass --account NAME',
    );
  }
  const given: Partial<CsvSettings> =
    headerLine === undefined ? flags : { skipLines: headerLine - 1, ...flags };
  return readCsvStatement(input.text(given.encoding), {
    accountCurrency: context.currency,
    accountKind: context.accountKind ?? 'checking',
    flags: given,
    // A profile saved by an older version, or edited by hand, that no longer parses is ignored.
    profileFor: (signature) =>
      CsvPartialSettingsSchema.safeParse(context.profileFor(signature)).data ?? null,
  });
};
