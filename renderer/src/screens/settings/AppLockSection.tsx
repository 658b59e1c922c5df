import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { OsUnlockSetting } from './OsUnlockSetting.js';

/**
 * The app passcode: with one set, Coffer starts locked and locks after the idle time;
 * changing or removing it needs the current one. Where the desktop app has Touch ID or
 * Windows Hello, that can unlock too.
 */
export function AppLockSection(): React.JSX.Element {
  const status = useQuery({
    queryKey: ['lock', 'status'],
    queryFn: () => coffer().lock.status({}),
  });
  const [passcode, setPasscode] = useState('');
  const [current, setCurrent] = useState('');
  const [idle, setIdle] = useState('5');
  const clear = () => {
    setPasscode('');
    setCurrent('');
  };
  const enable = useCofferMutation(
    (input: { passcode: string; idleMinutes: number }) => coffer().lock.setPasscode(input),
    { onSuccess: clear },
  );
  const change = useCofferMutation(
    (input: { current: string; next: string }) => coffer().lock.changePasscode(input),
    {
      onSuccess: clear,
    },
  );
  const remove = useCofferMutation(
    (code: string) => coffer().lock.removePasscode({ current: code }),
    {
      onSuccess: clear,
    },
  );
  const lockNow = useCofferMutation(() => coffer().lock.lockNow({}));
  const idleMinutes = Number.parseInt(idle, 10);
  const idleError =
    Number.isInteger(idleMinutes) && idleMinutes >= 1 && idleMinutes <= 240
      ? undefined
      : 'Between 1 and 240 minutes';

  if (status.data === undefined) return <section className="card" aria-label="App lock" />;
  const enabled = status.data.enabled;
  return (
    <section className="card" aria-labelledby="lock-heading">
      <h2 id="lock-heading">App lock</h2>
      {!enabled ? (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (idleError === undefined) enable.mutate({ passcode, idleMinutes });
          }}
        >
          <p>Lock Coffer with a passcode when you step away.</p>
          <TextInput
            label="New passcode"
            type="password"
            value={passcode}
            onChange={setPasscode}
            autoComplete="new-password"
            description="At least 6 characters"
          />
          <TextInput
            label="Lock after minutes idle"
            value={idle}
            onChange={setIdle}
            inputMode="numeric"
            error={idleError}
          />
          <Button
            type="submit"
            variant="primary"
            isPending={enable.isPending}
            isDisabled={passcode === ''}
          >
            Turn on app lock
          </Button>
          {enable.isError && (
            <ErrorMessage error={enable.error} title="The app lock was not turned on" />
          )}
        </form>
      ) : (
        <div className="form">
          <p>On: Coffer locks after {status.data.idleMinutes} minutes idle.</p>
          <Button onPress={() => lockNow.mutate(undefined)}>Lock now</Button>
          <TextInput
            label="Current passcode"
            type="password"
            value={current}
            onChange={setCurrent}
            autoComplete="current-password"
          />
          <TextInput
            label="New passcode"
            type="password"
            value={passcode}
            onChange={setPasscode}
            autoComplete="new-password"
          />
          <div className="button-row">
            <Button
              isPending={change.isPending}
              isDisabled={current === '' || passcode === ''}
              onPress={() => change.mutate({ current, next: passcode })}
            >
              Change passcode
            </Button>
            <Button
              variant="danger"
              isPending={remove.isPending}
              isDisabled={current === ''}
              onPress={() => remove.mutate(current)}
            >
              Turn off app lock
            </Button>
          </div>
          {change.isError && (
            <ErrorMessage error={change.error} title="The passcode was not changed" />
          )}
          {remove.isError && <ErrorMessage error={remove.error} title="The app lock stays on" />}
          <OsUnlockSetting status={status.data} />
        </div>
      )}
    </section>
  );
}
