import {
  addMonthsToMonth,
  daysBetween,
  monthBounds,
  monthOf,
} from '../../../shared/dates/iso-date.js';
import {
  AGE_BUCKETS,
  type AgedReceivablesReport,
  type AgedReceivablesRow,
  type CashFlowReport,
  type CurrencyBalance,
  type Dashboard,
  type MonthCashFlow,
  type OverdueInvoice,
  type RevenueByClientReport,
  type RevenueByClientRow,
  type TaxSummaryReport,
  type TaxSummaryRow,
} from '../../../shared/domain/report.types.js';
import { MAX_REPORT_MONTHS } from '../../../shared/api/report.methods.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { bigintToMinor } from '../../../shared/money/money.js';
import type { TransactionReviewService } from '../import/transaction-review.service.js';
import type { InvoiceService, InvoiceView } from '../invoicing/invoice.service.js';
import { vaultToday } from '../invoicing/invoicing-clock.js';
import type { BalanceService } from '../ledger/balance.service.js';
import type { Vault } from '../vault/vault.js';
import { ReportRepository } from './report.repository.js';

const MAX_MONTHS = MAX_REPORT_MONTHS;

export interface ReportServiceDeps {
  balances: BalanceService;
  invoices: InvoiceService;
  reviews: TransactionReviewService;
}

/**
 * The dashboard and the money reports. Each sum is kept per currency in exact bigint and
 * turned into a number only at the end; no line ever adds two currencies.
 */
export class ReportService {
  private readonly repo: ReportRepository;

  constructor(
    private readonly vault: Vault,
    private readonly deps: ReportServiceDeps,
  ) {
    this.repo = new ReportRepository(vault.db);
  }

  dashboard(): Dashboard {
    const today = vaultToday(this.vault);
    const month = monthOf(today);
    const cashFlow = this.cashFlow(addMonthsToMonth(month, -11), month);
    const overdue = this.overdueInvoices(today);
    return {
      today,
      month,
      balances: this.balancesByCurrency(),
      thisMonth: cashFlow.months
        .filter((m) => m.month === month)
        .map(({ month: _month, ...rest }) => rest),
      cashFlow,
      overdue: {
        count: overdue.length,
        totals: sumByCurrency(overdue, (i) => i.balanceDueMinor).map(([currency, total]) => ({
          currency,
          amountMinor: total,
        })),
        invoices: overdue,
      },
      needsReview: this.deps.reviews.openCount(),
    };
  }

  /** Income and spending for every month from `from` to `to` (YYYY-MM), per currency. */
  cashFlow(from: string, to: string): CashFlowReport {
    const months = monthsBetween(from, to);
    const sums = this.repo.cashFlow(monthBounds(from).first, monthBounds(to).last);
    const currencies = [...new Set(sums.map((s) => s.currency))].sort();
    const found = new Map(sums.map((s) => [`${s.month} ${s.currency}`, s]));
    const rows: MonthCashFlow[] = [];
    const totals = new Map<string, { income: bigint; spending: bigint }>();
    for (const month of months) {
      for (const currency of currencies) {
        const s = found.get(`${month} ${currency}`);
        const income = s?.income ?? 0n;
        const spending = s?.spending ?? 0n;
        rows.push(flowRow(month, currency, income, spending));
        const total = totals.get(currency) ?? { income: 0n, spending: 0n };
        totals.set(currency, {
          income: total.income + income,
          spending: total.spending + spending,
        });
      }
    }
    return {
      from,
      to,
      months: rows,
      totals: [...totals].map(([currency, t]) => {
        const { month: _month, ...rest } = flowRow('', currency, t.income, t.spending);
        return rest;
      }),
    };
  }

