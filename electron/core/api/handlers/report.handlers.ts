import type { REPORT_METHODS } from '../../../../shared/api/report.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const REPORT_HANDLERS: GroupHandlers<typeof REPORT_METHODS> = {
  dashboard: (_input, { session }) => session.services().reports.dashboard(),
  cashFlow: ({ from, to }, { session }) => session.services().reports.cashFlow(from, to),
  agedReceivables: (_input, { session }) => session.services().reports.agedReceivables(),
  revenueByClient: ({ from, to }, { session }) =>
    session.services().reports.revenueByClient(from, to),
  taxSummary: ({ from, to }, { session }) => session.services().reports.taxSummary(from, to),
};
