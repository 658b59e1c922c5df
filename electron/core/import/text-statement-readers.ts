import { isUtf8 } from 'node:buffer';
import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import { readCamt053File } from './camt/read-camt053.js';
import { readMt940File } from './mt940/read-mt940.js';
import { QIF_DECIMAL_SEPARATORS } from './qif/qif-amount.js';
import { QIF_DATE_ORDERS } from './qif/qif-date.js';
import { readQifFile } from './qif/read-qif-file.js';
import type { ParsedStatementFile } from './statement.js';
import type { StatementReader, StatementReaderContext } from './statement-reader.js';
import { decodeText } from './text-decoding.js';

export const QifReaderOptionsSchema = z.strictObject({
  dateFormat: z.enum(QIF_DATE_ORDERS).optional(),
  decimalSeparator: z.enum(QIF_DECIMAL_SEPARATORS).optional(),
});

const NoOptionsSchema = z.strictObject({});

/** QIF names no currency: its amounts are read in the account's. */
export const readQifStatements: StatementReader = (input, context) => {
  const flags = parseInput(QifReaderOptionsSchema, context.options, 'QIF options');
  const { text, warning } = decodeStatementText(input.bytes());
  const currency = context.currency ?? rememberedCurrency(text, flags, context);
  return withWarning(readQifFile(text, { accountCurrency: currency, flags }), warning);
};

/**
 * QIF names no currency. Without --account, a file whose every account block is
 * remembered for accounts of one currency is read in it; anything else needs --account.
 */
function rememberedCurrency(
  text: string,
  flags: z.infer<typeof QifReaderOptionsSchema>,
  context: StatementReaderContext,
): string {
  // The account blocks are known before any amount is read; the currency only sets the
  // number of decimals, so a first reading in any currency lists them.
  let names: (string | null)[];
  try {
    names = readQifFile(text, { accountCurrency: 'USD', flags }).statements.map(
      (s) => s.bankAccountId,
    );
  } catch (err) {
    // Read again with the right currency, this may not be a problem at all: ask for it.
    if (err instanceof CofferError) names = [];
    else throw err;
  }
  const currencies = new Set(
    names.map((name) => (name === null ? null : context.currencyOfBankAccount(name))),
  );
  const [only] = currencies;
  if (names.length > 0 && currencies.size === 1 && only !== null && only !== undefined) {
    return only;
  }
  throw new CofferError(
    'IMPORT_ACCOUNT_UNKNOWN',
    'a QIF file names no currency: pass --account NAME (with --statement-account NAME for a file of several accounts; the choice is remembered)',
    { bankAccountIds: names },
  );
}

export const readCamtStatements: StatementReader = (input, context) => {
  parseInput(NoOptionsSchema, context.options, 'CAMT options');
  return readCamt053File(input.bytes());
};

export const readMt940Statements: StatementReader = (input, context) => {
  parseInput(NoOptionsSchema, context.options, 'MT940 options');
  const { text, warning } = decodeStatementText(input.bytes());
  return withWarning(readMt940File(text), warning);
};

/**
 * QIF and MT940 files carry no encoding: strict UTF-8 when the bytes are UTF-8, else
 * windows-1252 (what German, Austrian and Swiss banks and Quicken on Windows write), said
 * in a warning, never read with replacement characters.
 */
function decodeStatementText(bytes: Buffer): { text: string; warning: string | null } {
  if (isUtf8(bytes)) return { text: decodeText(bytes, 'utf-8'), warning: null };
  return {
    text: decodeText(bytes, 'windows-1252'),
    warning: 'the file is not UTF-8; it was read as windows-1252',
  };
}

function withWarning<T extends ParsedStatementFile>(file: T, warning: string | null): T {
  return warning === null ? file : { ...file, warnings: [warning, ...file.warnings] };
}
