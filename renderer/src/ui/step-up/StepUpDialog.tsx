import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { SecondFactorMethod } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../Button.js';
import { ModalDialog } from '../Dialog.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Progress } from '../Progress.js';
import { TextInput } from '../TextInput.js';
import { CodeMethodChoice, codeFieldProps } from '../second-factor/CodeMethodChoice.js';
import { PasskeyStepUp } from './PasskeyStepUp.js';
import { stepUpErrorField, stepUpInput } from './step-up-decision.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

const FormSchema = z.object({
  password: z.string().min(1, 'Type your password'),
  code: z.string(),
});
type FormValues = z.input<typeof FormSchema>;

/** The query key of what a step-up asks for, so a screen that changes factors can refresh it. */
export const STEP_UP_OPTIONS_KEY = ['security', 'stepUpOptions'] as const;

/**
 * "Confirm it is you": the account's password, and a code of one of its second factors when
 * it has any. Opens over the screen whose change the server refused; `onConfirmed` once the
 * session is stepped up, `onCancel` when closed (Escape, Cancel).
 */
export function StepUpDialog({
  onConfirmed,
  onCancel,
}: {
  onConfirmed: () => void;
  onCancel: () => void;
}): React.JSX.Element {
  const options = useQuery({
    queryKey: STEP_UP_OPTIONS_KEY,
    meta: SERVER_QUERY,
    queryFn: () => coffer().security.stepUpOptions({}),
    staleTime: 0,
    gcTime: 0,
  });
  const methods = options.data?.methods ?? [];
  const [chosen, setChosen] = useState<SecondFactorMethod | null>(null);
  const method = methods.length === 0 ? null : (chosen ?? methods[0] ?? null);
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(
      FormSchema.superRefine((values, context) => {
        if (method !== null && values.code.trim().length < 6) {
          context.addIssue({ code: 'custom', path: ['code'], message: 'Type the code' });
        }
      }),
    ),
    defaultValues: { password: '', code: '' },
  });
  const confirm = useMutation({
    mutationFn: (values: FormValues) => coffer().security.stepUp(stepUpInput(values, method)),
    onSuccess: onConfirmed,
    onError: async (error) => {
      const field = stepUpErrorField(error);
      if (field !== null) {
        form.setError(field, { message: error.message.replace(/^The sync server refused: /, '') });
      }
      // The account's factors changed since the dialog opened: show the ones it has now.
      if (field === 'code' && method === null) await options.refetch();
    },
  });
  const sendEmail = useMutation({
    mutationFn: () => coffer().security.sendStepUpEmailCode({}),
  });
  const submit = form.handleSubmit((values) => confirm.mutate(values));

  return (
    <ModalDialog title="Confirm it is you" onClose={onCancel}>
      {options.isPending ? (
        <Progress label="Asking the server what it needs" />
      ) : (
        <form
          className="form"
          aria-label="Confirm it is you"
          noValidate
          onSubmit={(event) => void submit(event)}
        >
          <p>
            This change needs your sync account password
            {method === null && options.data?.passkey !== true ? '' : ' and a second factor'}.
            Nothing you typed on the screen behind is lost.
          </p>
          {options.isError && (
            <ErrorMessage error={options.error} title="Could not ask the server" />
          )}
          <Controller
            control={form.control}
            name="password"
            render={({ field, fieldState }) => (
              <TextInput
                label="Password"
                type="password"
                autoComplete="current-password"
                autoFocus
                {...field}
                error={fieldState.error?.message}
              />
            )}
          />
          {options.data?.passkey === true && (
            <>
              <PasskeyStepUp
                password={async () =>
                  (await form.trigger('password')) ? form.getValues('password') : null
                }
                onConfirmed={onConfirmed}
                onPasswordError={(message) => form.setError('password', { message })}
              />
              {method !== null && <p>Or confirm with a code:</p>}
            </>
          )}
          {method !== null && (
            <CodeMethodChoice
              methods={methods}
              method={method}
              onChange={(value) => {
                setChosen(value);
                form.clearErrors('code');
              }}
              label="Second factor"
              sendLabel="Email me a code"
              sending={{ ...sendEmail, send: () => sendEmail.mutate() }}
            />
          )}
          {sendEmail.isError && <ErrorMessage error={sendEmail.error} title="No code was sent" />}
          {method !== null && (
            <Controller
              control={form.control}
              name="code"
              render={({ field, fieldState }) => (
                <TextInput
                  {...codeFieldProps(method)}
                  {...field}
                  error={fieldState.error?.message}
                />
              )}
            />
          )}
          {confirm.isError && stepUpErrorField(confirm.error) === null && (
            <ErrorMessage error={confirm.error} title="Not confirmed" />
          )}
          <div className="button-row">
            <Button type="submit" variant="primary" isPending={confirm.isPending}>
              {confirm.isPending ? 'Confirming…' : 'Confirm'}
            </Button>
            <Button onPress={onCancel}>Cancel</Button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
