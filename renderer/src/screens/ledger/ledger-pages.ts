import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type {
  TransactionListFilter,
  Transaction,
} from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';

/** Rows per call: a screenful several times over, small enough to answer in milliseconds. */
export const LEDGER_PAGE_SIZE = 200;

export type LedgerFilter = Omit<TransactionListFilter, 'limit' | 'offset'>;

export interface LedgerPages {
  /** Rows the filter matches in all; null until the first page answers. */
  total: number | null;
  /** The row at `index`, or undefined while its page loads. */
  rowAt(index: number): Transaction | undefined;
  isPending: boolean;
  /** A new filter's first page is on its way; the rows shown are the previous filter's. */
  isUpdating: boolean;
  error: Error | null;
}

function pageQuery(filter: LedgerFilter, page: number) {
  const input = { ...filter, limit: LEDGER_PAGE_SIZE, offset: page * LEDGER_PAGE_SIZE };
  return {
    queryKey: ['transactions', 'list', input] as const,
    queryFn: () => coffer().transactions.list(input),
    // Pages scrolled past are dropped soon: a 100k ledger must not stay whole in memory.
    gcTime: 30_000,
  };
}

/**
 * The ledger as pages fetched on demand: the first page (which gives the total) always,
 * and whichever pages hold the rows from `first` to `last` that the list shows now.
 */
export function useLedgerPages(filter: LedgerFilter, first: number, last: number): LedgerPages {
  // The grid stays mounted (and focused) while a new filter's first page loads.
  const head = useQuery({ ...pageQuery(filter, 0), placeholderData: keepPreviousData });
  const pages: number[] = [];
  if (last >= first) {
    for (
      let page = Math.floor(first / LEDGER_PAGE_SIZE);
      page <= Math.floor(last / LEDGER_PAGE_SIZE);
      page++
    ) {
      if (page > 0) pages.push(page);
    }
  }
  const rest = useQueries({ queries: pages.map((page) => pageQuery(filter, page)) });
  const loaded = new Map<number, Transaction[]>();
  if (head.data !== undefined) loaded.set(0, head.data.items);
  pages.forEach((page, i) => {
    const items = rest[i]?.data?.items;
    if (items !== undefined) loaded.set(page, items);
  });
  const failed = head.error ?? rest.find((r) => r.error !== null)?.error ?? null;
  return {
    total: head.data?.total ?? null,
    rowAt: (index) => loaded.get(Math.floor(index / LEDGER_PAGE_SIZE))?.[index % LEDGER_PAGE_SIZE],
    isPending: head.isPending,
    isUpdating: head.isPlaceholderData,
    error: failed,
  };
}
