import type { VaultRemoval } from '../../../shared/api/app.methods.js';
import { Button } from '../ui/Button.js';

/** What the notice says: the code and message of the refusal that shredded the vault. */
export type RemovalNotice = Pick<VaultRemoval, 'code' | 'message'>;

/**
 * Shown in place of the app when the core crypto-shredded the vault under it (this device's
 * session revoked, or its account removed from the workspace): why, and that nothing of it
 * is left here, before the window goes back to first run.
 */
export function VaultRemovedNotice({
  removal,
  onContinue,
}: {
  removal: RemovalNotice;
  onContinue: () => void;
}): React.JSX.Element {
  const title =
    removal.code === 'MEMBER_REMOVED'
      ? 'You were removed from the workspace'
      : "This device's sync session was revoked";
  return (
    <main className="first-run" aria-labelledby="vault-removed-heading">
      <section className="card" role="alert" aria-labelledby="vault-removed-heading">
        <h1 id="vault-removed-heading">{title}</h1>
        <p>{removal.message}</p>
        <p>
          <strong>The data was removed from this device.</strong> Its key is gone from this
          computer&apos;s key store and the vault files are deleted.
        </p>
        <p className="error-code">({removal.code})</p>
        <Button variant="primary" autoFocus onPress={onContinue}>
          Continue to set up Coffer
        </Button>
      </section>
    </main>
  );
}
