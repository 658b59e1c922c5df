import { isIsoDate, isIsoMonth } from '../../../../shared/dates/iso-date.js';
import type { LedgerFilter } from './ledger-pages.js';

/**
 * The ledger's filter lives in the address (`#/transactions?account=…&q=…`) so the
 * accounts screen can link to one account's ledger and the back button undoes a filter.
 * Only well-formed values are read; anything else is no filter.
 */
export function filterFromParams(params: URLSearchParams): LedgerFilter {
  const filter: LedgerFilter = {};
  const account = params.get('account');
  const category = params.get('category');
  const month = params.get('month');
  const from = params.get('from');
  const to = params.get('to');
  const search = params.get('q')?.trim();
  if (account) filter.accountId = account;
  if (category) filter.categoryId = category;
  if (month !== null && isIsoMonth(month)) filter.month = month;
  if (from !== null && isIsoDate(from)) filter.from = from;
  if (to !== null && isIsoDate(to)) filter.to = to;
  if (search !== undefined && search !== '') filter.search = search.slice(0, 200);
  return filter;
}

export type FilterParam = 'account' | 'category' | 'month' | 'from' | 'to' | 'q';

export function withParam(
  params: URLSearchParams,
  name: FilterParam,
  value: string,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === '') next.delete(name);
  else next.set(name, value);
  return next;
}
