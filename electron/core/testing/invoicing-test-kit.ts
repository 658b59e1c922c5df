/**
 * Test helpers for the invoicing services: a real encrypted temp vault with a clock the
 * test can move, every invoicing service wired over it, and a snapshot of row and outbox
 * counts to prove that a failed call wrote nothing. Test-only.
 */
import { expect } from 'vitest';
import { isCofferError, type ErrorCode } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from './temp-vault.js';
import {
  createInvoicingServices,
  type InvoicingServices,
} from '../invoicing/invoicing-services.js';
import { clockedRecords } from './clocked-records.js';

/** 2025-03-15 12:00 UTC. */
export const NOW = Date.UTC(2025, 2, 15, 12);
export const TODAY = '2025-03-15';

export interface InvoicingKit extends InvoicingServices {
  temp: TempVault;
  clock: { now: number };
  /** Row counts of every invoicing table plus attachments and the outbox. */
  counts(): Record<string, number>;
  cleanup(): void;
}

const COUNTED = [
  'clients',
  'quotes',
  'quote_lines',
  'invoices',
  'invoice_lines',
  'payments',
  'payment_allocations',
  'recurring_schedules',
  'recurring_lines',
  'contracts',
  'receipts',
  'invoice_counter',
  'attachments',
  'outbox',
  'record_clocks',
];

export async function createInvoicingKit(): Promise<InvoicingKit> {
  const clock = { now: NOW };
  const temp = await createTempVault({ now: () => clock.now, outbox: true });
  const services = createInvoicingServices(temp.vault);
  return {
    ...services,
    temp,
    clock,
    counts() {
      return Object.fromEntries(
        COUNTED.map((table) => [
          table,
          table === 'record_clocks'
            ? clockedRecords(temp.vault.db)
            : Number(temp.vault.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()),
        ]),
      );
    },
    cleanup() {
      temp.cleanup();
    },
  };
}

/** Runs `fn`, expects a CofferError with `code`, and proves that no row or change was written. */
export function expectRejected(
  kit: InvoicingKit,
  code: ErrorCode,
  fn: () => unknown,
  message?: RegExp,
): void {
  const before = kit.counts();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeDefined();
  expect(isCofferError(caught) ? caught.code : caught).toBe(code);
  if (message !== undefined) expect((caught as Error).message).toMatch(message);
  expect(kit.counts()).toEqual(before);
}

export function line(
  description: string,
  quantityMilli: number,
  unitPriceMinor: number,
  taxRatePpm = 0,
  discountPpm = 0,
) {
  return {
    description,
    quantityMilli,
    unitPriceMinor,
    taxRatePpm,
    discountPpm,
  };
}

/** The outbox changes recorded since `afterSeq`, oldest first. */
export function changesSince(kit: InvoicingKit, afterSeq = 0) {
  return kit.temp.vault.changes.pending(10_000, afterSeq).map((e) => e.change);
}

export function lastSeq(kit: InvoicingKit): number {
  return Number(
    kit.temp.vault.db.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get(),
  );
}
