/**
 * Document lines as a person types them (quantity "1.5", price "80.00", tax "20" %) and as
 * the core stores them (thousandths, minor units, parts per million). Reading uses the
 * shared parsers and the live totals the shared totals code, so what an editor shows
 * while typing is what the core will compute.
 */
import type { DocumentLine, DocumentLineInput } from '../domain/invoicing.schema.js';
import { CofferError, isCofferError } from '../errors/coffer-error.js';
import { isCurrencyCode } from '../money/currency.js';
import { minorToDecimalString } from '../money/format-money.js';
import { parseAmount } from '../money/parse-amount.js';
import { computeDocumentTotals, type DocumentTotals } from './invoice-totals.js';
import {
  formatPercentPpm,
  formatQuantityMilli,
  parsePercentPpm,
  parseQuantityMilli,
} from './parse-line-values.js';

/** One line's fields as typed. */
export interface LineText {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  discount: string;
}

export type LineTextField = 'quantity' | 'unitPrice' | 'taxRate' | 'discount';

type LineAmounts = Omit<DocumentLineInput, 'description'> & {
  taxRatePpm: number;
  discountPpm: number;
};

function messageOf(error: unknown): string {
  return isCofferError(error) ? error.message : 'Not a number';
}

/** The line's numbers, or what is wrong with each field that does not read. */
export function readLineAmounts(
  line: LineText,
  currency: string,
): { amounts: LineAmounts } | { errors: Partial<Record<LineTextField, string>> } {
  const errors: Partial<Record<LineTextField, string>> = {};
  const attempt = (field: LineTextField, read: () => number): number => {
    try {
      return read();
    } catch (error) {
      errors[field] = messageOf(error);
      return 0;
    }
  };
  const quantityMilli = attempt('quantity', () => parseQuantityMilli(line.quantity));
  let unitPriceMinor = 0;
  if (isCurrencyCode(currency)) {
    unitPriceMinor = attempt('unitPrice', () => {
      const minor = parseAmount(line.unitPrice, currency);
      if (minor < 0) throw new CofferError('INVALID_AMOUNT', 'A price must not be negative');
      return minor;
    });
  }
  const percent = (text: string): number => parsePercentPpm(text.trim() === '' ? '0' : text);
  const taxRatePpm = attempt('taxRate', () => percent(line.taxRate));
  const discountPpm = attempt('discount', () => percent(line.discount));
  if (Object.keys(errors).length > 0) return { errors };
  return { amounts: { quantityMilli, unitPriceMinor, taxRatePpm, discountPpm } };
}

/** The lines as the API takes them; call only once the form validated. */
export function toLineInputs(lines: readonly LineText[], currency: string): DocumentLineInput[] {
  return lines.map((line) => {
    const read = readLineAmounts(line, currency);
    if ('errors' in read) throw new Error('toLineInputs called on lines that do not read');
    return { description: line.description.trim(), ...read.amounts };
  });
}

/** Stored lines back into the editor's text. */
export function toLineForm(lines: readonly DocumentLine[], currency: string): LineText[] {
  return lines.map((line) => ({
    description: line.description,
    quantity: formatQuantityMilli(line.quantityMilli),
    unitPrice: minorToDecimalString(line.unitPriceMinor, currency),
    taxRate: formatPercentPpm(line.taxRatePpm),
    discount: formatPercentPpm(line.discountPpm),
  }));
}

/**
 * Totals of the lines that read so far: an unreadable line counts as nothing, and is
 * marked null in `lineTotals`, so the totals move as the person types.
 */
export function liveTotals(
  lines: readonly LineText[],
  currency: string,
): { totals: DocumentTotals; lineTotals: (number | null)[] } | null {
  if (!isCurrencyCode(currency)) return null;
  const read = lines.map((line) => readLineAmounts(line, currency));
  const good = read.flatMap((r) => ('amounts' in r ? [r.amounts] : []));
  try {
    const totals = computeDocumentTotals(good);
    let next = 0;
    const lineTotals = read.map((r) =>
      'amounts' in r ? (totals.lines[next++]?.totalMinor ?? null) : null,
    );
    return { totals, lineTotals };
  } catch {
    return null; // a total too large to represent: the field errors say why on submit
  }
}
