import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../../../shared/api/api-error.js';

/**
 * Queries run against the local core, never the network, so they must run offline too
 * (`networkMode: 'always'`). A refusal with a code (bad input, not found) is an answer,
 * not a glitch: it is not retried.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: 'always',
        staleTime: 30_000,
        retry: (failures, error) => !isApiError(error) && failures < 2,
        refetchOnWindowFocus: false,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}
