import { useState } from 'react';
import type { AppLockStatus } from '../../../../shared/domain/settings.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { OS_CHECK_NAMES, useOsCheckKind } from '../../api/os-check.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';

/**
 * "Unlock with Touch ID / Windows Hello", offered only where the desktop app's main process
 * reports the check available (never in web mode or on Linux). Turning it on needs the
 * passcode, which keeps working either way.
 */
export function OsUnlockSetting({ status }: { status: AppLockStatus }): React.JSX.Element | null {
  const kind = useOsCheckKind();
  const [passcode, setPasscode] = useState('');
  const turnOn = useCofferMutation(
    (code: string) => coffer().lock.setOsUnlock({ enabled: true, passcode: code }),
    { onSuccess: () => setPasscode('') },
  );
  const turnOff = useCofferMutation(() => coffer().lock.setOsUnlock({ enabled: false }));
  if (kind === null) return null;
  const name = OS_CHECK_NAMES[kind];

  return (
    <div className="form" data-testid="os-unlock-setting">
      <h3>Unlock with {name}</h3>
      {status.osUnlock ? (
        <>
          <p>On: {name} unlocks Coffer; the passcode still works too.</p>
          <Button isPending={turnOff.isPending} onPress={() => turnOff.mutate(undefined)}>
            Stop unlocking with {name}
          </Button>
          {turnOff.isError && <ErrorMessage error={turnOff.error} title="It stays on" />}
        </>
      ) : (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (passcode !== '') turnOn.mutate(passcode);
          }}
        >
          <TextInput
            label={`Passcode to turn on ${name}`}
            type="password"
            value={passcode}
            onChange={setPasscode}
            autoComplete="current-password"
          />
          <Button type="submit" isPending={turnOn.isPending} isDisabled={passcode === ''}>
            Unlock with {name}
          </Button>
          {turnOn.isError && <ErrorMessage error={turnOn.error} title="It was not turned on" />}
        </form>
      )}
    </div>
  );
}
