import { isApiError } from '../../../../shared/api/api-error.js';

export const isMfaRequired = (error: unknown): boolean =>
  isApiError(error) && error.code === 'MFA_REQUIRED';

/**
 * The workspace requires a second factor this account lacks: the server refuses everything
 * else until one is set up, so the way on is Settings → Security.
 */
export function MfaRequiredNotice(): React.JSX.Element {
  return (
    <div role="alert" className="error-message">
      <strong>Two-factor sign-in required: </strong>
      An admin of this workspace requires a second factor, and this account has none yet. Until you
      add one, the server refuses this workspace&apos;s data and sync stops.{' '}
      <a href="#/settings/security">Set up two-factor sign-in in Settings → Security</a>
    </div>
  );
}
