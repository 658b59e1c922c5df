import type { QuoteStatus } from '../domain/invoicing.schema.js';

/**
 * A sent quote whose `validUntil` lies before today shows as `expired` without anyone
 * having to write that: expiry is a fact of the calendar, derived at read time.
 */
export function effectiveQuoteStatus(
  quote: { readonly status: QuoteStatus; readonly validUntil: string | null },
  today: string,
): QuoteStatus {
  if (quote.status === 'sent' && quote.validUntil !== null && quote.validUntil < today) {
    return 'expired';
  }
  return quote.status;
}
