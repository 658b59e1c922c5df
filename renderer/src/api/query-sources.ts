import type { QueryClient } from '@tanstack/react-query';

/**
 * `meta` of a query whose answer comes from the sync server (members, sessions, passkeys,
 * devices waiting for approval), not from this vault.
 */
export const SERVER_QUERY = { source: 'server' } as const;

/**
 * After the vault changed (a save here, or another device's changes applied), re-reads what
 * comes from the vault and leaves server queries alone: they did not change with it, and
 * refetching them on every change made the app ask the server for them after each save, on
 * each device, against the account's request allowance.
 */
export function refreshVaultQueries(client: QueryClient): Promise<void> {
  return client.invalidateQueries({
    predicate: (query) => query.meta?.['source'] !== SERVER_QUERY.source,
  });
}
