import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../errors/coffer-error.js';
import {
  computeDocumentTotals,
  computeLineTotals,
  type DocumentTotals,
  type LineAmountsInput,
} from './invoice-totals.js';

const line = (
  quantityMilli: number,
  unitPriceMinor: number,
  taxRatePpm = 0,
  discountPpm = 0,
): LineAmountsInput => ({
  quantityMilli,
  unitPriceMinor,
  taxRatePpm,
  discountPpm,
});

describe('computeLineTotals — hand-computed examples of the documented rule', () => {
  it('3 × 33.33 at 8.875 % tax: 99.99 net, 8.87 tax (8.874… rounds down), 108.86 total', () => {
    // gross = 3000 × 3333 / 1000 = 9999; tax = 9999 × 88750 / 1e6 = 887.41125 → 887
    expect(computeLineTotals(line(3000, 3333, 88_750))).toEqual({
      grossMinor: 9999,
      discountMinor: 0,
      netMinor: 9999,
      taxMinor: 887,
      totalMinor: 10_886,
    });
  });

  it('1.5 h × 99.99 with 10 % discount and 20 % tax rounds each step half up', () => {
    // gross = 1500 × 9999 / 1000 = 14998.5 → 14999
    // discount = 14999 × 0.1 = 1499.9 → 1500; net = 13499
    // tax = 13499 × 0.2 = 2699.8 → 2700; total = 16199
    expect(computeLineTotals(line(1500, 9999, 200_000, 100_000))).toEqual({
      grossMinor: 14_999,
      discountMinor: 1500,
      netMinor: 13_499,
      taxMinor: 2700,
      totalMinor: 16_199,
    });
  });

  it('rounds exact halves up (away from zero) at every step', () => {
    expect(computeLineTotals(line(500, 1)).grossMinor).toBe(1); // 0.5 → 1
    expect(computeLineTotals(line(1500, 1)).grossMinor).toBe(2); // 1.5 → 2 (half-even would give 2 too)
    expect(computeLineTotals(line(2500, 1)).grossMinor).toBe(3); // 2.5 → 3 (half-even would give 2)
    expect(computeLineTotals(line(1000, 50, 10_000)).taxMinor).toBe(1); // 0.5 → 1
    expect(computeLineTotals(line(1000, 250, 10_000)).taxMinor).toBe(3); // 2.5 → 3
    expect(computeLineTotals(line(1000, 5, 0, 100_000)).discountMinor).toBe(1); // 0.5 → 1
    expect(computeLineTotals(line(1000, 4, 0, 100_000)).discountMinor).toBe(0); // 0.4 → 0
  });

  it('a 100 % discount leaves nothing to tax; a zero price is a free line', () => {
    expect(computeLineTotals(line(2000, 1234, 200_000, 1_000_000))).toEqual({
      grossMinor: 2468,
      discountMinor: 2468,
      netMinor: 0,
      taxMinor: 0,
      totalMinor: 0,
    });
    expect(computeLineTotals(line(1000, 0, 200_000)).totalMinor).toBe(0);
  });

  it('rejects non-integer inputs instead of guessing', () => {
    expect(() => computeLineTotals(line(1.5, 100))).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE' }),
    );
    expect(() => computeLineTotals(line(1000, 10.5))).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE' }),
    );
  });
});

describe('computeDocumentTotals', () => {
  it('taxes per line, not on the sum: two lines of 0.50 at 1 % carry 0.01 tax each', () => {
    const totals = computeDocumentTotals([line(1000, 50, 10_000), line(1000, 50, 10_000)]);
    expect(totals.subtotalMinor).toBe(100);
    expect(totals.taxMinor).toBe(2); // 1.00 × 1 % on the sum would be 0.01
    expect(totals.totalMinor).toBe(102);
  });

  it('sums lines and breaks tax down by rate, ascending', () => {
    const totals = computeDocumentTotals([
      line(3000, 3333, 88_750), // net 9999, tax 887
      line(1500, 9999, 200_000, 100_000), // net 13499, tax 2700
      line(1000, 2500), // net 2500, no tax
      line(2000, 1000, 88_750), // net 2000, tax 177.5 → 178
    ]);
    expect(totals.grossMinor).toBe(9999 + 14_999 + 2500 + 2000);
    expect(totals.discountMinor).toBe(1500);
    expect(totals.subtotalMinor).toBe(9999 + 13_499 + 2500 + 2000);
    expect(totals.taxMinor).toBe(887 + 2700 + 178);
    expect(totals.totalMinor).toBe(totals.subtotalMinor + totals.taxMinor);
    expect(totals.taxBreakdown).toEqual([
      { taxRatePpm: 0, netMinor: 2500, taxMinor: 0 },
      { taxRatePpm: 88_750, netMinor: 11_999, taxMinor: 1065 },
      { taxRatePpm: 200_000, netMinor: 13_499, taxMinor: 2700 },
    ]);
    expect(totals.lines).toHaveLength(4);
  });

  it('an empty document totals zero', () => {
    expect(computeDocumentTotals([])).toEqual({
      lines: [],
      grossMinor: 0,
      discountMinor: 0,
      subtotalMinor: 0,
      taxMinor: 0,
      totalMinor: 0,
      taxBreakdown: [],
    });
  });

  it('fails with AMOUNT_OUT_OF_RANGE when a total passes Number.MAX_SAFE_INTEGER', () => {
    const huge = line(1000, Number.MAX_SAFE_INTEGER);
    expect(() => computeDocumentTotals([huge, line(1000, 1)])).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE' }),
    );
    expect(() => computeLineTotals(line(1000, Number.MAX_SAFE_INTEGER, 1_000_000))).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE' }),
    );
  });
});

