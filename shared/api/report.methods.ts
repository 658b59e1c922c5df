/** The dashboard and the reports; budget against actual is `budgets.report`. */
import * as z from 'zod';
import { IsoDateSchema, IsoMonthSchema } from '../dates/iso-date.js';
import type {
  AgedReceivablesReport,
  CashFlowReport,
  Dashboard,
  RevenueByClientReport,
  TaxSummaryReport,
} from '../domain/report.types.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

/** At most ten years of months in one report: a bounded answer. */
export const MAX_REPORT_MONTHS = 120;

const MonthRangeSchema = z
  .strictObject({ from: IsoMonthSchema, to: IsoMonthSchema })
  .refine((r) => r.from <= r.to, { message: 'must not be after `to`', path: ['from'] });

const DateRangeSchema = z
  .strictObject({ from: IsoDateSchema, to: IsoDateSchema })
  .refine((r) => r.from <= r.to, { message: 'must not be after `to`', path: ['from'] });

export const REPORT_METHODS = {
  dashboard: apiMethod<Dashboard>()(EmptyInputSchema),
  cashFlow: apiMethod<CashFlowReport>()(MonthRangeSchema),
  agedReceivables: apiMethod<AgedReceivablesReport>()(EmptyInputSchema),
  revenueByClient: apiMethod<RevenueByClientReport>()(DateRangeSchema),
  taxSummary: apiMethod<TaxSummaryReport>()(DateRangeSchema),
} as const;
