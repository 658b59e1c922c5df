import { Link } from 'react-router';
import { useSyncStatus } from '../sync/use-sync-status.js';

/** The way to the sync account's security settings, for a vault signed in to a server. */
export function SecurityLinkSection(): React.JSX.Element | null {
  const status = useSyncStatus();
  if (status === undefined) return null;
  return (
    <section className="card" aria-labelledby="settings-security-heading">
      <h2 id="settings-security-heading">Security</h2>
      {status.signedIn ? (
        <p>
          Password, two-step sign-in, signed-in devices and sign-in history of your sync account:{' '}
          <Link to="/settings/security">Security settings</Link>
        </p>
      ) : (
        <p>
          Security settings are for a sync account. Sign in or create one on the{' '}
          <Link to="/sync">Sync screen</Link> first.
        </p>
      )}
    </section>
  );
}
