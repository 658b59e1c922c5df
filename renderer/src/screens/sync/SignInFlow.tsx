import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { SignInFactor, SignInStep } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { ApprovalStart } from './ApprovalStart.js';
import { RecoveryKeyEntry } from './RecoveryKeyEntry.js';
import { SecondFactorStep } from './SecondFactorStep.js';
import type { TrustedServer } from './ServerStep.js';
import { errorText, fieldOfError } from './sync-errors.js';

type Step =
  | { step: 'credentials'; notice?: unknown }
  | { step: 'second-factor'; methods: SignInFactor[] }
  | { step: 'unlock-keys' };

const FormSchema = z.object({
  email: z.string().trim().email('Enter an email address'),
  password: z.string().min(1, 'Enter your password'),
});
type FormValues = z.input<typeof FormSchema>;

/**
 * Signing this vault in to an account that exists, one step at a time as the core asks:
 * email and password, a second factor when the account has one, then the Account
 * Recovery Key that opens the account's keys, or approval from a signed-in device. The last step's answer flips the screen to
 * the signed-in view through the `sync.status` event.
 */
export function SignInFlow({
  server,
  resumeAt,
}: {
  server: TrustedServer;
  /** A sign-in the core already holds at this step (the screen was left and reopened). */
  resumeAt: 'unlock-keys' | null;
}): React.JSX.Element {
  const [step, setStep] = useState<Step>(
    resumeAt === 'unlock-keys' ? { step: 'unlock-keys' } : { step: 'credentials' },
  );
  const [email, setEmail] = useState('');
  const next = (answer: SignInStep) => {
    if (answer.step === 'second-factor')
      setStep({ step: 'second-factor', methods: answer.methods });
    else if (answer.step === 'unlock-keys') setStep({ step: 'unlock-keys' });
  };
  // The core ended the sign-in (too many wrong codes, or it expired): back to the start.
  const restart = (notice?: unknown) => setStep({ step: 'credentials', notice });

  switch (step.step) {
    case 'credentials':
      return (
        <CredentialsForm
          server={server}
          email={email}
          notice={step.notice}
          onAnswer={(answer, typed) => {
            setEmail(typed);
            next(answer);
          }}
        />
      );
    case 'second-factor':
      return <SecondFactorStep methods={step.methods} onAnswer={next} onRestart={restart} />;
    case 'unlock-keys':
      return (
        <>
          <RecoveryKeyEntry onRestart={restart} />
          <ApprovalStart />
        </>
      );
  }
}

function CredentialsForm({
  server,
  email,
  notice,
  onAnswer,
}: {
  server: TrustedServer;
  email: string;
  notice: unknown;
  onAnswer: (answer: SignInStep, email: string) => void;
}): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { email, password: '' },
  });
  const start = useMutation({
    mutationFn: (values: { email: string; password: string }) =>
      coffer().sync.signInStart({ ...server, ...values }),
    onSuccess: (answer, values) => onAnswer(answer, values.email),
    onError: (error) => {
      const field = fieldOfError(error, ['email', 'password']);
      if (field === 'email' || field === 'password') {
        form.setError(field, { message: errorText(error) });
      }
    },
  });
  const submit = form.handleSubmit((values) => start.mutate(values));
  return (
    <form className="form" aria-label="Sign in" noValidate onSubmit={(event) => void submit(event)}>
      {notice !== undefined && !start.isPending && (
        <ErrorMessage error={notice} title="Sign in again" />
      )}
      <Controller
        control={form.control}
        name="email"
        render={({ field, fieldState }) => (
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Controller
        control={form.control}
        name="password"
        render={({ field, fieldState }) => (
          <TextInput
            label="Password"
            type="password"
            autoComplete="current-password"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Button type="submit" variant="primary" isPending={start.isPending}>
        {start.isPending ? 'Signing in…' : 'Sign in'}
      </Button>
      {start.isError && fieldOfError(start.error, ['email', 'password']) === null && (
        <ErrorMessage error={start.error} title="Not signed in" />
      )}
    </form>
  );
}
