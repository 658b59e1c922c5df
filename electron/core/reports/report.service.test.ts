import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from '../core-services.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { ageBucket } from './report.service.js';

/** 2025-03-15 12:00 UTC. */
const NOW = Date.UTC(2025, 2, 15, 12);

let temp: TempVault;
let core: CoreServices;
const clock = { now: NOW };

beforeEach(async () => {
  clock.now = NOW;
  temp = await createTempVault({ now: () => clock.now });
  core = createCoreServices(temp.vault);
  core.accounts.create({ name: 'US checking', currency: 'USD', openingBalanceMinor: 100_000 });
  core.accounts.create({ name: 'US card', currency: 'USD', kind: 'credit_card' });
  core.accounts.create({ name: 'Euro account', currency: 'EUR', openingBalanceMinor: 50_000 });
  core.clients.create({ name: 'Acme', defaultCurrency: 'USD' });
  core.clients.create({ name: 'Globex', defaultCurrency: 'EUR' });
});
afterEach(() => temp.cleanup());

const tx = (accountId: string, date: string, amountMinor: number) =>
  core.transactions.create({ accountId, date, amountMinor });

const line = (unitPriceMinor: number, taxRatePpm = 0) => ({
  description: 'Work',
  quantityMilli: 1000,
  unitPriceMinor,
  taxRatePpm,
});

function issued(
  client: string,
  currency: string,
  issueDate: string,
  dueDate: string,
  lines: ReturnType<typeof line>[],
) {
  const draft = core.invoices.createDraft({ client, currency, lines });
  return core.invoices.issue(draft.id, { issueDate, dueDate });
}

