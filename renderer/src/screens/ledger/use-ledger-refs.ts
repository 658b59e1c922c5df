import { useQuery } from '@tanstack/react-query';
import type { Account, Category } from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';

export interface LedgerRefs {
  accounts: Account[];
  categories: Category[];
  categoryName(id: string | null): string;
  account(id: string): Account | undefined;
  isPending: boolean;
  error: Error | null;
}

/** Accounts and categories, archived ones too: old rows still name them. */
export function useLedgerRefs(): LedgerRefs {
  const accounts = useQuery({
    queryKey: ['accounts', 'list', { includeArchived: true }],
    queryFn: () => coffer().accounts.list({ includeArchived: true }),
  });
  const categories = useQuery({
    queryKey: ['categories', 'list', { includeArchived: true }],
    queryFn: () => coffer().categories.list({ includeArchived: true }),
  });
  const byCategory = new Map((categories.data ?? []).map((c) => [c.id, c.name]));
  const byAccount = new Map((accounts.data ?? []).map((a) => [a.id, a]));
  return {
    accounts: accounts.data ?? [],
    categories: categories.data ?? [],
    categoryName: (id) => (id === null ? '' : (byCategory.get(id) ?? 'Unknown category')),
    account: (id) => byAccount.get(id),
    isPending: accounts.isPending || categories.isPending,
    error: accounts.error ?? categories.error,
  };
}
