import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  changesSince,
  createInvoicingKit,
  expectRejected,
  lastSeq,
  line,
  type InvoicingKit,
} from '../testing/invoicing-test-kit.js';

let kit: InvoicingKit;
beforeEach(async () => {
  kit = await createInvoicingKit();
  kit.clients.create({ name: 'Acme', defaultCurrency: 'EUR' });
});
afterEach(() => kit.cleanup());

/** Total 12 345 minor units: one line, no tax. */
const LINES = [line('Build', 1000, 12_345)];

describe('requested deposits', () => {
  it('a quote’s deposit is carried to the invoice it converts into', () => {
    const quote = kit.quotes.create({
      client: 'Acme',
      lines: LINES,
      deposit: { amountMinor: 4_000, dueDate: '2025-03-20' },
    });
    expect(quote).toMatchObject({
      depositMinor: 4_000,
      depositPpm: null,
      depositDueDate: '2025-03-20',
    });
    const { invoice } = kit.quotes.convert(quote.id);
    expect(invoice).toMatchObject({
      quoteId: quote.id,
      depositMinor: 4_000,
      depositPpm: null,
      depositDueDate: '2025-03-20',
      depositOutstandingMinor: 4_000,
      balanceDueMinor: 12_345,
    });
    expect(kit.invoices.get(invoice.id).depositMinor).toBe(4_000);
  });

  it('a percentage becomes minor units rounded half up, and follows the total of a draft', () => {
    // 33.3333 % of 12 345 = 4114.995885… → 4115
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: LINES,
      deposit: { percentPpm: 333_333 },
    });
    expect(draft).toMatchObject({ depositMinor: 4_115, depositPpm: 333_333 });
    // 50 % of 101 = 50.5 → 51 (half away from zero)
    const half = kit.invoices.updateDraft(draft.id, {
      lines: [line('Odd', 1000, 101)],
      deposit: { percentPpm: 500_000 },
    });
    expect(half.depositMinor).toBe(51);
    const seq = lastSeq(kit);
    const relined = kit.invoices.updateDraft(draft.id, { lines: [line('More', 2000, 101)] });
    expect(relined.depositMinor).toBe(101);
    const [change] = changesSince(kit, seq);
    expect(change?.fields).toMatchObject({ depositMinor: 101 });
  });

  it('a partial payment below the deposit leaves some of it outstanding; paying past it clears it', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: LINES,
      deposit: { amountMinor: 5_000, dueDate: '2025-03-25' },
    });
    const issued = kit.invoices.issue(draft.id, { issueDate: '2025-03-15', dueDate: '2025-04-14' });
    expect(issued.depositOutstandingMinor).toBe(5_000);

    kit.payments.payInvoice(issued.id, { amountMinor: 3_000, date: '2025-03-16' });
    const partly = kit.invoices.get(issued.id);
    expect(partly).toMatchObject({
      paidMinor: 3_000,
      depositOutstandingMinor: 2_000,
      balanceDueMinor: 9_345,
      effectiveStatus: 'partially_paid',
    });
    expect(partly.payments.map((p) => p.amountMinor)).toEqual([3_000]);

    kit.payments.payInvoice(issued.id, { amountMinor: 4_000, date: '2025-03-17' });
    const past = kit.invoices.get(issued.id);
    expect(past).toMatchObject({
      paidMinor: 7_000,
      depositOutstandingMinor: 0,
      balanceDueMinor: 5_345,
    });
    // The deposit is a request, not a second amount owed: the list shows one balance.
    const listed = kit.invoices.list().find((i) => i.id === issued.id);
    expect(listed).toMatchObject({ balanceDueMinor: 5_345, depositOutstandingMinor: 0 });
  });

  it('records the deposit in the invoice change, and removing it records nulls', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: LINES,
      deposit: { amountMinor: 1_000 },
    });
    const created = changesSince(kit).find((c) => c.recordId === draft.id);
    expect(created?.fields).toMatchObject({
      depositMinor: 1_000,
      depositPpm: null,
      depositDueDate: null,
    });
    const seq = lastSeq(kit);
    const cleared = kit.invoices.updateDraft(draft.id, { deposit: null });
    expect(cleared).toMatchObject({ depositMinor: null, depositOutstandingMinor: 0 });
    const [change] = changesSince(kit, seq);
    expect(Object.keys(change?.fields ?? {}).sort()).toEqual(['depositMinor', 'updatedAt']);
  });

  it('refuses a deposit above the total, at zero, or due after the invoice, writing nothing', () => {
    expectRejected(
      kit,
      'INVALID_AMOUNT',
      () =>
        kit.invoices.createDraft({
          client: 'Acme',
          lines: LINES,
          deposit: { amountMinor: 12_346 },
        }),
      /deposit\.amountMinor: .*more than the total/,
    );
    expectRejected(kit, 'INVALID_AMOUNT', () =>
      kit.invoices.createDraft({ client: 'Acme', lines: LINES, deposit: { amountMinor: 0 } }),
    );
    // 0.0001 % of 12 345 rounds to 0: nothing to ask for.
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.invoices.createDraft({ client: 'Acme', lines: LINES, deposit: { percentPpm: 1 } }),
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.invoices.createDraft({
        client: 'Acme',
        lines: LINES,
        dueDate: '2025-04-01',
        deposit: { amountMinor: 100, dueDate: '2025-04-02' },
      }),
    );
    expectRejected(kit, 'INVALID_AMOUNT', () =>
      kit.quotes.create({ client: 'Acme', lines: LINES, deposit: { amountMinor: 20_000 } }),
    );
  });

  it('refuses a change that leaves a standing deposit above the total or due after the invoice', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: LINES,
      deposit: { amountMinor: 10_000, dueDate: '2025-04-10' },
    });
    expectRejected(
      kit,
      'INVALID_AMOUNT',
      () => kit.invoices.updateDraft(draft.id, { lines: [line('Less', 1000, 9_999)] }),
      /more than the total/,
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.invoices.updateDraft(draft.id, { dueDate: '2025-04-09' }),
    );
    expectRejected(
      kit,
      'INVALID_DATE',
      () => kit.invoices.issue(draft.id, { issueDate: '2025-03-15', dueDate: '2025-04-01' }),
      /deposit\.dueDate/,
    );
    expect(kit.invoices.issue(draft.id, { issueDate: '2025-03-15' }).dueDate).toBe('2025-04-14');
  });

  it('a recurring schedule’s deposit template is asked on each invoice it generates', () => {
    const schedule = kit.recurring.create({
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2025-02-01',
      lines: LINES,
      dueDays: 30,
      deposit: { percentPpm: 200_000, dueDays: 7 },
    });
    // 20 % of 12 345 = 2469.
    expect(schedule).toMatchObject({ depositMinor: 2_469, depositPpm: 200_000, depositDueDays: 7 });
    const generated = kit.recurring.generateDue('2025-03-15');
    expect(
      generated.map((g) => [g.periodDate, g.invoice.depositMinor, g.invoice.depositDueDate]),
    ).toEqual([
      ['2025-02-01', 2_469, '2025-02-08'],
      ['2025-03-01', 2_469, '2025-03-08'],
    ]);
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.recurring.create({
        client: 'Acme',
        frequency: 'monthly',
        startDate: '2025-02-01',
        lines: LINES,
        dueDays: 10,
        deposit: { amountMinor: 100, dueDays: 11 },
      }),
    );
    expectRejected(kit, 'INVALID_AMOUNT', () =>
      kit.recurring.create({
        client: 'Acme',
        frequency: 'monthly',
        startDate: '2025-02-01',
        lines: LINES,
        deposit: { amountMinor: 12_346 },
      }),
    );
  });

  it('a void invoice has no deposit outstanding', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: LINES,
      deposit: { amountMinor: 2_000 },
    });
    expect(kit.invoices.voidInvoice(draft.id).depositOutstandingMinor).toBe(0);
  });
});
