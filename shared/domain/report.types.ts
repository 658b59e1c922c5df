/**
 * Reports and the dashboard, as a window receives them. Every amount is integer minor
 * units beside its currency, and every total is per currency: two currencies are never
 * added together anywhere in a report.
 */

export interface CurrencyAmount {
  currency: string;
  amountMinor: number;
}

/** One month's money in and out of one currency's accounts. */
export interface MonthCashFlow {
  /** YYYY-MM. */
  month: string;
  currency: string;
  /** Σ positive transactions. */
  incomeMinor: number;
  /** Σ negative transactions, as a positive number. */
  spendingMinor: number;
  /** income − spending. */
  netMinor: number;
}

export interface CashFlowReport {
  from: string;
  to: string;
  /** Every month from `from` to `to` for each currency with activity, oldest first. */
  months: MonthCashFlow[];
  /** One row per currency over the whole period. */
  totals: Omit<MonthCashFlow, 'month'>[];
}

export interface CurrencyBalance {
  currency: string;
  balanceMinor: number;
  accounts: number;
}

export interface OverdueInvoice {
  id: string;
  number: string | null;
  clientName: string;
  currency: string;
  dueDate: string | null;
  daysOverdue: number;
  balanceDueMinor: number;
}

export interface Dashboard {
  /** The vault clock's today (UTC) and its month. */
  today: string;
  month: string;
  balances: CurrencyBalance[];
  /** This month's income and spending, per currency. */
  thisMonth: Omit<MonthCashFlow, 'month'>[];
  /** The last 12 months, this one included. */
  cashFlow: CashFlowReport;
  overdue: { count: number; totals: CurrencyAmount[]; invoices: OverdueInvoice[] };
  /** Imported rows flagged for review, waiting for the user. */
  needsReview: number;
}

export const AGE_BUCKETS = ['0–30', '31–60', '61–90', '90+'] as const;

/** Open invoice balances by days past due (not yet due counts as 0–30). */
export interface AgedReceivablesRow {
  clientId: string;
  clientName: string;
  currency: string;
  /** One amount per AGE_BUCKETS entry. */
  bucketsMinor: number[];
  totalMinor: number;
}

export interface AgedReceivablesReport {
  asOf: string;
  rows: AgedReceivablesRow[];
  totals: Omit<AgedReceivablesRow, 'clientId' | 'clientName'>[];
}

export interface RevenueByClientRow {
  clientId: string;
  clientName: string;
  currency: string;
  invoices: number;
  /** Σ totals of the invoices issued in the period (void ones left out). */
  invoicedMinor: number;
  /** Σ paid on those invoices. */
  paidMinor: number;
}

export interface RevenueByClientReport {
  from: string;
  to: string;
  rows: RevenueByClientRow[];
  totals: Omit<RevenueByClientRow, 'clientId' | 'clientName'>[];
}

export interface TaxSummaryRow {
  currency: string;
  taxRatePpm: number;
  netMinor: number;
  taxMinor: number;
}

export interface TaxSummaryReport {
  from: string;
  to: string;
  /** Tax collected per rate per currency, on invoices issued in the period. */
  rows: TaxSummaryRow[];
  totals: { currency: string; netMinor: number; taxMinor: number }[];
}
