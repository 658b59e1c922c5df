import { descriptionKeyOf } from '../description-key.js';
import { fieldError, importParseError } from '../parse-error.js';
import type {
  StatementExtra,
  StatementItem,
  StatementRow,
  StatementSkipReason,
} from '../statement.js';
import type { TextSource } from '../text-source.js';
import { amountToMinor, readAmountParts, type DecimalSeparator } from './amount-cell.js';
import type { CsvLayout } from './csv-layout.js';
import type { CsvField } from './csv-mapping.js';
import { csvRecords, type CsvRecord } from './csv-tokenizer.js';
import { parseCsvDate, type CsvDateFormat } from './date-format.js';
import { currencyName, normalizeHeader, type HeaderRole } from './header-names.js';
import {
  indicatorSign,
  isBalanceRow,
  isDeclinedWord,
  isPendingWord,
  isPostedWord,
  isSummaryText,
} from './row-classes.js';

export interface RowContext {
  layout: CsvLayout;
  delimiter: string;
  dateFormat: CsvDateFormat;
  decimal: DecimalSeparator;
  negate: boolean;
  /** Currency of amounts that name none: the header's unit, else the account's. */
  currency: string;
  /** An unmapped payer column whose text is the payee of money coming in. */
  payerIndex: number | null;
  /** Unmapped columns that name a party, best first: the payee when its own cell is empty. */
  payeeFallbacks: readonly number[];
  /** A fee column the amount does not hold yet: taken from it, or added (written negative). */
  fee: { index: number; rule: 'subtract' | 'add' } | null;
}

// Columns whose text is not description: left out of the description key so the key does
// not depend on whether they were mapped.
const NOT_DESCRIPTIVE: ReadonlySet<HeaderRole> = new Set<HeaderRole>([
  'date',
  'valueDate',
  'amount',
  'debit',
  'credit',
  'indicator',
  'currency',
  'status',
  'category',
  'id',
  'balance',
]);
// The date and money columns are never description. Whether any other column is (an id or
// category column included) depends on what its header says, never on whether it was
// mapped, so the same row read with another mapping keeps its key.
const STRUCTURAL_FIELDS: ReadonlySet<CsvField> = new Set<CsvField>([
  'date',
  'amount',
  'debit',
  'credit',
  'indicator',
  'currency',
  'status',
]);
const MAX_SKIP_TEXT = 120;

/** The second pass: every record of the file as a row or a skipped line, in file order. */
export function* csvItems(source: TextSource, context: RowContext): Generator<StatementItem> {
  const { layout } = context;
  const plan = new ColumnPlan(layout);
  const headerFirst = (layout.header?.[0] ?? '').toLowerCase();
  const headerKey =
    layout.header === null ? null : layout.header.map(normalizeHeader).join('\u001f');
  const dates = new Map<string, string | null>();
  let pendingSection = false;
  let seenData = false;
  for (const record of csvRecords(source.chunks(), context.delimiter)) {
    if (record.line === layout.headerLine) {
      seenData = true;
      continue;
    }
    if (
      record.line <= layout.skipLines ||
      (layout.headerLine !== null && record.line < layout.headerLine)
    ) {
      yield skipItem(record, 'preamble', context.delimiter);
      continue;
    }
    const filled = filledCells(record.cells);
    if (filled.count === 0) {
      yield skipItem(record, 'empty', context.delimiter);
      continue;
    }
    if (
      headerKey !== null &&
      (record.cells[0] ?? '').trim().toLowerCase() === headerFirst &&
      record.cells.map(normalizeHeader).join('\u001f') === headerKey
    ) {
      yield skipItem(record, 'repeated-header', context.delimiter);
      continue;
    }
    const dateText = cellOf(record, layout, 'date');
    let date = dates.get(dateText);
    if (date === undefined) {
      date = dateText === '' ? null : parseCsvDate(dateText, context.dateFormat);
      if (dates.size < 4096) dates.set(dateText, date);
    }
    if (date === null) {
      if (isPendingWord(dateText) || (filled.count === 1 && isPendingWord(filled.first))) {
        if (filled.count === 1) pendingSection = true;
        yield skipItem(record, 'pending', context.delimiter);
      } else if (filled.count === 1 && isPostedWord(filled.first)) {
        pendingSection = false;
        yield skipItem(record, 'not-a-transaction', context.delimiter);
      } else if (record.cells.some(isSummaryText))
        yield skipItem(record, 'summary', context.delimiter);
      else if (!seenData && layout.headerLine === null)
        yield skipItem(record, 'preamble', context.delimiter);
      else if (
        (dateText === '' || filled.count === 1) &&
        cellOf(record, layout, 'amount') === '' &&
        cellOf(record, layout, 'debit') === '' &&
        cellOf(record, layout, 'credit') === ''
      ) {
        yield skipItem(record, 'not-a-transaction', context.delimiter);
      } else {
        throw importParseError(
          record.line,
          dateText === ''
            ? 'the date is empty'
            : `"${dateText}" is not a date in the format ${context.dateFormat} (--date-format)`,
          columnOf(layout, 'date'),
        );
      }
      continue;
    }
    seenData = true;
    const status = cellOf(record, layout, 'status');
    if (pendingSection || (status !== '' && isPendingWord(status))) {
      yield skipItem(record, 'pending', context.delimiter);
      continue;
    }
    if (status !== '' && isDeclinedWord(status)) {
      yield skipItem(record, 'not-a-transaction', context.delimiter);
      continue;
    }
    if (
      mayBeBalance(cellOf(record, layout, 'payee')) ||
      mayBeBalance(cellOf(record, layout, 'memo'))
    ) {
      yield skipItem(record, 'summary', context.delimiter);
      continue;
    }
    yield { kind: 'row', row: toRow(record, date, plan, context) };
  }
}

