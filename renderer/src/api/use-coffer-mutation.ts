import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';

/**
 * A call that changes data. On success every query refetches: the vault is local and
 * small screens re-read in milliseconds, which beats tracking which lists a change touched.
 */
export function useCofferMutation<I, O>(
  call: (input: I) => Promise<O>,
  options: { onSuccess?: (output: O) => void } = {},
): UseMutationResult<O, Error, I> {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async (output) => {
      options.onSuccess?.(output);
      await queryClient.invalidateQueries();
    },
  });
}
