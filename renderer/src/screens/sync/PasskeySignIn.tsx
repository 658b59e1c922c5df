import { useMutation } from '@tanstack/react-query';
import type { SignInStep } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { signWithPasskey } from '../../api/passkey-ceremony.js';

/**
 * "Use a passkey" on the second step of a sign-in: the core fetches the options (its
 * challenge token never leaves it), the browser asks the authenticator, the core sends the
 * answer. A cancelled or refused passkey says so and leaves the other ways open.
 */
export function PasskeySignIn({
  onAnswer,
  onRestart,
  expired,
}: {
  onAnswer: (answer: SignInStep) => void;
  onRestart: (why?: unknown) => void;
  expired: (error: Error) => boolean;
}): React.JSX.Element {
  const sign = useMutation({
    mutationFn: async () => {
      const { options } = await coffer().sync.signInPasskeyOptions({});
      const response = await signWithPasskey(options);
      return coffer().sync.signInPasskeyVerify({ response });
    },
    onSuccess: onAnswer,
    onError: (error) => {
      if (expired(error)) onRestart(error);
    },
  });
  return (
    <div className="passkey-sign-in">
      <div className="button-row">
        <Button variant="primary" isPending={sign.isPending} onPress={() => sign.mutate()}>
          {sign.isPending ? 'Waiting for your passkey…' : 'Use a passkey'}
        </Button>
      </div>
      {sign.isError && !expired(sign.error) && (
        <ErrorMessage error={sign.error} title="The passkey did not sign you in" />
      )}
      <p>Or confirm with a code:</p>
    </div>
  );
}
