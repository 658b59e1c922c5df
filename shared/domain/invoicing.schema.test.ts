import { describe, expect, it } from 'vitest';
import {
  ClientInputSchema,
  DocumentLineInputSchema,
  DocumentLineSchema,
  InvoiceDraftInputSchema,
  InvoicePatchSchema,
  InvoiceSchema,
  PaymentInputSchema,
  QuoteInputSchema,
  ReceiptInputSchema,
  RecurringScheduleInputSchema,
} from './invoicing.schema.js';

const ID = '01900000-0000-7000-8000-000000000001';

const paths = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[] }[] };
}): string[] =>
  result.success ? [] : [...new Set((result.error?.issues ?? []).map((i) => i.path.join('.')))];

describe('DocumentLine', () => {
  const good = {
    id: ID,
    description: 'Design',
    quantityMilli: 1500,
    unitPriceMinor: 9999,
    taxRatePpm: 88_750,
    discountPpm: 0,
  };

  it('accepts integer thousandths, minor units and ppm', () => {
    expect(DocumentLineSchema.parse(good)).toEqual(good);
    expect(DocumentLineSchema.safeParse({ ...good, unitPriceMinor: 0 }).success).toBe(true);
    expect(
      DocumentLineSchema.safeParse({
        ...good,
        taxRatePpm: 1_000_000,
        discountPpm: 1_000_000,
      }).success,
    ).toBe(true);
  });

  it('rejects floats, zero quantities and out-of-range rates', () => {
    expect(paths(DocumentLineSchema.safeParse({ ...good, quantityMilli: 1.5 }))).toEqual([
      'quantityMilli',
    ]);
    expect(paths(DocumentLineSchema.safeParse({ ...good, quantityMilli: 0 }))).toEqual([
      'quantityMilli',
    ]);
    expect(paths(DocumentLineSchema.safeParse({ ...good, unitPriceMinor: 33.33 }))).toEqual([
      'unitPriceMinor',
    ]);
    expect(paths(DocumentLineSchema.safeParse({ ...good, unitPriceMinor: -1 }))).toEqual([
      'unitPriceMinor',
    ]);
    expect(paths(DocumentLineSchema.safeParse({ ...good, taxRatePpm: 1_000_001 }))).toEqual([
      'taxRatePpm',
    ]);
    expect(paths(DocumentLineSchema.safeParse({ ...good, discountPpm: -1 }))).toEqual([
      'discountPpm',
    ]);
    expect(paths(DocumentLineSchema.safeParse({ ...good, unitPriceMinor: 2 ** 53 }))).toEqual([
      'unitPriceMinor',
    ]);
  });

  it('line input defaults rates to 0 and refuses unknown fields', () => {
    expect(
      DocumentLineInputSchema.parse({
        description: 'x',
        quantityMilli: 1000,
        unitPriceMinor: 5,
      }),
    ).toEqual({
      description: 'x',
      quantityMilli: 1000,
      unitPriceMinor: 5,
      taxRatePpm: 0,
      discountPpm: 0,
    });
    expect(
      DocumentLineInputSchema.safeParse({
        description: 'x',
        quantityMilli: 1000,
        unitPriceMinor: 5,
        price: 5,
      }).success,
    ).toBe(false);
  });
});

describe('Client input', () => {
  it('fills optional fields with null and checks email and currency', () => {
    expect(ClientInputSchema.parse({ name: ' Acme ' })).toEqual({
      name: 'Acme',
      email: null,
      phone: null,
      address: null,
      taxId: null,
      notes: '',
      defaultCurrency: null,
    });
    expect(paths(ClientInputSchema.safeParse({ name: 'A', email: 'nope' }))).toEqual(['email']);
    expect(paths(ClientInputSchema.safeParse({ name: 'A', defaultCurrency: 'usd' }))).toEqual([
      'defaultCurrency',
    ]);
    expect(paths(ClientInputSchema.safeParse({ name: '  ' }))).toEqual(['name']);
    expect(paths(ClientInputSchema.safeParse({ name: 'A\u0007' }))).toEqual(['name']);
  });
});

describe('Invoice', () => {
  it('draft input refuses a due date before the issue date and a bad date', () => {
    expect(
      paths(
        InvoiceDraftInputSchema.safeParse({
          client: 'Acme',
          issueDate: '2025-03-10',
          dueDate: '2025-03-09',
        }),
      ),
    ).toEqual(['dueDate']);
    expect(
      paths(
        InvoiceDraftInputSchema.safeParse({
          client: 'Acme',
          issueDate: '2025-02-30',
        }),
      ),
    ).toEqual(['issueDate']);
  });

  it('stored status cannot be the derived `overdue`', () => {
    const invoice = {
      id: ID,
      clientId: ID,
      number: null,
      currency: 'USD',
      issueDate: null,
      dueDate: null,
      status: 'draft',
      lines: [],
      paymentInstructions: { method: 'zelle', details: 'pay@example.com' },
      notes: '',
      quoteId: null,
      scheduleId: null,
      createdAt: 0,
      updatedAt: 0,
    };
    expect(InvoiceSchema.safeParse(invoice).success).toBe(true);
    expect(paths(InvoiceSchema.safeParse({ ...invoice, status: 'overdue' }))).toEqual(['status']);
    expect(
      paths(
        InvoiceSchema.safeParse({
          ...invoice,
          paymentInstructions: { method: 'bitcoin', details: '' },
        }),
      ),
    ).toEqual(['paymentInstructions.method']);
  });
});

