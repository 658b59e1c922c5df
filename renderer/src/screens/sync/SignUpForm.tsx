import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import type { TrustedServer } from './ServerStep.js';
import { errorText, fieldOfError } from './sync-errors.js';

const FormSchema = z
  .object({
    email: z.string().trim().email('Enter an email address'),
    password: z.string().min(1, 'Enter a password'),
    confirm: z.string(),
  })
  .refine((values) => values.confirm === values.password, {
    path: ['confirm'],
    message: 'The two passwords differ',
  });
type FormValues = z.input<typeof FormSchema>;
type Field = keyof FormValues;

/**
 * A new account on the trusted server, with this vault as its first device. The server
 * applies its own password rules; its refusal is shown by the field it concerns.
 */
export function SignUpForm({
  server,
  onSignedUp,
}: {
  server: TrustedServer;
  onSignedUp: (result: { recoveryKey: string; email: string }) => void;
}): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { email: '', password: '', confirm: '' },
  });
  const signUp = useMutation({
    mutationFn: (values: { email: string; password: string }) =>
      coffer().sync.signUp({ ...server, ...values }),
    onSuccess: ({ recoveryKey }, values) => onSignedUp({ recoveryKey, email: values.email }),
    onError: (error) => {
      const field = fieldOfError(error, ['email', 'password']);
      if (field === 'email' || field === 'password') {
        form.setError(field, { message: errorText(error) });
      }
    },
  });
  const submit = form.handleSubmit(({ email, password }) => signUp.mutate({ email, password }));
  const fieldFor = (name: Field, label: string, props: Record<string, string>) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <TextInput label={label} {...props} {...field} error={fieldState.error?.message} />
      )}
    />
  );

  return (
    <form
      className="form"
      aria-label="Create an account"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      {fieldFor('email', 'Email', { type: 'email', autoComplete: 'email' })}
      {fieldFor('password', 'Password', { type: 'password', autoComplete: 'new-password' })}
      {fieldFor('confirm', 'Confirm password', {
        type: 'password',
        autoComplete: 'new-password',
      })}
      <Button type="submit" variant="primary" isPending={signUp.isPending}>
        {signUp.isPending ? 'Creating the account…' : 'Create account'}
      </Button>
      {signUp.isError && fieldOfError(signUp.error, ['email', 'password']) === null && (
        <ErrorMessage error={signUp.error} title="The account was not created" />
      )}
    </form>
  );
}
