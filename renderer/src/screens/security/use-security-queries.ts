import { queryOptions } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

/** Every query of the Security screen starts with this key, so a change refreshes them all. */
export const SECURITY_KEY = ['security'] as const;

/**
 * These come from the server, not the local vault, and change without the app (a sign-in
 * elsewhere, another account after signing in again): read afresh each time the screen
 * opens, and dropped once it closes.
 */
export const SERVER_READ = { staleTime: 0, gcTime: 0, refetchOnMount: 'always' } as const;

export const secondFactorsQuery = queryOptions({
  queryKey: [...SECURITY_KEY, 'secondFactors'],
  meta: SERVER_QUERY,
  queryFn: () => coffer().security.secondFactors({}),
  ...SERVER_READ,
});

export const sessionsQuery = queryOptions({
  queryKey: [...SECURITY_KEY, 'sessions'],
  meta: SERVER_QUERY,
  queryFn: () => coffer().security.sessions({}),
  ...SERVER_READ,
});