// ---------------------------------------------------------------- properties

/** Independent oracle: half away from zero for non-negative values, written differently. */
const roundHalfUpNonNeg = (numerator: bigint, denominator: bigint): bigint =>
  (2n * numerator + denominator) / (2n * denominator);

const realisticLine = fc.record({
  quantityMilli: fc.integer({ min: 1, max: 10_000_000 }),
  unitPriceMinor: fc.integer({ min: 0, max: 100_000_000 }),
  taxRatePpm: fc.integer({ min: 0, max: 1_000_000 }),
  discountPpm: fc.integer({ min: 0, max: 1_000_000 }),
});

const anyLine = fc.record({
  quantityMilli: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  unitPriceMinor: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  taxRatePpm: fc.integer({ min: 0, max: 1_000_000 }),
  discountPpm: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('invoice totals properties', () => {
  it('document total = Σ line totals, subtotal = Σ nets, tax = Σ taxes, exactly', () => {
    fc.assert(
      fc.property(fc.array(realisticLine, { maxLength: 30 }), (lines) => {
        const doc = computeDocumentTotals(lines);
        const each = lines.map(computeLineTotals);
        expect(doc.lines).toEqual(each);
        expect(doc.totalMinor).toBe(each.reduce((s, l) => s + l.totalMinor, 0));
        expect(doc.subtotalMinor).toBe(each.reduce((s, l) => s + l.netMinor, 0));
        expect(doc.taxMinor).toBe(each.reduce((s, l) => s + l.taxMinor, 0));
        expect(doc.totalMinor).toBe(doc.subtotalMinor + doc.taxMinor);
        expect(doc.taxBreakdown.reduce((s, r) => s + r.taxMinor, 0)).toBe(doc.taxMinor);
        expect(doc.taxBreakdown.reduce((s, r) => s + r.netMinor, 0)).toBe(doc.subtotalMinor);
      }),
    );
  });

  it('matches an independent bigint oracle of the rule', () => {
    fc.assert(
      fc.property(realisticLine, (l) => {
        const gross = roundHalfUpNonNeg(BigInt(l.quantityMilli) * BigInt(l.unitPriceMinor), 1000n);
        const discount = roundHalfUpNonNeg(gross * BigInt(l.discountPpm), 1_000_000n);
        const net = gross - discount;
        const tax = roundHalfUpNonNeg(net * BigInt(l.taxRatePpm), 1_000_000n);
        expect(computeLineTotals(l)).toEqual({
          grossMinor: Number(gross),
          discountMinor: Number(discount),
          netMinor: Number(net),
          taxMinor: Number(tax),
          totalMinor: Number(net + tax),
        });
      }),
    );
  });

  it('tax is never negative and never more than the net; discount stays within gross', () => {
    fc.assert(
      fc.property(realisticLine, (l) => {
        const t = computeLineTotals(l);
        expect(t.netMinor).toBeGreaterThanOrEqual(0);
        expect(t.taxMinor).toBeGreaterThanOrEqual(0);
        expect(t.taxMinor).toBeLessThanOrEqual(t.netMinor);
        expect(t.discountMinor).toBeGreaterThanOrEqual(0);
        expect(t.discountMinor).toBeLessThanOrEqual(t.grossMinor);
      }),
    );
  });

  it('a quantity of exactly 1 (1000 thousandths) charges the unit price exactly; ×1 changes nothing', () => {
    fc.assert(
      fc.property(realisticLine, (l) => {
        expect(computeLineTotals({ ...l, quantityMilli: 1000 }).grossMinor).toBe(l.unitPriceMinor);
        expect(computeLineTotals({ ...l, quantityMilli: l.quantityMilli * 1 })).toEqual(
          computeLineTotals(l),
        );
      }),
    );
  });

  it('order of lines does not change the totals', () => {
    fc.assert(
      fc.property(fc.array(realisticLine, { maxLength: 10 }), (lines) => {
        const a = computeDocumentTotals(lines);
        const b = computeDocumentTotals([...lines].reverse());
        expect(b.totalMinor).toBe(a.totalMinor);
        expect(b.taxBreakdown).toEqual(a.taxBreakdown);
      }),
    );
  });

  it('every result is a safe integer, or the call fails with AMOUNT_OUT_OF_RANGE', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 5 }), (lines) => {
        let doc: DocumentTotals;
        try {
          doc = computeDocumentTotals(lines);
        } catch (error) {
          expect(isCofferError(error) && error.code === 'AMOUNT_OUT_OF_RANGE').toBe(true);
          return;
        }
        const values = [
          doc.grossMinor,
          doc.discountMinor,
          doc.subtotalMinor,
          doc.taxMinor,
          doc.totalMinor,
          ...doc.lines.flatMap((l) => [
            l.grossMinor,
            l.discountMinor,
            l.netMinor,
            l.taxMinor,
            l.totalMinor,
          ]),
          ...doc.taxBreakdown.flatMap((r) => [r.netMinor, r.taxMinor]),
        ];
        for (const v of values) expect(Number.isSafeInteger(v)).toBe(true);
      }),
    );
  });
});