describe('ReportService', () => {
  it('keeps two currencies apart: two balances, two cash flows, never one sum', () => {
    tx('US checking', '2025-03-02', 250_000);
    tx('US checking', '2025-03-05', -40_000);
    tx('US card', '2025-03-06', -10_000);
    tx('Euro account', '2025-03-03', 70_000);
    tx('Euro account', '2025-03-09', -5_000);
    tx('Euro account', '2025-01-20', -1_000);

    const dashboard = core.reports.dashboard();
    expect(dashboard.today).toBe('2025-03-15');
    expect(dashboard.balances).toEqual([
      { currency: 'EUR', balanceMinor: 50_000 + 70_000 - 5_000 - 1_000, accounts: 1 },
      { currency: 'USD', balanceMinor: 100_000 + 250_000 - 40_000 - 10_000, accounts: 2 },
    ]);
    expect(dashboard.thisMonth).toEqual([
      { currency: 'EUR', incomeMinor: 70_000, spendingMinor: 5_000, netMinor: 65_000 },
      { currency: 'USD', incomeMinor: 250_000, spendingMinor: 50_000, netMinor: 200_000 },
    ]);
    // 12 months, each currency on each month, zero where nothing happened.
    expect(dashboard.cashFlow.from).toBe('2024-04');
    expect(dashboard.cashFlow.months).toHaveLength(24);
    expect(
      dashboard.cashFlow.months.find((m) => m.month === '2025-01' && m.currency === 'EUR'),
    ).toMatchObject({ spendingMinor: 1_000 });
    expect(
      dashboard.cashFlow.months.find((m) => m.month === '2025-01' && m.currency === 'USD'),
    ).toMatchObject({ incomeMinor: 0, spendingMinor: 0 });
    expect(dashboard.cashFlow.totals.map((t) => t.currency)).toEqual(['EUR', 'USD']);
  });

  it('lists overdue invoices with their balance due, totalled per currency', () => {
    const late = issued('Acme', 'USD', '2025-01-01', '2025-01-31', [line(100_00)]);
    issued('Globex', 'EUR', '2025-02-01', '2025-02-10', [line(80_00)]);
    issued('Acme', 'USD', '2025-03-10', '2025-04-09', [line(5_00)]); // not due yet
    core.payments.payInvoice(late.id, { amountMinor: 30_00, date: '2025-02-01' });

    const { overdue } = core.reports.dashboard();
    expect(overdue.count).toBe(2);
    expect(overdue.invoices.map((i) => [i.clientName, i.daysOverdue, i.balanceDueMinor])).toEqual([
      ['Acme', 43, 70_00],
      ['Globex', 33, 80_00],
    ]);
    expect(overdue.totals).toEqual([
      { currency: 'EUR', amountMinor: 80_00 },
      { currency: 'USD', amountMinor: 70_00 },
    ]);
  });

  it('counts imported rows waiting for review', () => {
    expect(core.reports.dashboard().needsReview).toBe(0);
    const first = tx('US checking', '2025-03-01', -1_234);
    const second = tx('US checking', '2025-03-01', -1_234);
    core.transactionReviews.flag({
      transactionId: second.id,
      reason: 'possible_duplicate',
      relatedTransactionId: first.id,
    });
    expect(core.reports.dashboard().needsReview).toBe(1);
  });

  it('ages open balances by days past due, per client and currency', () => {
    issued('Acme', 'USD', '2025-03-01', '2025-03-31', [line(10_00)]); // not due: 0–30
    issued('Acme', 'USD', '2025-01-01', '2025-02-01', [line(20_00)]); // 42 days: 31–60
    issued('Acme', 'USD', '2024-10-01', '2024-11-01', [line(40_00)]); // 134 days: 90+
    issued('Globex', 'EUR', '2024-12-01', '2024-12-31', [line(30_00)]); // 74 days: 61–90
    issued('Acme', 'EUR', '2025-03-01', '2025-03-10', [line(7_00)]); // 5 days: 0–30
    const paid = issued('Acme', 'USD', '2025-03-01', '2025-03-02', [line(99_00)]);
    core.payments.payInvoice(paid.id, { date: '2025-03-03' });

    const report = core.reports.agedReceivables();
    expect(
      report.rows.map((r) => [r.clientName, r.currency, r.bucketsMinor, r.totalMinor]),
    ).toEqual([
      ['Acme', 'EUR', [7_00, 0, 0, 0], 7_00],
      ['Acme', 'USD', [10_00, 20_00, 0, 40_00], 70_00],
      ['Globex', 'EUR', [0, 0, 30_00, 0], 30_00],
    ]);
    expect(report.totals).toEqual([
      { currency: 'EUR', bucketsMinor: [7_00, 0, 30_00, 0], totalMinor: 37_00 },
      { currency: 'USD', bucketsMinor: [10_00, 20_00, 0, 40_00], totalMinor: 70_00 },
    ]);
    expect([30, 31, 60, 61, 90, 91, -5].map(ageBucket)).toEqual([0, 1, 1, 2, 2, 3, 0]);
  });

  it('counts an invoice with a requested deposit once, at its balance due, in aged receivables', () => {
    const draft = core.invoices.createDraft({
      client: 'Globex',
      lines: [line(1_000_00)],
      deposit: { amountMinor: 400_00, dueDate: '2025-02-15' },
    });
    const invoice = core.invoices.issue(draft.id, {
      issueDate: '2025-02-01',
      dueDate: '2025-03-01',
    });
    core.payments.payInvoice(invoice.id, { amountMinor: 150_00, date: '2025-02-10' });
    expect(core.invoices.get(invoice.id)).toMatchObject({
      depositOutstandingMinor: 250_00,
      balanceDueMinor: 850_00,
    });

    const report = core.reports.agedReceivables();
    // 14 days past the invoice's due date: one 850.00, not 850.00 plus the 250.00 deposit.
    expect(report.rows.map((r) => [r.clientName, r.bucketsMinor, r.totalMinor])).toEqual([
      ['Globex', [850_00, 0, 0, 0], 850_00],
    ]);
    expect(report.totals).toEqual([
      { currency: 'EUR', bucketsMinor: [850_00, 0, 0, 0], totalMinor: 850_00 },
    ]);
  });

  it('revenue by client and tax per rate, issued in the period, per currency, void left out', () => {
    const a = issued('Acme', 'USD', '2025-02-01', '2025-03-01', [
      line(100_00, 100_000),
      line(50_00, 50_000),
    ]);
    issued('Acme', 'EUR', '2025-02-10', '2025-03-10', [line(200_00, 190_000)]);
    issued('Globex', 'EUR', '2025-02-20', '2025-03-20', [line(300_00, 190_000)]);
    const voided = issued('Globex', 'EUR', '2025-02-21', '2025-03-21', [line(999_00, 190_000)]);
    core.invoices.voidInvoice(voided.id);
    issued('Globex', 'EUR', '2025-04-02', '2025-05-02', [line(1_00, 190_000)]); // after the period
    core.payments.payInvoice(a.id, { amountMinor: 60_00, date: '2025-02-15' });

    const revenue = core.reports.revenueByClient('2025-02-01', '2025-02-28');
    expect(
      revenue.rows.map((r) => [r.clientName, r.currency, r.invoices, r.invoicedMinor, r.paidMinor]),
    ).toEqual([
      ['Acme', 'EUR', 1, 238_00, 0],
      ['Acme', 'USD', 1, 162_50, 60_00],
      ['Globex', 'EUR', 1, 357_00, 0],
    ]);
    expect(revenue.totals).toEqual([
      { currency: 'EUR', invoices: 2, invoicedMinor: 595_00, paidMinor: 0 },
      { currency: 'USD', invoices: 1, invoicedMinor: 162_50, paidMinor: 60_00 },
    ]);

    const tax = core.reports.taxSummary('2025-02-01', '2025-02-28');
    expect(tax.rows).toEqual([
      { currency: 'EUR', taxRatePpm: 190_000, netMinor: 500_00, taxMinor: 95_00 },
      { currency: 'USD', taxRatePpm: 50_000, netMinor: 50_00, taxMinor: 2_50 },
      { currency: 'USD', taxRatePpm: 100_000, netMinor: 100_00, taxMinor: 10_00 },
    ]);
    expect(tax.totals).toEqual([
      { currency: 'EUR', netMinor: 500_00, taxMinor: 95_00 },
      { currency: 'USD', netMinor: 150_00, taxMinor: 12_50 },
    ]);
  });

  it('refuses a cash flow over more than ten years', () => {
    expect(() => core.reports.cashFlow('2000-01', '2025-01')).toThrow(/at most 120 months/);
  });
});
