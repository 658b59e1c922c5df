import { useMutation } from '@tanstack/react-query';
import { signWithPasskey } from '../../api/passkey-ceremony.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../Button.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { stepUpErrorField } from './step-up-decision.js';

/**
 * "Use a passkey" in the step-up dialog: the password typed above, and the passkey in place
 * of a code. The core fetches the options and sends the answer with the session it keeps;
 * the window only runs the browser's ceremony. A cancelled or refused passkey is said here,
 * with the same words as at sign-in, and the codes stay open.
 */
export function PasskeyStepUp({
  password,
  onConfirmed,
  onPasswordError,
}: {
  /** The checked password, or null when the field shows why it is not one yet. */
  password: () => Promise<string | null>;
  onConfirmed: () => void;
  onPasswordError: (message: string) => void;
}): React.JSX.Element {
  const confirm = useMutation({
    mutationFn: async (typed: string) => {
      const { options } = await coffer().security.stepUpPasskeyOptions({});
      const response = await signWithPasskey(options);
      return coffer().security.stepUpWithPasskey({ password: typed, response });
    },
    onSuccess: onConfirmed,
    onError: (error) => {
      if (stepUpErrorField(error) === 'password') {
        onPasswordError(error.message.replace(/^The sync server refused: /, ''));
      }
    },
  });
  const start = async (): Promise<void> => {
    const typed = await password();
    if (typed !== null) confirm.mutate(typed);
  };
  return (
    <div className="passkey-sign-in">
      <div className="button-row">
        <Button isPending={confirm.isPending} onPress={() => void start()}>
          {confirm.isPending ? 'Waiting for your passkey…' : 'Use a passkey'}
        </Button>
      </div>
      {confirm.isError && stepUpErrorField(confirm.error) !== 'password' && (
        <ErrorMessage error={confirm.error} title="The passkey did not confirm it is you" />
      )}
    </div>
  );
}
