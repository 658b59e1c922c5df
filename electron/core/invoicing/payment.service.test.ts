import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import {
  TODAY,
  changesSince,
  createInvoicingKit,
  expectRejected,
  lastSeq,
  line,
  type InvoicingKit,
} from '../testing/invoicing-test-kit.js';

let kit: InvoicingKit;
let inv1: string; // INV-0001, Acme, USD 100.00
let inv2: string; // INV-0002, Acme, USD 50.00

beforeEach(async () => {
  kit = await createInvoicingKit();
  kit.clients.create({ name: 'Acme', defaultCurrency: 'USD' });
  kit.clients.create({ name: 'Globex', defaultCurrency: 'EUR' });
  inv1 = kit.invoices.issue(
    kit.invoices.createDraft({ client: 'Acme', lines: [line('A', 1000, 10_000)] }).id,
  ).id;
  inv2 = kit.invoices.issue(
    kit.invoices.createDraft({ client: 'Acme', lines: [line('B', 1000, 5000)] }).id,
  ).id;
});
afterEach(() => kit.cleanup());

describe('PaymentService', () => {
  it('a partial payment then the rest: sent → partially_paid → paid, in the same transaction as the payment', () => {
    const seq = lastSeq(kit);
    const first = kit.payments.record({
      date: '2025-03-14',
      amountMinor: 4000,
      currency: 'USD',
      method: 'bank_transfer',
      reference: 'WIRE-1',
      allocations: [{ invoice: 'INV-0001', amountMinor: 4000 }],
    });
    expect(first).toMatchObject({
      clientId: kit.clients.get('Acme').id,
      clientName: 'Acme',
      unallocatedMinor: 0,
      allocations: [{ invoiceId: inv1, amountMinor: 4000, invoiceNumber: 'INV-0001' }],
    });
    expect(kit.invoices.get(inv1)).toMatchObject({
      status: 'partially_paid',
      effectiveStatus: 'partially_paid',
      paidMinor: 4000,
      balanceDueMinor: 6000,
    });
    const changes = changesSince(kit, seq);
    expect(changes.map((c) => `${c.collection}:${c.op}`)).toEqual([
      'payments:upsert',
      'invoices:upsert',
    ]);
    expect(changes[0]?.fields.allocations).toEqual([{ invoiceId: inv1, amountMinor: 4000 }]);
    expect(changes[1]?.fields).toMatchObject({ status: 'partially_paid' });

    const rest = kit.payments.payInvoice('INV-0001', { method: 'card' });
    expect(rest).toMatchObject({ amountMinor: 6000, currency: 'USD', date: TODAY });
    const paid = kit.invoices.get('INV-0001');
    expect(paid).toMatchObject({
      status: 'paid',
      effectiveStatus: 'paid',
      paidMinor: 10_000,
      balanceDueMinor: 0,
    });
    expect(paid.payments.map((p) => p.amountMinor)).toEqual([4000, 6000]);
  });

  it('rejects an overpayment and writes nothing', () => {
    kit.payments.payInvoice(inv1, { amountMinor: 9000 });
    expectRejected(
      kit,
      'OVERPAYMENT',
      () => kit.payments.payInvoice(inv1, { amountMinor: 1001 }),
      /10\.00 USD left to pay; 10\.01/,
    );
    expectRejected(kit, 'OVERPAYMENT', () =>
      kit.payments.record({
        date: TODAY,
        amountMinor: 20_000,
        currency: 'USD',
        allocations: [
          { invoice: 'INV-0002', amountMinor: 5000 },
          { invoice: 'INV-0001', amountMinor: 1001 },
        ],
      }),
    );
    expect(kit.invoices.get(inv2).status).toBe('sent');
    kit.payments.payInvoice(inv1);
    expectRejected(
      kit,
      'INVALID_STATE',
      () => kit.payments.payInvoice(inv1),
      /nothing left to pay/,
    );
    expectRejected(kit, 'OVERPAYMENT', () => kit.payments.payInvoice(inv1, { amountMinor: 1 }));
  });

  it('refuses a currency mismatch, drafts and void invoices', () => {
    expectRejected(kit, 'CURRENCY_MISMATCH', () =>
      kit.payments.payInvoice(inv1, { amountMinor: 100, currency: 'EUR' }),
    );
    const draft = kit.invoices.createDraft({ client: 'Acme', lines: [line('C', 1000, 100)] });
    expectRejected(
      kit,
      'INVALID_STATE',
      () => kit.payments.payInvoice(draft.id, { amountMinor: 100 }),
      /draft/,
    );
    expectRejected(kit, 'INVALID_STATE', () => kit.payments.payInvoice(draft.id), /draft/);
    kit.invoices.voidInvoice(inv2);
    expectRejected(
      kit,
      'INVALID_STATE',
      () => kit.payments.payInvoice(inv2, { amountMinor: 100 }),
      /void/,
    );
  });

  it('refuses allocations beyond the payment, duplicates, other clients and unknown references', () => {
    expectRejected(
      kit,
      'INVALID_INPUT',
      () =>
        kit.payments.record({
          date: TODAY,
          amountMinor: 5000,
          currency: 'USD',
          allocations: [
            { invoice: 'INV-0001', amountMinor: 3000 },
            { invoice: 'INV-0002', amountMinor: 3000 },
          ],
        }),
      /more than the payment/,
    );
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.payments.record({
        date: TODAY,
        amountMinor: 5000,
        currency: 'USD',
        allocations: [
          { invoice: 'INV-0001', amountMinor: 1000 },
          { invoice: inv1, amountMinor: 1000 },
        ],
      }),
    );
    expectRejected(
      kit,
      'INVALID_INPUT',
      () =>
        kit.payments.record({
          client: 'Globex',
          date: TODAY,
          amountMinor: 100,
          currency: 'USD',
          allocations: [{ invoice: 'INV-0001', amountMinor: 100 }],
        }),
      /another client/,
    );
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.payments.record({
        date: TODAY,
        amountMinor: 100,
        currency: 'USD',
        allocations: [{ invoice: 'INV-0404', amountMinor: 100 }],
      }),
    );
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.payments.record({
        date: TODAY,
        amountMinor: 100,
        currency: 'USD',
        accountId: '01900000-0000-7000-8000-000000000000',
      }),
    );
    expectRejected(kit, 'INVALID_AMOUNT', () =>
      kit.payments.record({ date: TODAY, amountMinor: 12.5, currency: 'USD' }),
    );
    expectRejected(kit, 'INVALID_AMOUNT', () =>
      kit.payments.record({ date: TODAY, amountMinor: -5, currency: 'USD' }),
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.payments.record({ date: '15/03/2025', amountMinor: 5, currency: 'USD' }),
    );
    expectRejected(kit, 'UNKNOWN_CURRENCY', () =>
      kit.payments.record({ date: TODAY, amountMinor: 5, currency: 'US' }),
    );
  });

  it('splits one payment across invoices, keeps the remainder unallocated, and undoes on delete', () => {
    const payment = kit.payments.record({
      client: 'acme',
      date: TODAY,
      amountMinor: 20_000,
      currency: 'USD',
      allocations: [
        { invoice: 'INV-0001', amountMinor: 10_000 },
        { invoice: 'INV-0002', amountMinor: 2500 },
      ],
    });
    expect(payment.unallocatedMinor).toBe(7500);
    expect(kit.invoices.get(inv1).status).toBe('paid');
    expect(kit.invoices.get(inv2).status).toBe('partially_paid');
    expect(kit.payments.list({ invoice: 'INV-0002' }).map((p) => p.id)).toEqual([payment.id]);
    expect(kit.payments.list({ client: 'Globex' })).toEqual([]);

    kit.payments.delete(payment.id);
    expect(kit.invoices.get(inv1)).toMatchObject({ status: 'sent', paidMinor: 0 });
    expect(kit.invoices.get(inv2)).toMatchObject({ status: 'sent', paidMinor: 0 });
    expect(kit.payments.list()).toEqual([]);
    expectRejected(kit, 'NOT_FOUND', () => kit.payments.get(payment.id));
  });

  it('keeps an account as a reference only: no ledger transaction is written', () => {
    const account = new AccountService(kit.temp.vault).create({
      name: 'Checking',
      currency: 'USD',
    });
    const payment = kit.payments.payInvoice(inv1, { accountId: account.id });
    expect(payment.accountId).toBe(account.id);
    expect(kit.temp.vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(0);
  });

  it('an overdue invoice paid in full reads as paid', () => {
    const late = kit.invoices.issue(
      kit.invoices.createDraft({ client: 'Acme', lines: [line('L', 1000, 700)] }).id,
      {
        issueDate: '2025-01-01',
        dueDate: '2025-01-31',
      },
    );
    expect(kit.invoices.get(late.id).effectiveStatus).toBe('overdue');
    kit.payments.payInvoice(late.id, { amountMinor: 300 });
    expect(kit.invoices.get(late.id).effectiveStatus).toBe('overdue');
    kit.payments.payInvoice(late.id);
    expect(kit.invoices.get(late.id).effectiveStatus).toBe('paid');
  });
});