  /** Open invoice balances by client and days past due, as of today. */
  agedReceivables(): AgedReceivablesReport {
    const asOf = vaultToday(this.vault);
    const rows = new Map<string, { row: AgedReceivablesRow; buckets: bigint[] }>();
    for (const invoice of this.openInvoices()) {
      const key = `${invoice.clientId} ${invoice.currency}`;
      const entry = rows.get(key) ?? {
        row: {
          clientId: invoice.clientId,
          clientName: invoice.clientName,
          currency: invoice.currency,
          bucketsMinor: [],
          totalMinor: 0,
        },
        buckets: AGE_BUCKETS.map(() => 0n),
      };
      const days = daysBetween(invoice.dueDate ?? invoice.issueDate ?? asOf, asOf);
      const bucket = ageBucket(days);
      entry.buckets[bucket] = (entry.buckets[bucket] ?? 0n) + BigInt(invoice.balanceDueMinor);
      rows.set(key, entry);
    }
    const done = [...rows.values()]
      .map(({ row, buckets }) => finishBuckets(row, buckets))
      .sort(byClientThenCurrency);
    const totals = new Map<string, bigint[]>();
    for (const row of done) {
      const sum = totals.get(row.currency) ?? AGE_BUCKETS.map(() => 0n);
      row.bucketsMinor.forEach((v, i) => (sum[i] = (sum[i] ?? 0n) + BigInt(v)));
      totals.set(row.currency, sum);
    }
    return {
      asOf,
      rows: done,
      totals: [...totals]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, buckets]) => {
          const {
            clientId: _id,
            clientName: _name,
            ...rest
          } = finishBuckets(
            { clientId: '', clientName: '', currency, bucketsMinor: [], totalMinor: 0 },
            buckets,
          );
          return rest;
        }),
    };
  }

  /** What each client was invoiced (and has paid) on invoices issued from `from` to `to`. */
  revenueByClient(from: string, to: string): RevenueByClientReport {
    const groups = new Map<string, { row: RevenueByClientRow; invoiced: bigint; paid: bigint }>();
    for (const invoice of this.issuedBetween(from, to)) {
      const key = `${invoice.clientId} ${invoice.currency}`;
      const entry = groups.get(key) ?? {
        row: {
          clientId: invoice.clientId,
          clientName: invoice.clientName,
          currency: invoice.currency,
          invoices: 0,
          invoicedMinor: 0,
          paidMinor: 0,
        },
        invoiced: 0n,
        paid: 0n,
      };
      entry.row.invoices += 1;
      entry.invoiced += BigInt(invoice.totals.totalMinor);
      entry.paid += BigInt(invoice.paidMinor);
      groups.set(key, entry);
    }
    const rows = [...groups.values()]
      .map(({ row, invoiced, paid }) => ({
        ...row,
        invoicedMinor: bigintToMinor(invoiced),
        paidMinor: bigintToMinor(paid),
      }))
      .sort(byClientThenCurrency);
    const totals = new Map<string, { invoices: number; invoiced: bigint; paid: bigint }>();
    for (const row of rows) {
      const t = totals.get(row.currency) ?? { invoices: 0, invoiced: 0n, paid: 0n };
      totals.set(row.currency, {
        invoices: t.invoices + row.invoices,
        invoiced: t.invoiced + BigInt(row.invoicedMinor),
        paid: t.paid + BigInt(row.paidMinor),
      });
    }
    return {
      from,
      to,
      rows,
      totals: [...totals]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, t]) => ({
          currency,
          invoices: t.invoices,
          invoicedMinor: bigintToMinor(t.invoiced),
          paidMinor: bigintToMinor(t.paid),
        })),
    };
  }

  /** Tax invoiced per rate and currency on invoices issued from `from` to `to`. */
  taxSummary(from: string, to: string): TaxSummaryReport {
    const rates = new Map<string, { currency: string; rate: number; net: bigint; tax: bigint }>();
    for (const invoice of this.issuedBetween(from, to)) {
      for (const line of invoice.totals.taxBreakdown) {
        const key = `${invoice.currency} ${line.taxRatePpm}`;
        const r = rates.get(key) ?? {
          currency: invoice.currency,
          rate: line.taxRatePpm,
          net: 0n,
          tax: 0n,
        };
        r.net += BigInt(line.netMinor);
        r.tax += BigInt(line.taxMinor);
        rates.set(key, r);
      }
    }
    const rows: TaxSummaryRow[] = [...rates.values()]
      .sort((a, b) => a.currency.localeCompare(b.currency) || a.rate - b.rate)
      .map((r) => ({
        currency: r.currency,
        taxRatePpm: r.rate,
        netMinor: bigintToMinor(r.net),
        taxMinor: bigintToMinor(r.tax),
      }));
    const totals = new Map<string, { net: bigint; tax: bigint }>();
    for (const row of rows) {
      const t = totals.get(row.currency) ?? { net: 0n, tax: 0n };
      totals.set(row.currency, {
        net: t.net + BigInt(row.netMinor),
        tax: t.tax + BigInt(row.taxMinor),
      });
    }
    return {
      from,
      to,
      rows,
      totals: [...totals].map(([currency, t]) => ({
        currency,
        netMinor: bigintToMinor(t.net),
        taxMinor: bigintToMinor(t.tax),
      })),
    };
  }

  private balancesByCurrency(): CurrencyBalance[] {
    const sums = new Map<string, { total: bigint; accounts: number }>();
    for (const b of this.deps.balances.balances()) {
      const s = sums.get(b.currency) ?? { total: 0n, accounts: 0 };
      sums.set(b.currency, { total: s.total + BigInt(b.balanceMinor), accounts: s.accounts + 1 });
    }
    return [...sums]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, s]) => ({
        currency,
        balanceMinor: bigintToMinor(s.total),
        accounts: s.accounts,
      }));
  }

  private overdueInvoices(today: string): OverdueInvoice[] {
    return this.deps.invoices
      .list({ status: 'overdue' }, today)
      .map((i) => ({
        id: i.id,
        number: i.number,
        clientName: i.clientName,
        currency: i.currency,
        dueDate: i.dueDate,
        daysOverdue: i.dueDate === null ? 0 : daysBetween(i.dueDate, today),
        balanceDueMinor: i.balanceDueMinor,
      }))
      .sort((a, b) => b.daysOverdue - a.daysOverdue);
  }

  /** Issued, not void, with money still due. */
  private openInvoices(): InvoiceView[] {
    return this.deps.invoices
      .list()
      .filter((i) => i.status !== 'draft' && i.status !== 'void' && i.balanceDueMinor > 0);
  }

  private issuedBetween(from: string, to: string): InvoiceView[] {
    return this.deps.invoices
      .list()
      .filter(
        (i) =>
          i.status !== 'draft' &&
          i.status !== 'void' &&
          i.issueDate !== null &&
          i.issueDate >= from &&
          i.issueDate <= to,
      );
  }
}

