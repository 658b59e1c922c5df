import { useState } from 'react';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';

/**
 * Opens the vault with its Recovery Key, for a computer whose keychain does not hold the
 * vault's key (a new computer, a restored backup, a reset keychain).
 */
export function RecoverVaultCard(): React.JSX.Element {
  const [recoveryKey, setRecoveryKey] = useState('');
  const recover = useCofferMutation(
    (key: string) => coffer().app.recoverVault({ recoveryKey: key }),
    {
      onSuccess: () => setRecoveryKey(''),
    },
  );
  return (
    <form
      className="card form"
      aria-labelledby="recover-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (recoveryKey.trim() !== '') recover.mutate(recoveryKey.trim());
      }}
    >
      <h2 id="recover-heading">Open with your Recovery Key</h2>
      <p>
        If this computer&apos;s keychain does not have the vault&apos;s key, type the Recovery Key
        you saved.
      </p>
      <TextInput
        label="Recovery Key"
        value={recoveryKey}
        onChange={setRecoveryKey}
        autoComplete="off"
        spellCheck="false"
      />
      <Button
        type="submit"
        variant="primary"
        isPending={recover.isPending}
        isDisabled={recoveryKey.trim() === ''}
      >
        Open with Recovery Key
      </Button>
      {recover.isError && <ErrorMessage error={recover.error} title="The vault did not open" />}
    </form>
  );
}
