import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { coffer } from '../../api/coffer-client.js';
import { OS_CHECK_NAMES, unlockWithOsCheck, useOsCheckKind } from '../../api/os-check.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';

/**
 * The locked app: no data on screen and none in memory (the query cache is cleared when
 * the lock engages), only the passcode, or the Recovery Key for a forgotten passcode; and
 * in the desktop app, Touch ID or Windows Hello when turned on and available.
 */
export function LockScreen(): React.JSX.Element {
  const [passcode, setPasscode] = useState('');
  const [recoveryKey, setRecoveryKey] = useState('');
  const [forgot, setForgot] = useState(false);
  const unlock = useCofferMutation((code: string) => coffer().lock.unlock({ passcode: code }), {
    onSuccess: () => setPasscode(''),
  });
  const lockStatus = useQuery({
    queryKey: ['lock', 'status'],
    queryFn: () => coffer().lock.status({}),
  });
  const osKind = useOsCheckKind();
  const osUnlock = useCofferMutation(unlockWithOsCheck);
  const offerOsCheck = osKind !== null && lockStatus.data?.osUnlock === true;
  const reset = useCofferMutation(
    (key: string) => coffer().lock.resetWithRecoveryKey({ recoveryKey: key }),
    {
      onSuccess: () => setRecoveryKey(''),
    },
  );

  return (
    <main className="first-run" id="main">
      <h1>Coffer is locked</h1>
      <form
        className="card form"
        aria-label="Unlock"
        onSubmit={(event) => {
          event.preventDefault();
          if (passcode !== '') unlock.mutate(passcode);
        }}
      >
        <TextInput
          label="Passcode"
          type="password"
          value={passcode}
          onChange={setPasscode}
          autoFocus
          autoComplete="current-password"
        />
        <Button
          type="submit"
          variant="primary"
          isPending={unlock.isPending}
          isDisabled={passcode === ''}
        >
          Unlock
        </Button>
        {unlock.isError && <ErrorMessage error={unlock.error} title="Not unlocked" />}
        {offerOsCheck && (
          <>
            <Button isPending={osUnlock.isPending} onPress={() => osUnlock.mutate(undefined)}>
              Unlock with {OS_CHECK_NAMES[osKind]}
            </Button>
            {osUnlock.isError && <ErrorMessage error={osUnlock.error} title="Not unlocked" />}
          </>
        )}
      </form>
      {!forgot ? (
        <Button onPress={() => setForgot(true)}>Forgot the passcode?</Button>
      ) : (
        <form
          className="card form"
          aria-label="Turn the lock off with the Recovery Key"
          onSubmit={(event) => {
            event.preventDefault();
            if (recoveryKey.trim() !== '') reset.mutate(recoveryKey.trim());
          }}
        >
          <p>
            The vault&apos;s Recovery Key turns the app lock off; set a new passcode in Settings
            afterwards.
          </p>
          <TextInput
            label="Recovery Key"
            value={recoveryKey}
            onChange={setRecoveryKey}
            autoComplete="off"
            spellCheck="false"
          />
          <Button type="submit" isPending={reset.isPending} isDisabled={recoveryKey.trim() === ''}>
            Turn the lock off
          </Button>
          {reset.isError && <ErrorMessage error={reset.error} title="The lock stays on" />}
        </form>
      )}
    </main>
  );
}
