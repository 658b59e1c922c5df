import { describe, expect, it } from 'vitest';
import { computeDocumentTotals } from './invoice-totals.js';
import { liveTotals, readLineAmounts, toLineForm, toLineInputs } from './line-text.js';

const design = {
  description: 'Design',
  quantity: '1.5',
  unitPrice: '1,234.56',
  taxRate: '8.875',
  discount: '10',
};
const hosting = {
  description: 'Hosting',
  quantity: '3',
  unitPrice: '0.99',
  taxRate: '',
  discount: '',
};
const typed = [design, hosting];

describe('invoice lines as typed', () => {
  it('reads quantities, prices and rates exactly, and totals them as the core does', () => {
    const lines = toLineInputs(typed, 'EUR');
    expect(lines[0]).toEqual({
      description: 'Design',
      quantityMilli: 1_500,
      unitPriceMinor: 123_456,
      taxRatePpm: 88_750,
      discountPpm: 100_000,
    });
    const core = computeDocumentTotals(
      lines.map((l) => ({ ...l, taxRatePpm: l.taxRatePpm ?? 0, discountPpm: l.discountPpm ?? 0 })),
    );
    expect(liveTotals(typed, 'EUR')?.totals).toEqual(core);
  });

  it('says what is wrong with each field that does not read, and counts only the rest', () => {
    const bad = {
      description: 'X',
      quantity: '1.2345',
      unitPrice: '-5',
      taxRate: '101',
      discount: 'ten',
    };
    const read = readLineAmounts(bad, 'EUR');
    expect('errors' in read && Object.keys(read.errors).sort()).toEqual([
      'discount',
      'quantity',
      'taxRate',
      'unitPrice',
    ]);
    const live = liveTotals([bad, hosting], 'EUR');
    expect(live?.lineTotals).toEqual([null, 297]);
    expect(live?.totals.totalMinor).toBe(297);
  });

  it("uses the currency's decimals: a yen price has none", () => {
    expect('errors' in readLineAmounts(hosting, 'JPY')).toBe(true);
    expect(liveTotals(typed, 'EURO')).toBeNull();
  });

  it('turns stored lines back into the text that reads to the same lines', () => {
    const lines = toLineInputs(typed, 'EUR');
    const stored = lines.map((l, i) => ({ id: `id-${i}`, taxRatePpm: 0, discountPpm: 0, ...l }));
    expect(toLineInputs(toLineForm(stored, 'EUR'), 'EUR')).toEqual(lines);
  });
});
