/**
 * Exact invoice, quote and schedule totals, in integer minor units.
 *
 * ROUNDING RULE (the one Coffer documents to users; do not change without a migration
 * note): every step is exact integer (bigint) arithmetic, and each of the three divisions
 * rounds half up, meaning half AWAY FROM ZERO (2.5 → 3, −2.5 → −3), per line:
 *
 *   gross    = round_half_up(quantityMilli × unitPriceMinor / 1000)
 *   discount = round_half_up(gross × discountPpm / 1_000_000)
 *   net      = gross − discount
 *   tax      = round_half_up(net × taxRatePpm / 1_000_000)
 *   total    = net + tax
 *
 * and per document:
 *
 *   subtotal = Σ line net,  tax = Σ line tax,  total = subtotal + tax
 *
 * Tax is rounded per line, never on the document sum, so each line's printed amounts add
 * up to the printed document totals with no penny of difference. The tax breakdown
 * groups lines by rate; its tax per rate is the sum of that rate's line taxes (not a
 * re-rounding of the rate's net), so the breakdown also adds up exactly.
 *
 * Every amount returned is a safe integer; anything larger fails with AMOUNT_OUT_OF_RANGE.
 */
import { CofferError } from '../errors/coffer-error.js';
import { divRoundHalfUp } from '../money/rounding.js';

export interface LineAmountsInput {
  readonly quantityMilli: number;
  readonly unitPriceMinor: number;
  readonly taxRatePpm: number;
  readonly discountPpm: number;
}

export interface LineTotals {
  grossMinor: number;
  discountMinor: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface TaxBreakdownRow {
  taxRatePpm: number;
  /** Σ net of the lines at this rate. */
  netMinor: number;
  /** Σ tax of the lines at this rate. */
  taxMinor: number;
}

export interface DocumentTotals {
  lines: LineTotals[];
  /** Σ line gross, before discounts. */
  grossMinor: number;
  /** Σ line discounts. */
  discountMinor: number;
  /** Σ line net (after discounts, before tax). */
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** One row per distinct tax rate, ascending by rate. */
  taxBreakdown: TaxBreakdownRow[];
}

const MILLI = 1_000n;
const PPM = 1_000_000n;
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

function toSafeNumber(value: bigint, what: string): number {
  if (value > MAX || value < -MAX) {
    throw new CofferError('AMOUNT_OUT_OF_RANGE', `The ${what} is too large to represent exactly.`);
  }
  return Number(value);
}

function requireInteger(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value)) {
    throw new CofferError('AMOUNT_OUT_OF_RANGE', `The line ${what} must be a safe integer.`);
  }
  return BigInt(value);
}

interface BigLine {
  gross: bigint;
  discount: bigint;
  net: bigint;
  tax: bigint;
}

function bigLineTotals(line: LineAmountsInput): BigLine {
  const quantity = requireInteger(line.quantityMilli, 'quantity');
  const price = requireInteger(line.unitPriceMinor, 'unit price');
  const taxRate = requireInteger(line.taxRatePpm, 'tax rate');
  const discountRate = requireInteger(line.discountPpm, 'discount');
  const gross = divRoundHalfUp(quantity * price, MILLI);
  const discount = divRoundHalfUp(gross * discountRate, PPM);
  const net = gross - discount;
  const tax = divRoundHalfUp(net * taxRate, PPM);
  return { gross, discount, net, tax };
}

function toLineTotals(line: BigLine): LineTotals {
  return {
    grossMinor: toSafeNumber(line.gross, 'line amount'),
    discountMinor: toSafeNumber(line.discount, 'line discount'),
    netMinor: toSafeNumber(line.net, 'line net amount'),
    taxMinor: toSafeNumber(line.tax, 'line tax'),
    totalMinor: toSafeNumber(line.net + line.tax, 'line total'),
  };
}

export function computeLineTotals(line: LineAmountsInput): LineTotals {
  return toLineTotals(bigLineTotals(line));
}

export function computeDocumentTotals(lines: readonly LineAmountsInput[]): DocumentTotals {
  const big = lines.map(bigLineTotals);
  let gross = 0n;
  let discount = 0n;
  let net = 0n;
  let tax = 0n;
  const byRate = new Map<number, { net: bigint; tax: bigint }>();
  big.forEach((line, index) => {
    gross += line.gross;
    discount += line.discount;
    net += line.net;
    tax += line.tax;
    const rate = lines[index]?.taxRatePpm ?? 0;
    const row = byRate.get(rate) ?? { net: 0n, tax: 0n };
    row.net += line.net;
    row.tax += line.tax;
    byRate.set(rate, row);
  });
  return {
    lines: big.map(toLineTotals),
    grossMinor: toSafeNumber(gross, 'document amount'),
    discountMinor: toSafeNumber(discount, 'document discount'),
    subtotalMinor: toSafeNumber(net, 'document subtotal'),
    taxMinor: toSafeNumber(tax, 'document tax'),
    totalMinor: toSafeNumber(net + tax, 'document total'),
    taxBreakdown: [...byRate.entries()]
      .sort(([a], [b]) => a - b)
      .map(([taxRatePpm, row]) => ({
        taxRatePpm,
        netMinor: toSafeNumber(row.net, 'tax breakdown amount'),
        taxMinor: toSafeNumber(row.tax, 'tax breakdown amount'),
      })),
  };
}