function toRow(
  record: CsvRecord,
  date: string,
  plan: ColumnPlan,
  context: RowContext,
): StatementRow {
  const { layout } = context;
  const line = record.line;
  let currency: string | null = null;
  const currencyCell = cellOf(record, layout, 'currency');
  if (currencyCell !== '') {
    currency = currencyName(currencyCell);
    if (currency === null) {
      throw importParseError(
        line,
        `"${currencyCell}" is not a currency code`,
        columnOf(layout, 'currency'),
      );
    }
  }
  const amounts: RowAmounts = { currency };
  let amountMinor: number;
  if (layout.mapping.amount !== undefined) {
    const amount = readAmount(record, 'amount', context, amounts);
    if (amount === null)
      throw importParseError(line, 'the amount is empty', columnOf(layout, 'amount'));
    amountMinor = amount;
    if (layout.mapping.indicator !== undefined) {
      const mark = cellOf(record, layout, 'indicator');
      const sign = indicatorSign(mark);
      if (sign === null) {
        throw importParseError(
          line,
          `"${mark}" is not a debit/credit marker`,
          columnOf(layout, 'indicator'),
        );
      }
      amountMinor = Math.abs(amountMinor) * sign;
    } else if (context.negate) amountMinor = -amountMinor;
  } else {
    const debit = readAmount(record, 'debit', context, amounts);
    const credit = readAmount(record, 'credit', context, amounts);
    if (debit === null && credit === null) {
      throw importParseError(
        line,
        'both debit and credit are empty',
        columnOf(layout, layout.mapping.debit ? 'debit' : 'credit'),
      );
    }
    if (debit !== null && credit !== null && debit !== 0 && credit !== 0) {
      throw importParseError(
        line,
        'the row has both a debit and a credit amount',
        columnOf(layout, 'debit'),
      );
    }
    // Banks write debits as positive or negative numbers; either way money left the account.
    amountMinor = Math.abs(credit ?? 0) - Math.abs(debit ?? 0);
  }
  if (context.fee !== null) {
    const fee = readFee(record, context.fee.index, context, amounts);
    amountMinor = context.fee.rule === 'subtract' ? amountMinor - fee : amountMinor + fee;
  }
  currency = amounts.currency;
  if (amountMinor === 0) amountMinor = 0;
  if (currency === (layout.headerCurrency ?? null) && layout.mapping.currency === undefined) {
    // A currency every amount header already names is the statement's, not the row's.
    currency = layout.headerCurrency === null ? currency : null;
  }

  // Files with a payer and a payee column (DKB): money in came from the payer.
  const payer = context.payerIndex === null ? '' : (record.cells[context.payerIndex] ?? '').trim();
  const fromPayer = payer !== '' && amountMinor > 0;
  const payeeColumn = layout.mapping.payee?.index;
  let payee = fromPayer ? payer : cellOf(record, layout, 'payee');
  // The column whose text became the payee when it is not the payee column: not repeated in
  // the notes.
  let payeeFrom = fromPayer ? context.payerIndex : null;
  // A payee cell left empty (a transfer, in a file whose payee column names card merchants)
  // is filled from the next column that names a party.
  if (payee === '') {
    for (const index of context.payeeFallbacks) {
      const text = (record.cells[index] ?? '').trim();
      if (text === '') continue;
      payee = text;
      payeeFrom = index;
      break;
    }
  }
  const extras: StatementExtra[] = [];
  const descriptive: string[] = [];
  const { cells } = record;
  for (let index = 0; index < cells.length; index++) {
    const value = (cells[index] as string).trim();
    if (value === '') continue;
    const column = plan.at(index);
    const shown = index === payeeFrom ? 'payee' : column.field;
    if (shown === undefined || (fromPayer && index === payeeColumn)) {
      extras.push({ label: column.label, value });
    }
    if (!column.structural) descriptive.push(value);
  }
  return {
    line,
    date,
    amountMinor,
    currency,
    payee: payee || null,
    memo: cellOf(record, layout, 'memo') || null,
    category: cellOf(record, layout, 'category') || null,
    externalId: cellOf(record, layout, 'id') || null,
    extras,
    descriptionKey: descriptionKeyOf(descriptive),
    splits: [],
  };
}