describe('Payment input', () => {
  it('needs a positive integer amount and positive allocations', () => {
    const base = { date: '2025-03-01', amountMinor: 1000, currency: 'USD' };
    expect(PaymentInputSchema.parse(base)).toMatchObject({
      method: 'other',
      allocations: [],
      client: null,
      accountId: null,
    });
    expect(paths(PaymentInputSchema.safeParse({ ...base, amountMinor: 0 }))).toEqual([
      'amountMinor',
    ]);
    expect(paths(PaymentInputSchema.safeParse({ ...base, amountMinor: 10.5 }))).toEqual([
      'amountMinor',
    ]);
    expect(
      paths(
        PaymentInputSchema.safeParse({
          ...base,
          allocations: [{ invoice: 'INV-0001', amountMinor: 0 }],
        }),
      ),
    ).toEqual(['allocations.0.amountMinor']);
  });
});

describe('Recurring schedule input', () => {
  it('needs lines, an interval ≥ 1 and an end date not before the start', () => {
    const base = {
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2025-01-31',
      lines: [
        {
          description: 'Retainer',
          quantityMilli: 1000,
          unitPriceMinor: 100_000,
        },
      ],
    };
    expect(RecurringScheduleInputSchema.parse(base)).toMatchObject({
      interval: 1,
      dueDays: 30,
      endDate: null,
    });
    expect(paths(RecurringScheduleInputSchema.safeParse({ ...base, lines: [] }))).toEqual([
      'lines',
    ]);
    expect(paths(RecurringScheduleInputSchema.safeParse({ ...base, interval: 0 }))).toEqual([
      'interval',
    ]);
    expect(
      paths(
        RecurringScheduleInputSchema.safeParse({
          ...base,
          endDate: '2025-01-30',
        }),
      ),
    ).toEqual(['endDate']);
    expect(paths(RecurringScheduleInputSchema.safeParse({ ...base, frequency: 'daily' }))).toEqual([
      'frequency',
    ]);
  });
});

describe('Receipt input', () => {
  it('takes amount and currency together or not at all', () => {
    expect(ReceiptInputSchema.safeParse({ date: '2025-03-01' }).success).toBe(true);
    expect(
      ReceiptInputSchema.safeParse({
        date: '2025-03-01',
        amountMinor: 500,
        currency: 'EUR',
      }).success,
    ).toBe(true);
    expect(paths(ReceiptInputSchema.safeParse({ date: '2025-03-01', amountMinor: 500 }))).toEqual([
      '',
    ]);
  });
});

describe('requested deposit', () => {
  // Total 10 000 minor units.
  const lines = [{ description: 'Work', quantityMilli: 1000, unitPriceMinor: 10_000 }];
  const draft = (deposit: unknown, extra: Record<string, unknown> = {}) =>
    InvoiceDraftInputSchema.safeParse({ client: 'Acme', lines, deposit, ...extra });

  it('accepts an amount up to the total, or a percentage, due on or before the invoice', () => {
    expect(draft({ amountMinor: 10_000 }).success).toBe(true);
    expect(
      draft({ percentPpm: 250_000, dueDate: '2025-01-31' }, { dueDate: '2025-01-31' }).success,
    ).toBe(true);
    expect(
      QuoteInputSchema.safeParse({ client: 'Acme', lines, deposit: { amountMinor: 1 } }).success,
    ).toBe(true);
  });

  it('refuses a deposit above the total', () => {
    expect(paths(draft({ amountMinor: 10_001 }))).toEqual(['deposit.amountMinor']);
    expect(
      paths(
        QuoteInputSchema.safeParse({ client: 'Acme', lines, deposit: { amountMinor: 10_001 } }),
      ),
    ).toEqual(['deposit.amountMinor']);
    expect(
      paths(InvoicePatchSchema.safeParse({ lines, deposit: { amountMinor: 10_001 } })),
    ).toEqual(['deposit.amountMinor']);
  });

  it('refuses zero, negative, non-integer and out-of-range amounts and percentages', () => {
    expect(paths(draft({ amountMinor: 0 }))).toEqual(['deposit.amountMinor']);
    expect(paths(draft({ amountMinor: -100 }))).toEqual(['deposit.amountMinor']);
    expect(paths(draft({ amountMinor: 12.5 }))).toEqual(['deposit.amountMinor']);
    expect(paths(draft({ percentPpm: 0 }))).toEqual(['deposit.percentPpm']);
    expect(paths(draft({ percentPpm: 1_000_001 }))).toEqual(['deposit.percentPpm']);
    expect(paths(draft({ percentPpm: 2.5 }))).toEqual(['deposit.percentPpm']);
    // 0.0001 % of 10 000 rounds to 0 minor units.
    expect(paths(draft({ percentPpm: 1 }))).toEqual(['deposit.percentPpm']);
  });

  it('needs exactly one of amount and percentage', () => {
    expect(draft({ amountMinor: 100, percentPpm: 100_000 }).success).toBe(false);
    expect(draft({ dueDate: '2025-01-01' }).success).toBe(false);
    expect(draft({ amountMinor: 100, extra: 1 }).success).toBe(false);
  });

  it('refuses a deposit due after the invoice', () => {
    expect(
      paths(draft({ amountMinor: 100, dueDate: '2025-02-01' }, { dueDate: '2025-01-31' })),
    ).toEqual(['deposit.dueDate']);
    expect(
      paths(
        InvoicePatchSchema.safeParse({
          dueDate: '2025-01-31',
          deposit: { amountMinor: 1, dueDate: '2025-02-01' },
        }),
      ),
    ).toEqual(['deposit.dueDate']);
    expect(paths(draft({ amountMinor: 100, dueDate: '2025-13-01' }))).toEqual(['deposit.dueDate']);
  });
});
