import { Link } from 'react-router';
import { Progress } from '../../ui/Progress.js';
import { useSyncStatus } from '../sync/use-sync-status.js';
import { BackupCodesSection } from './BackupCodesSection.js';
import { ChangePasswordSection } from './ChangePasswordSection.js';
import { EmailCodesSection } from './EmailCodesSection.js';
import { PasskeysSection } from './PasskeysSection.js';
import { SessionsSection } from './SessionsSection.js';
import { SignInHistorySection } from './SignInHistorySection.js';
import { TotpSection } from './TotpSection.js';

/**
 * Settings → Security: the sync account's password, second factors, sessions and sign-in
 * history. Only a vault signed in to a sync server has an account to look after here.
 */
export function SecurityScreen(): React.JSX.Element {
  const status = useSyncStatus();
  let body: React.ReactNode;
  if (status === undefined) {
    body = <Progress label="Reading the sync status" />;
  } else if (!status.signedIn) {
    body = (
      <section className="card" aria-labelledby="security-signed-out-heading">
        <h2 id="security-signed-out-heading">Not signed in</h2>
        <p>
          These settings are for your sync account. This vault is not signed in to a sync server:
          sign in or create an account on the <Link to="/sync">Sync screen</Link> first.
        </p>
      </section>
    );
  } else {
    body = (
      <>
        <p>
          The account <strong>{status.email}</strong> on <code>{status.server}</code>. Changes here
          ask you to confirm your password (and second factor) first.
        </p>
        <ChangePasswordSection />
        <TotpSection email={status.email} server={status.server} />
        <EmailCodesSection email={status.email} server={status.server} />
        <PasskeysSection />
        <BackupCodesSection email={status.email} server={status.server} />
        <SessionsSection />
        <SignInHistorySection />
      </>
    );
  }
  return (
    <section aria-labelledby="security-heading" className="screen">
      <p>
        <Link to="/settings">← Settings</Link>
      </p>
      <h1 id="security-heading">Security</h1>
      {body}
    </section>
  );
}
