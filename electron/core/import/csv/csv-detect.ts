import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { readAmountCell, type DecimalSeparator } from './amount-cell.js';
import type { CsvLayout } from './csv-layout.js';
import type { CsvFeeRule, CsvSignRule } from './csv-settings.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { detectDateFormat, type CsvDateFormat } from './date-format.js';
import { indicatorSign, isPaymentText } from './row-classes.js';

const MAX_DISTINCT_DATES = 20_000;
const MAX_ORDERED_DATES = 5_000;
const MAX_REMEMBERED_MARKS = 64;
const MAX_FEE_ROWS = 200;

/** Where the fee column and the running balance are, for the fee rule's evidence. */
export interface FeeColumns {
  fee: number;
  balance: number | null;
}

/**
 * A row with a fee other than zero and a running balance, with the balances of the rows on
 * either side as written (a file lists oldest or newest first): the texts, read once the
 * pass has settled the decimal separator.
 */
interface FeeRow {
  amount: string;
  fee: string;
  balance: string;
  before: string | null;
  after: string | null;
}

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
  /** Rows with a fee other than zero. */
  feesSeen = 0;
  readonly feeRows: FeeRow[] = [];
  private lastBalance: string | null = null;
  private waitingForAfter: FeeRow | null = null;

  constructor(
    private readonly layout: CsvLayout,
    /** Payment rows are looked for on card statements only, where they decide the sign. */
    private readonly isCard: boolean,
    private readonly feeColumns: FeeColumns | null = null,
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
    if (this.feeColumns !== null) this.addFee(cells, this.feeColumns);
  }

  private addFee(cells: readonly string[], columns: FeeColumns): void {
    const balance = columns.balance === null ? '' : cellAt(cells, columns.balance);
    if (this.waitingForAfter !== null) {
      this.waitingForAfter.after = balance === '' ? null : balance;
      this.waitingForAfter = null;
    }
    const fee = cellAt(cells, columns.fee);
    if (fee !== '' && NONZERO.test(fee)) {
      this.feesSeen++;
      const amount = cellAt(cells, this.layout.mapping.amount?.index);
      if (balance !== '' && amount !== '' && this.feeRows.length < MAX_FEE_ROWS) {
        const row: FeeRow = { amount, fee, balance, before: this.lastBalance, after: null };
        this.feeRows.push(row);
        this.waitingForAfter = row;
      }
    }
    this.lastBalance = balance === '' ? null : balance;
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

/**
 * Whether the amount already holds the fee column, decided by the running balance. A file
 * lists oldest or newest first, so each row with a fee other than zero is compared with the
 * balance of the row before it and of the row after it: from the neighbour that came first in
 * time, the balance moved by the amount less the fee, plus it, or by the amount alone. The
 * side that explains more rows is the file's order, and a rule is taken only when every row
 * compared on that side agrees with it; otherwise, or with no balance to tell, the user says
 * (never a silent guess: a wrong one would put every fee in or out of the ledger). Undefined
 * when no fee is other than zero.
 */
export function chooseFee(
  stats: CsvStats,
  amountIsNet: boolean,
  readMinor: (text: string) => number | null,
  negate: boolean,
): CsvFeeRule | undefined {
  if (amountIsNet) return 'included';
  if (stats.feesSeen === 0) return undefined;
  const sides = [new FeeTally(), new FeeTally()];
  for (const row of stats.feeRows) {
    const written = readMinor(row.amount);
    const fee = readMinor(row.fee);
    const balance = readMinor(row.balance);
    if (written === null || fee === null || balance === null) continue;
    const amount = negate ? -written : written;
    [row.before, row.after].forEach((text, side) => {
      const other = text === null ? null : readMinor(text);
      if (other === null) return;
      const moved = balance - other;
      const rule: CsvFeeRule | null =
        moved === amount - fee
          ? 'subtract'
          : moved === amount + fee
            ? 'add'
            : moved === amount
              ? 'included'
              : null;
      sides[side]?.count(rule);
    });
  }
  const [before, after] = sides as [FeeTally, FeeTally];
  const rule = (after.explained() > before.explained() ? after : before).soleRule();
  if (rule !== null) return rule;
  throw needsChoice(
    'fee',
    ['subtract', 'add', 'included'],
    '--fee',
    stats.feeRows.length === 0
      ? 'the file has a fee column and no running balance shows whether the amounts already hold the fees'
      : 'the running balance does not show one way the fee column counts',
  );
}

/** The rows one side of the balance explains, by rule, and those it explains by none. */
class FeeTally {
  private readonly rules = new Map<CsvFeeRule, number>();
  private unexplained = 0;

  count(rule: CsvFeeRule | null): void {
    if (rule === null) this.unexplained++;
    else this.rules.set(rule, (this.rules.get(rule) ?? 0) + 1);
  }

  explained(): number {
    let n = 0;
    for (const count of this.rules.values()) n += count;
    return n;
  }

  soleRule(): CsvFeeRule | null {
    const [only, ...others] = [...this.rules.keys()];
    return only !== undefined && others.length === 0 && this.unexplained === 0 ? only : null;
  }
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
