import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { SERVER_QUERY, refreshVaultQueries } from './query-sources.js';

describe('refreshVaultQueries', () => {
  it('marks the vault queries stale and leaves the server queries as they are', async () => {
    const client = new QueryClient();
    const ledger = ['transactions', 'list', {}];
    const members = ['workspace', 'members'];
    await client.fetchQuery({ queryKey: ledger, queryFn: () => ['row'] });
    await client.fetchQuery({ queryKey: members, queryFn: () => ['ana'], meta: SERVER_QUERY });

    await refreshVaultQueries(client);

    expect(client.getQueryState(ledger)?.isInvalidated).toBe(true);
    expect(client.getQueryState(members)?.isInvalidated).toBe(false);
    client.clear();
  });
});
