import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { readAmountCell, type DecimalSeparator } from './amount-cell.js';
import type { CsvLayout } from './csv-layout.js';
import type { CsvSignRule } from './csv-settings.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { detectDateFormat, type CsvDateFormat } from './date-format.js';
import { indicatorSign, isPaymentText } from './row-classes.js';

const MAX_DISTINCT_DATES = 20_000;
const MAX_ORDERED_DATES = 5_000;
const MAX_REMEMBERED_MARKS = 64;

/**
 * Bounded statistics of one streaming pass over the data rows: enough to choose the date
 * format, the decimal separator and the sign rule from the whole file without keeping it.
 */
export class CsvStats {
  readonly distinctDates = new Set<string>();
  readonly orderedDates: string[] = [];
  commaCells = 0;
  pointCells = 0;
  ambiguousCells = 0;
  firstAmbiguous: string | null = null;
  positive = 0;
  negative = 0;
  paymentPositive = 0;
  paymentNegative = 0;
  /** Whether every non-empty indicator cell is a known debit/credit marker. */
  indicatorKnown = true;
  indicatorSeen = 0;
  /**
   * Indicator cells already found to be markers: a file repeats two or three of them, and
   * telling one apart normalises its Unicode, once per distinct text instead of per row.
   */
  private readonly knownMarks = new Set<string>();

  constructor(
    private readonly layout: CsvLayout,
    /** Payment rows are looked for on card statements only, where they decide the sign. */
    private readonly isCard: boolean,
  ) {}

  add(record: CsvRecord): void {
    const { mapping } = this.layout;
    const { cells } = record;
    const date = cellAt(cells, mapping.date?.index);
    if (date !== '') {
      if (this.distinctDates.size < MAX_DISTINCT_DATES) this.distinctDates.add(date);
      if (this.orderedDates.length < MAX_ORDERED_DATES) this.orderedDates.push(date);
    }
    this.addAmount(record, mapping.amount?.index, true);
    this.addAmount(record, mapping.debit?.index, false);
    this.addAmount(record, mapping.credit?.index, false);
    // Once one indicator cell is no marker the indicator is off for the file: the others
    // are only counted, not normalised again row after row.
    const indicator = cellAt(cells, mapping.indicator?.index);
    if (indicator !== '') {
      this.indicatorSeen++;
      if (this.indicatorKnown && !this.knownMarks.has(indicator)) {
        if (indicatorSign(indicator) === null) this.indicatorKnown = false;
        else if (this.knownMarks.size < MAX_REMEMBERED_MARKS) this.knownMarks.add(indicator);
      }
    }
  }

  private addAmount(record: CsvRecord, index: number | undefined, isAmount: boolean): void {
    const text = cellAt(record.cells, index);
    if (text === '') return;
    const amount = readAmountCell(text);
    if (amount === null) return;
    if (amount.style === ',') this.commaCells++;
    else if (amount.style === '.') this.pointCells++;
    else if (amount.ambiguous) {
      this.ambiguousCells++;
      this.firstAmbiguous ??= text;
    }
    if (!isAmount || !NONZERO.test(amount.body)) return;
    const { mapping } = this.layout;
    const payment =
      this.isCard &&
      isPaymentText(
        `${cellAt(record.cells, mapping.payee?.index)} ${cellAt(record.cells, mapping.memo?.index)}`,
      );
    if (amount.negative) {
      this.negative++;
      if (payment) this.paymentNegative++;
    } else {
      this.positive++;
      if (payment) this.paymentPositive++;
    }
  }
}

const NONZERO = /[1-9]/;

function cellAt(cells: readonly string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

export function chooseDateFormat(stats: CsvStats): CsvDateFormat {
  const detection = detectDateFormat([...stats.distinctDates], stats.orderedDates);
  if (detection.kind === 'found') return detection.format;
  if (detection.kind === 'ambiguous') {
    throw needsChoice(
      'date format',
      detection.formats,
      '--date-format',
      `the dates fit several formats (${detection.formats.join(', ')}) and their order does not decide`,
    );
  }
  return detection.format;
}

export function chooseDecimal(stats: CsvStats): DecimalSeparator {
  if (stats.commaCells > 0 && stats.pointCells === 0) return ',';
  if (stats.pointCells > 0 && stats.commaCells === 0) return '.';
  if (stats.pointCells === 0 && stats.commaCells === 0 && stats.ambiguousCells === 0) return '.';
  const reason =
    stats.pointCells > 0
      ? 'the amounts use both "." and "," as the decimal separator'
      : `amounts like "${stats.firstAmbiguous ?? ''}" read either as thousands or as decimals`;
  throw needsChoice('decimal separator', ['.', ','], '--decimal-separator', reason);
}

/**
 * Card statements often write purchases as positive numbers. When the account is a card
 * and the file has one amount column, payments ("PAYMENT - THANK YOU", "AUTOPAY") show
 * which way the file counts: negative payments mean positive purchases, so negate.
 */
export function chooseSign(
  stats: CsvStats,
  isCard: boolean,
  hasAmountColumn: boolean,
): CsvSignRule {
  if (!isCard || !hasAmountColumn) return 'as-is';
  if (stats.paymentNegative > stats.paymentPositive) return 'negate';
  if (stats.paymentPositive > stats.paymentNegative) return 'as-is';
  if (stats.positive > stats.negative) {
    throw needsChoice(
      'sign rule',
      ['as-is', 'negate'],
      '--sign',
      'most amounts on this card statement are positive and no payment row shows whether purchases are written positive',
    );
  }
  return 'as-is';
}

function needsChoice(
  setting: string,
  options: readonly string[],
  flag: string,
  why: string,
): CofferError {
  return new CofferError(
    'IMPORT_NEEDS_CHOICE',
    `${why}; say which with ${flag} ${options.join('|')}`,
    { setting, options, flag },
  );
}
