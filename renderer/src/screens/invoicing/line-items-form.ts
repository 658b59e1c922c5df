/**
 * Invoice, quote and schedule lines as a person types them (quantity "1.5", price "80.00",
 * tax "20" %) and as the core stores them (thousandths, minor units, parts per million).
 * The reading uses the shared parsers, and the live totals the shared totals code, so
 * what the editor shows is what the core will compute.
 */
import { z } from 'zod';
import type {
  DocumentLine,
  DocumentLineInput,
} from '../../../../shared/domain/invoicing.schema.js';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import {
  computeDocumentTotals,
  type DocumentTotals,
} from '../../../../shared/invoice/invoice-totals.js';
import {
  formatPercentPpm,
  formatQuantityMilli,
  parsePercentPpm,
  parseQuantityMilli,
} from '../../../../shared/invoice/parse-line-values.js';
import { isCurrencyCode } from '../../../../shared/money/currency.js';
import { minorToDecimalString } from '../../../../shared/money/format-money.js';
import { readAmount } from '../../ui/amount-field.js';

export const LineFormSchema = z.object({
  description: z.string().trim().min(1, 'Describe the work or item').max(2_000),
  quantity: z.string(),
  unitPrice: z.string(),
  taxRate: z.string(),
  discount: z.string(),
});
export type LineFormValues = z.input<typeof LineFormSchema>;

export const EMPTY_LINE: LineFormValues = {
  description: '',
  quantity: '1',
  unitPrice: '',
  taxRate: '0',
  discount: '0',
};

type LineField = 'quantity' | 'unitPrice' | 'taxRate' | 'discount';
type LineAmounts = Omit<DocumentLineInput, 'description'> & {
  taxRatePpm: number;
  discountPpm: number;
};

function messageOf(error: unknown): string {
  return isCofferError(error) ? error.message : 'Not a number';
}

/** The line's numbers, or what is wrong with each field that does not read. */
export function readLineAmounts(
  line: LineFormValues,
  currency: string,
): { amounts: LineAmounts } | { errors: Partial<Record<LineField, string>> } {
  const errors: Partial<Record<LineField, string>> = {};
  const attempt = (field: LineField, read: () => number): number => {
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
    const price = readAmount(line.unitPrice, currency);
    if ('error' in price) errors.unitPrice = price.error;
    else if (price.minor < 0) errors.unitPrice = 'A price must not be negative';
    else unitPriceMinor = price.minor;
  }
  const percent = (text: string): number => parsePercentPpm(text.trim() === '' ? '0' : text);
  const taxRatePpm = attempt('taxRate', () => percent(line.taxRate));
  const discountPpm = attempt('discount', () => percent(line.discount));
  if (Object.keys(errors).length > 0) return { errors };
  return { amounts: { quantityMilli, unitPriceMinor, taxRatePpm, discountPpm } };
}

/** Puts every unreadable line field's message on that field (a zod refinement). */
export function refineLines(
  lines: readonly LineFormValues[],
  currency: string,
  ctx: z.RefinementCtx,
): void {
  if (lines.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['lines'], message: 'Add at least one line' });
  }
  lines.forEach((line, index) => {
    const read = readLineAmounts(line, currency);
    if (!('errors' in read)) return;
    for (const [field, message] of Object.entries(read.errors)) {
      ctx.addIssue({ code: 'custom', path: ['lines', index, field], message });
    }
  });
}

/** The lines as the API takes them; call only once the form validated. */
export function toLineInputs(
  lines: readonly LineFormValues[],
  currency: string,
): DocumentLineInput[] {
  return lines.map((line) => {
    const read = readLineAmounts(line, currency);
    if ('errors' in read) throw new Error('toLineInputs called on lines that do not read');
    return { description: line.description.trim(), ...read.amounts };
  });
}

/** Stored lines back into the editor's text. */
export function toLineForm(lines: readonly DocumentLine[], currency: string): LineFormValues[] {
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
  lines: readonly LineFormValues[],
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