function flowRow(month: string, currency: string, income: bigint, spending: bigint): MonthCashFlow {
  return {
    month,
    currency,
    incomeMinor: bigintToMinor(income),
    spendingMinor: bigintToMinor(spending),
    netMinor: bigintToMinor(income - spending),
  };
}

function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonthsToMonth(m, 1)) {
    months.push(m);
    if (months.length > MAX_MONTHS) {
      throw new CofferError('INVALID_INPUT', `A report covers at most ${MAX_MONTHS} months`);
    }
  }
  return months;
}

/** 0–30 days past due (or not yet due), 31–60, 61–90, over 90. */
export function ageBucket(daysPastDue: number): number {
  if (daysPastDue <= 30) return 0;
  if (daysPastDue <= 60) return 1;
  if (daysPastDue <= 90) return 2;
  return 3;
}

function finishBuckets(row: AgedReceivablesRow, buckets: bigint[]): AgedReceivablesRow {
  return {
    ...row,
    bucketsMinor: buckets.map(bigintToMinor),
    totalMinor: bigintToMinor(buckets.reduce((a, b) => a + b, 0n)),
  };
}

function byClientThenCurrency(
  a: { clientName: string; currency: string },
  b: { clientName: string; currency: string },
): number {
  return a.clientName.localeCompare(b.clientName) || a.currency.localeCompare(b.currency);
}

function sumByCurrency<T extends { currency: string }>(
  items: readonly T[],
  amount: (item: T) => number,
): [string, number][] {
  const sums = new Map<string, bigint>();
  for (const item of items) {
    sums.set(item.currency, (sums.get(item.currency) ?? 0n) + BigInt(amount(item)));
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => [currency, bigintToMinor(total)]);
}