/** The currency a row's cells have named so far, carried from one amount cell to the next. */
interface RowAmounts {
  currency: string | null;
}

/** One amount cell of a row in minor units, or null when empty; a currency it names joins `row`. */
function readAmount(
  record: CsvRecord,
  field: 'amount' | 'debit' | 'credit',
  context: RowContext,
  row: RowAmounts,
): number | null {
  const { layout } = context;
  const line = record.line;
  const text = cellOf(record, layout, field);
  if (text === '') return null;
  const parsed = readAmountParts(text);
  if (parsed === null) {
    throw importParseError(
      line,
      `"${text.slice(0, 40)}" is not an amount`,
      columnOf(layout, field),
    );
  }
  if (parsed.currency !== null) {
    if (row.currency !== null && row.currency !== parsed.currency) {
      throw importParseError(
        line,
        `the amount is in ${parsed.currency} but the row says ${row.currency}`,
        columnOf(layout, field),
      );
    }
    row.currency = parsed.currency;
  }
  try {
    return amountToMinor(parsed, context.decimal, row.currency ?? context.currency, text);
  } catch (err) {
    throw fieldError(line, err, columnOf(layout, field));
  }
}

/** The fee cell in minor units of the row's currency; an empty cell is no fee. */
function readFee(record: CsvRecord, index: number, context: RowContext, row: RowAmounts): number {
  const text = (record.cells[index] ?? '').trim();
  if (text === '') return 0;
  const column = { column: index + 1, columnName: labelOf(context.layout, index) };
  const parsed = readAmountParts(text);
  if (parsed === null) {
    throw importParseError(record.line, `"${text.slice(0, 40)}" is not a fee amount`, column);
  }
  try {
    return amountToMinor(
      parsed,
      context.decimal,
      parsed.currency ?? row.currency ?? context.currency,
      text,
    );
  } catch (err) {
    throw fieldError(record.line, err, column);
  }
}

/**
 * What each column is, worked out once per file rather than for every cell of every row:
 * the ledger field it fills, whether it is left out of the description key, and the label
 * its text gets in the notes. Columns past the header are added as rows reach them.
 */
class ColumnPlan {
  private readonly columns: { field: CsvField | undefined; structural: boolean; label: string }[] =
    [];
  private readonly fieldAt = new Map<number, CsvField>();

  constructor(private readonly layout: CsvLayout) {
    for (const [field, column] of Object.entries(layout.mapping) as [
      CsvField,
      { index: number },
    ][]) {
      this.fieldAt.set(column.index, field);
    }
  }

  at(index: number): { field: CsvField | undefined; structural: boolean; label: string } {
    while (this.columns.length <= index) {
      const i = this.columns.length;
      const field = this.fieldAt.get(i);
      const role = this.layout.roles[i] ?? null;
      this.columns.push({
        field,
        structural:
          (field !== undefined && STRUCTURAL_FIELDS.has(field)) ||
          (role !== null && NOT_DESCRIPTIVE.has(role)),
        label: labelOf(this.layout, i),
      });
    }
    return this.columns[index] as {
      field: CsvField | undefined;
      structural: boolean;
      label: string;
    };
  }
}

/** How many cells hold text, and the first that does (as written). */
function filledCells(cells: readonly string[]): { count: number; first: string } {
  let count = 0;
  let first = '';
  for (const cell of cells) {
    if (cell.trim() === '') continue;
    if (count === 0) first = cell;
    count++;
  }
  return { count, first };
}

// A cheap look before the full (Unicode-normalising) test: most rows say nothing of a balance.
const BALANCE_HINT = /saldo|solde|balance|stand|forward/i;
const mayBeBalance = (text: string): boolean => BALANCE_HINT.test(text) && isBalanceRow(text);

function cellOf(record: CsvRecord, layout: CsvLayout, field: CsvField): string {
  const column = layout.mapping[field];
  return column === undefined ? '' : (record.cells[column.index] ?? '').trim();
}

function skipItem(
  record: CsvRecord,
  reason: StatementSkipReason,
  delimiter: string,
): StatementItem {
  const text = record.cells.join(delimiter).slice(0, MAX_SKIP_TEXT);
  return { kind: 'skip', skip: { line: record.line, reason, text } };
}

function labelOf(layout: CsvLayout, index: number): string {
  const name = layout.header?.[index];
  return name === undefined || name === '' ? `column ${index + 1}` : name;
}

function columnOf(layout: CsvLayout, field: CsvField): { column?: number; columnName?: string } {
  const column = layout.mapping[field];
  return column === undefined ? {} : { column: column.index + 1, columnName: column.name };
}
