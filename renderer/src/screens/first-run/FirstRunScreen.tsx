import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AppStatus } from '../../../../shared/api/app.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { RecoverVaultCard } from './RecoverVaultCard.js';
import { RecoveryKeyStep } from './RecoveryKeyStep.js';
import { RestoreBackupCard } from './RestoreBackupCard.js';

/**
 * Where Coffer starts when no vault is open: make a new vault (and save its Recovery Key
 * before going on), or open the one already in the folder.
 */
export function FirstRunScreen({ status }: { status: AppStatus }): React.JSX.Element {
  const queryClient = useQueryClient();
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const create = useMutationWithoutRefresh(() => coffer().app.createVault({}));
  const open = useCofferMutation(() => coffer().app.openVault({}));

  if (recoveryKey !== null) {
    return (
      <RecoveryKeyStep
        recoveryKey={recoveryKey}
        onDone={() => {
          setRecoveryKey(null);
          void queryClient.invalidateQueries();
        }}
      />
    );
  }

  return (
    <main className="first-run" id="main">
      <h1>Welcome to Coffer</h1>
      <p>
        Your accounts, invoices and receipts stay on this computer, in an encrypted vault in{' '}
        <code>{status.vaultDir}</code>.
      </p>
      {status.vault === 'missing' ? (
        <>
          <section aria-labelledby="create-heading" className="card">
            <h2 id="create-heading">Start a new vault</h2>
            <p>
              Coffer makes an encrypted vault and keeps its key in this computer&apos;s keychain.
              You will be shown a Recovery Key to save: it opens the vault if the keychain is ever
              lost.
            </p>
            <Button
              variant="primary"
              isPending={create.isPending}
              onPress={() =>
                create.mutate(undefined, {
                  onSuccess: (result) => setRecoveryKey(result.recoveryKey),
                })
              }
            >
              Create vault
            </Button>
            {create.isPending && <Progress label="Creating the vault" />}
            {create.isError && (
              <ErrorMessage error={create.error} title="The vault was not created" />
            )}
          </section>
          <RestoreBackupCard />
        </>
      ) : (
        <>
          <section aria-labelledby="open-heading" className="card">
            <h2 id="open-heading">Open your vault</h2>
            <p>Coffer unlocks it with the key saved in this computer&apos;s keychain.</p>
            <Button
              variant="primary"
              isPending={open.isPending}
              onPress={() => open.mutate(undefined)}
            >
              Open vault
            </Button>
            {open.isPending && <Progress label="Opening the vault" />}
            {open.isError && <ErrorMessage error={open.error} title="The vault did not open" />}
          </section>
          <RecoverVaultCard />
        </>
      )}
    </main>
  );
}

/**
 * Creating a vault must not refresh the app status yet: the screen would switch to the
 * app before the Recovery Key was shown.
 */
function useMutationWithoutRefresh<O>(call: () => Promise<O>) {
  const [state, setState] = useState<{ isPending: boolean; error: unknown }>({
    isPending: false,
    error: null,
  });
  return {
    isPending: state.isPending,
    isError: state.error !== null,
    error: state.error,
    mutate(_input: undefined, handlers: { onSuccess(output: O): void }) {
      setState({ isPending: true, error: null });
      call().then(
        (output) => {
          setState({ isPending: false, error: null });
          handlers.onSuccess(output);
        },
        (error: unknown) => setState({ isPending: false, error }),
      );
    },
  };
}
