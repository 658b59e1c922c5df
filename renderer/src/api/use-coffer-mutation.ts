import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { refreshVaultQueries } from './query-sources.js';

export interface CofferMutationOptions<O> {
  onSuccess?: (output: O) => void;
  /** A server query the call changes (e.g. the passkey list), refetched with the rest. */
  alsoRefresh?: readonly unknown[];
}

/**
 * A call that changes data. On success every vault query refetches: the vault is local and
 * small screens re-read in milliseconds, which beats tracking which lists a change touched.
 * Server queries refetch only when named in `alsoRefresh`: a save in the ledger must not
 * send the app to the server for the members or the devices waiting for approval.
 */
export function useCofferMutation<I, O>(
  call: (input: I) => Promise<O>,
  options: CofferMutationOptions<O> = {},
): UseMutationResult<O, Error, I> {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async (output) => {
      options.onSuccess?.(output);
      await Promise.all([
        refreshVaultQueries(queryClient),
        options.alsoRefresh === undefined
          ? undefined
          : queryClient.invalidateQueries({ queryKey: options.alsoRefresh }),
      ]);
    },
  });
}
