import * as z from 'zod';
import { readLineAmounts, type LineText } from '../../../../shared/invoice/line-text.js';

export { liveTotals, toLineForm, toLineInputs } from '../../../../shared/invoice/line-text.js';

/** One line of a document form; the numbers are read by the shared line reader. */
export const LineFormSchema = z.object({
  description: z.string().trim().min(1, 'Describe the work or item').max(2_000),
  quantity: z.string(),
  unitPrice: z.string(),
  taxRate: z.string(),
  discount: z.string(),
});
export type LineFormValues = LineText;

export const EMPTY_LINE: LineFormValues = {
  description: '',
  quantity: '1',
  unitPrice: '',
  taxRate: '0',
  discount: '0',
};

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
