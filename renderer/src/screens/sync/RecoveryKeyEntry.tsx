import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { errorText, fieldOfError } from './sync-errors.js';

const FormSchema = z.object({
  recoveryKey: z.string().trim().min(1, 'Enter your Account Recovery Key').max(200),
});
type FormValues = z.input<typeof FormSchema>;

/**
 * The last step of a sign-in: the Account Recovery Key shown at sign-up opens the
 * account's keys on this device. A wrong key stores nothing and keeps the step.
 */
export function RecoveryKeyEntry({
  onRestart,
}: {
  onRestart: (why?: unknown) => void;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { recoveryKey: '' },
  });
  const restartOn = (error: Error) =>
    isApiError(error) && ['SIGN_IN_EXPIRED', 'SIGN_IN_NOT_STARTED'].includes(error.code);
  const unlock = useMutation({
    mutationFn: (recoveryKey: string) => coffer().sync.signInWithRecoveryKey({ recoveryKey }),
    // The answer carries the signed-in status; the event says the same to every window.
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['sync'] }),
    onError: (error) => {
      if (restartOn(error)) {
        // The core no longer holds this sign-in: the screen re-reads where it stands.
        void queryClient.invalidateQueries({ queryKey: ['sync'] });
        onRestart(error);
      } else if (fieldOfError(error, ['recoveryKey']) === 'recoveryKey') {
        form.setError('recoveryKey', { message: errorText(error) });
      }
    },
  });
  const cancel = useMutation({
    mutationFn: () => coffer().sync.signInCancel({}),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sync'] });
      onRestart();
    },
  });
  const submit = form.handleSubmit((values) => unlock.mutate(values.recoveryKey));

  return (
    <form
      className="form form-wide"
      aria-label="Account Recovery Key"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <p>
        Enter the Account Recovery Key you saved when you created the account. It opens your synced
        data on this device.
      </p>
      <Controller
        control={form.control}
        name="recoveryKey"
        render={({ field, fieldState }) => (
          <TextInput
            label="Account Recovery Key"
            description="14 groups of 4 letters and digits, with dashes"
            autoComplete="off"
            spellCheck="false"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={unlock.isPending}>
          {unlock.isPending ? 'Opening your keys…' : 'Finish signing in'}
        </Button>
        <Button isPending={cancel.isPending} onPress={() => cancel.mutate()}>
          Cancel sign-in
        </Button>
      </div>
      {unlock.isError &&
        !restartOn(unlock.error) &&
        fieldOfError(unlock.error, ['recoveryKey']) === null && (
          <ErrorMessage error={unlock.error} title="Not signed in" />
        )}
    </form>
  );
}
