import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { decimalToMinor } from '../decimal-amount.js';
import { currencyName } from './header-names.js';

export type DecimalSeparator = '.' | ',';

/** An amount cell's sign, digits and currency, before the file's decimal separator is known. */
export interface AmountParts {
  negative: boolean;
  /** Digits and at most the separators as written, e.g. "1.234,56". */
  body: string;
  /** Currency code written in the cell ("EUR 12,00", "-3,80 €"), or null. */
  currency: string | null;
}

/** What one amount cell says before the file's decimal separator is known. */
export interface AmountCell extends AmountParts {
  /** What the cell says about the decimal separator: '.' or ',', or null when it cannot tell. */
  style: DecimalSeparator | null;
  /** True when the only separator is one "," or "." before exactly three digits ("1,234"). */
  ambiguous: boolean;
}

const CURRENCY_PREFIX = /^([A-Za-z]{3}|[$€£¥₹₩]|[A-Z]{1,2}\$|Fr\.|CHF)\s*/;
const CURRENCY_SUFFIX = /\s*([A-Za-z]{3}|[$€£¥₹₩]|Fr\.)$/;
const BODY = /^[0-9][0-9.,' \u00a0\u202f\u2009\u2019]*$|^[.,][0-9]+$/;
const GROUPING_ONLY = /[' \u00a0\u202f\u2009\u2019]/g;
const PLAIN = /^\d*[.,]?\d*$/;
const HAS_GROUPING = /[' \u00a0\u202f\u2009\u2019]/;

/**
 * Splits an amount cell into sign, number and currency: symbols or codes before or after
 * ("$20.00", "-123,45 €", "EUR 1.234,56", "CHF 1'234.50"), a leading "+", "-" or "−",
 * parentheses or a trailing minus ("12.34-") for negatives. Null when it is no amount.
 */
export function readAmountCell(cell: string): AmountCell | null {
  return readAmount(cell, true);
}

/**
 * `readAmountCell` without what the cell says about the decimal separator: the rows of a
 * file, read once that separator is known, need only this.
 */
export function readAmountParts(cell: string): AmountParts | null {
  return readAmount(cell, false);
}

function readAmount(cell: string, withStyle: boolean): AmountCell | null {
  let text = cell.trim();
  // "23.40 DR", "2,500.00 CR": the marker is the sign, so the number carries none of its own.
  let debitMark: boolean | null = null;
  if (mayEndAMark(text.charCodeAt(text.length - 1))) {
    const mark = DEBIT_CREDIT_MARK.exec(text);
    if (mark !== null) {
      debitMark = (mark[1] ?? '').toUpperCase() === 'DR';
      text = text.slice(0, mark.index).trim();
    }
  }
  if (debitMark === null) return readSigned(text, withStyle);
  // A marked number with a sign of its own says two things: no amount.
  // (Parentheses and a trailing minus come back as negative; a plus sign does not.)
  if (isSign(text) || text.endsWith('+')) return null;
  const parsed = readSigned(text, withStyle);
  return parsed === null || parsed.negative ? null : { ...parsed, negative: debitMark };
}

/** A trailing debit or credit mark, not the end of a word or a currency code. */
const DEBIT_CREDIT_MARK = /(?<![A-Za-z])(DR|CR)\.?$/i;

/** A letter or a dot: most cells end in a digit and skip the mark's pattern. */
function mayEndAMark(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2e;
}

function readSigned(cell: string, withStyle: boolean): AmountCell | null {
  let text = cell;
  let negative = false;
  let currency: string | null = null;
  if (text.charCodeAt(0) === OPEN_PAREN) {
    const paren = PARENTHESISED.exec(text);
    if (paren !== null) {
      negative = true;
      text = (paren[1] ?? '').trim();
    }
  }
  // A cell is read once per pass of a 100k-row file: the sign is a plain check here, not a
  // closure made for every cell.
  let signed = isSign(text);
  if (signed) {
    if (text[0] !== '+') negative = !negative;
    text = text.slice(1).trim();
  }
  if (!isDigit(text.charCodeAt(0))) {
    const prefix = CURRENCY_PREFIX.exec(text);
    if (prefix !== null) {
      currency = currencyName(prefix[1] ?? '');
      text = text.slice(prefix[0].length);
      if (!signed && isSign(text)) {
        signed = true;
        if (text[0] !== '+') negative = !negative;
        text = text.slice(1).trim();
      }
    }
  }
  // Only a cell that ends in something other than a digit or separator can carry a suffix.
  if (!isDigit(text.charCodeAt(text.length - 1))) {
    const suffix = CURRENCY_SUFFIX.exec(text);
    if (suffix !== null) {
      currency ??= currencyName(suffix[1] ?? '');
      text = text.slice(0, text.length - suffix[0].length);
    }
  }
  const last = text[text.length - 1];
  if (!signed && (last === '-' || last === '+')) {
    if (last === '-') negative = !negative;
    text = text.slice(0, -1).trim();
  }
  if (!BODY.test(text)) return null;
  const { style, ambiguous } = withStyle ? separatorStyle(text) : NO_STYLE;
  return { negative, body: text, currency, style, ambiguous };
}

const OPEN_PAREN = 0x28;
const PARENTHESISED = /^\((.*)\)$/;

function isSign(text: string): boolean {
  const c = text[0];
  return c === '-' || c === '\u2212' || c === '+';
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// separatorStyle's answers, shared: one is asked for every amount cell of a file.
const NO_STYLE = { style: null, ambiguous: false } as const;
const AMBIGUOUS = { style: null, ambiguous: true } as const;
const POINT = { style: '.', ambiguous: false } as const;
const COMMA = { style: ',', ambiguous: false } as const;

function styled(mark: DecimalSeparator): typeof POINT | typeof COMMA {
  return mark === '.' ? POINT : COMMA;
}

function separatorStyle(body: string): { style: DecimalSeparator | null; ambiguous: boolean } {
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot === -1 && lastComma === -1) return NO_STYLE;
  if (lastDot !== -1 && lastComma !== -1) return styled(lastDot > lastComma ? '.' : ',');
  const mark = lastDot !== -1 ? '.' : ',';
  const other: DecimalSeparator = mark === '.' ? ',' : '.';
  // "1.234.567" groups thousands; the decimal separator is then the other one.
  if (body.indexOf(mark) !== body.lastIndexOf(mark)) return styled(other);
  const after = body.length - body.lastIndexOf(mark) - 1;
  if (after === 3) {
    // "1'234.567" or "1 234,567": another grouping character makes this mark the decimal.
    if (HAS_GROUPING.test(body)) return styled(mark);
    return AMBIGUOUS;
  }
  return styled(mark);
}

/**
 * The cell in minor units of `currency` once the file's decimal separator is known.
 * Throws INVALID_AMOUNT (or TOO_MANY_DECIMALS, AMOUNT_OUT_OF_RANGE) for a cell that does
 * not fit the file's style.
 */
export function amountToMinor(
  cell: AmountParts,
  decimal: DecimalSeparator,
  currency: string,
  original: string,
): number {
  if (PLAIN.test(cell.body)) {
    // The common case, "1234.56" or "1234,56": no grouping to check.
    const text = decimal === ',' ? cell.body.replace(',', '.') : cell.body;
    if (decimal === '.' ? !cell.body.includes(',') : !cell.body.includes('.')) {
      const minor = decimalToMinor(text, currency);
      return cell.negative && minor !== 0 ? -minor : minor;
    }
  }
  const grouping = decimal === '.' ? ',' : '.';
  const parts = cell.body.replace(GROUPING_ONLY, '').split(grouping);
  // Grouping marks must separate groups of three digits.
  for (let i = 1; i < parts.length; i++) {
    const group = parts[i] ?? '';
    const digits = i === parts.length - 1 ? (group.split(decimal)[0] ?? '') : group;
    if (digits.length !== 3) throw invalid(original, decimal);
  }
  const plain = parts.join('');
  const pieces = plain.split(decimal);
  if (pieces.length > 2) throw invalid(original, decimal);
  const text = pieces.length === 2 ? `${pieces[0] ?? ''}.${pieces[1] ?? ''}` : plain;
  const minor = decimalToMinor(text, currency);
  return cell.negative && minor !== 0 ? -minor : minor;
}

function invalid(cell: string, decimal: DecimalSeparator): CofferError {
  return new CofferError(
    'INVALID_AMOUNT',
    `"${cell.slice(0, 40)}" is not an amount with "${decimal}" as the decimal separator (--decimal-separator)`,
    { input: cell.slice(0, 40) },
  );
}
