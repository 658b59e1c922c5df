import { useInfiniteQuery } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { formatInstant } from '../../ui/format.js';
import { deviceText, signInMethodText, signInResultText } from './security-format.js';
import { SECURITY_KEY, SERVER_READ } from './use-security-queries.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

/**
 * Every sign-in attempt on the account in the server's last 90 days, newest first: a
 * failure here from an unknown place is worth a new password.
 */
export function SignInHistorySection(): React.JSX.Element {
  const history = useInfiniteQuery({
    queryKey: [...SECURITY_KEY, 'signIns'],
    meta: SERVER_QUERY,
    queryFn: ({ pageParam }) =>
      coffer().security.signIns(pageParam === null ? {} : { cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    ...SERVER_READ,
  });
  const entries = history.data?.pages.flatMap((page) => page.signIns) ?? [];

  return (
    <section className="card" aria-labelledby="security-history-heading">
      <h2 id="security-history-heading">Sign-in history</h2>
      <p>Sign-ins and confirmations on your account, with failed attempts, newest first.</p>
      {history.data === undefined ? (
        history.isError ? (
          <ErrorMessage error={history.error} title="Could not read the history" />
        ) : (
          <Progress label="Reading the sign-in history" />
        )
      ) : (
        <table className="table" aria-label="Sign-in history">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Result</th>
              <th scope="col">Method</th>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{formatInstant(entry.at)}</td>
                <td>{signInResultText(entry)}</td>
                <td>{signInMethodText(entry)}</td>
                <td>{deviceText(entry)}</td>
                <td>{entry.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {history.hasNextPage && (
        <Button isPending={history.isFetchingNextPage} onPress={() => void history.fetchNextPage()}>
          {history.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </Button>
      )}
    </section>
  );
}
