import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { TotpSetup } from '../../../../shared/api/security.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { TextInput } from '../../ui/TextInput.js';
import { useCopyText } from '../../ui/save-download.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { BackupCodesShown } from './BackupCodesShown.js';
import { securityErrorText, securityFieldOfError } from './security-errors.js';
import { totpKeyGroups } from './security-format.js';
import { SECURITY_KEY, secondFactorsQuery } from './use-security-queries.js';

const CodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'The code is the 6 digits your app shows'),
});
type CodeValues = z.input<typeof CodeSchema>;

/**
 * The authenticator app (TOTP) as a second factor: set up with the QR code or the key typed
 * in, confirmed with a first code, then the backup codes shown once. The key lives in this
 * component only while it is shown.
 */
export function TotpSection({
  email,
  server,
}: {
  email: string;
  server: string;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const factors = useQuery(secondFactorsQuery);
  const stepUp = useStepUp();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [confirmingOff, setConfirmingOff] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: SECURITY_KEY });

  // Made outside useMutation so its result type is inferred from the call, not the options.
  const beginTotp = stepUp.guard(() => coffer().security.beginTotp({}));
  const begin = useMutation({
    mutationFn: beginTotp,
    onSuccess: (started) => {
      setSetup(started);
      // The key is kept in `setup` only, not in the mutation's cache as well.
      begin.reset();
    },
  });
  const remove = useMutation({
    mutationFn: stepUp.guard(() => coffer().security.removeTotp({})),
    onSuccess: async () => {
      setConfirmingOff(false);
      await refresh();
    },
  });

  let body: React.ReactNode;
  if (codes !== null) {
    body = (
      <BackupCodesShown
        codes={codes}
        email={email}
        server={server}
        onDone={() => {
          setCodes(null);
          void refresh();
        }}
      />
    );
  } else if (setup !== null) {
    body = (
      <TotpSetupSteps
        setup={setup}
        guard={stepUp.guard}
        onConfirmed={(backupCodes) => {
          setSetup(null);
          setCodes(backupCodes);
        }}
        onCancel={() => setSetup(null)}
      />
    );
  } else if (factors.data === undefined) {
    body = factors.isError ? (
      <ErrorMessage error={factors.error} title="Could not read your second factors" />
    ) : (
      <Progress label="Reading your second factors" />
    );
  } else if (!factors.data.totp) {
    body = (
      <>
        <p>Off. With it on, signing in asks for the 6-digit code your authenticator app shows.</p>
        <Button variant="primary" isPending={begin.isPending} onPress={() => begin.mutate()}>
          {begin.isPending ? 'Starting…' : 'Set up authenticator app'}
        </Button>
        {begin.isError && <ErrorMessage error={begin.error} title="Setup did not start" />}
      </>
    );
  } else {
    body = (
      <>
        <p>On: signing in asks for a code from your authenticator app.</p>
        {confirmingOff ? (
          <div role="group" aria-label="Turn off the authenticator app">
            <p>
              Turn it off? Signing in will then ask only for what else you have set up
              {factors.data.emailCodes ? ' (email codes)' : ' (your password alone)'}.
            </p>
            <div className="button-row">
              <Button variant="danger" isPending={remove.isPending} onPress={() => remove.mutate()}>
                {remove.isPending ? 'Turning off…' : 'Turn off'}
              </Button>
              <Button onPress={() => setConfirmingOff(false)}>Keep it on</Button>
            </div>
          </div>
        ) : (
          <Button variant="danger" onPress={() => setConfirmingOff(true)}>
            Turn off authenticator app
          </Button>
        )}
        {remove.isError && <ErrorMessage error={remove.error} title="Not turned off" />}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="security-totp-heading">
      <h2 id="security-totp-heading">Authenticator app</h2>
      {body}
      {stepUp.dialog}
    </section>
  );
}

function TotpSetupSteps({
  setup,
  guard,
  onConfirmed,
  onCancel,
}: {
  setup: TotpSetup;
  guard: ReturnType<typeof useStepUp>['guard'];
  onConfirmed: (backupCodes: string[]) => void;
  onCancel: () => void;
}): React.JSX.Element {
  const groups = totpKeyGroups(setup.secret);
  const { copied, copy } = useCopyText(groups.join(''));
  const form = useForm<CodeValues, unknown, z.output<typeof CodeSchema>>({
    resolver: zodResolver(CodeSchema),
    defaultValues: { code: '' },
  });
  const confirmTotp = guard((code: string) => coffer().security.confirmTotp({ code }));
  const confirm = useMutation({
    mutationFn: confirmTotp,
    onSuccess: ({ backupCodes }) => onConfirmed(backupCodes),
    onError: (error) => {
      if (securityFieldOfError(error, ['code']) === 'code') {
        form.setError('code', { message: securityErrorText(error) });
      }
    },
  });
  const submit = form.handleSubmit((values) => confirm.mutate(values.code));

  return (
    <div className="totp-setup">
      <ol className="steps">
        <li>
          <p>Scan this QR code with your authenticator app:</p>
          <img
            className="qr-code"
            src={setup.qrCode}
            width={200}
            height={200}
            alt={`QR code to add ${setup.label} to an authenticator app; the same key is written out below`}
          />
        </li>
        <li>
          <p>Or type this key into the app (time-based, 6 digits):</p>
          <p className="key-groups key-groups-grid" role="group" aria-label="Authenticator key">
            {groups.map((group, index) => (
              // Groups can repeat; their place is what identifies them.
              <code key={index}>{group}</code>
            ))}
          </p>
          <div className="button-row">
            <Button onPress={copy}>Copy key</Button>
            <p role="status" className="status-line">
              {copied === 'yes'
                ? 'Key copied to the clipboard.'
                : copied === 'failed'
                  ? 'Copying failed: select the key and copy it.'
                  : ''}
            </p>
          </div>
        </li>
        <li>
          <form
            className="form"
            aria-label="Confirm the authenticator app"
            noValidate
            onSubmit={(event) => void submit(event)}
          >
            <Controller
              control={form.control}
              name="code"
              render={({ field, fieldState }) => (
                <TextInput
                  label="Code from the app"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  {...field}
                  error={fieldState.error?.message}
                />
              )}
            />
            <div className="button-row">
              <Button type="submit" variant="primary" isPending={confirm.isPending}>
                {confirm.isPending ? 'Checking the code…' : 'Turn on'}
              </Button>
              <Button onPress={onCancel}>Cancel setup</Button>
            </div>
            {confirm.isError && securityFieldOfError(confirm.error, ['code']) === null && (
              <ErrorMessage error={confirm.error} title="Not turned on" />
            )}
          </form>
        </li>
      </ol>
    </div>
  );
}
