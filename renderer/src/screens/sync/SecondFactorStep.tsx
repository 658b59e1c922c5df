import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type {
  SecondFactorMethod,
  SignInFactor,
  SignInStep,
} from '../../../../shared/api/sync.methods.js';
import { isApiError } from '../../../../shared/api/api-error.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { CodeMethodChoice, codeFieldProps } from '../../ui/second-factor/CodeMethodChoice.js';
import { TextInput } from '../../ui/TextInput.js';
import { errorText, fieldOfError } from './sync-errors.js';
import { PasskeySignIn } from './PasskeySignIn.js';

const FormSchema = z.object({
  code: z.string().trim().min(6, 'A code is at least 6 characters').max(64),
});
type FormValues = z.input<typeof FormSchema>;

const isCodeMethod = (method: SignInFactor): method is SecondFactorMethod => method !== 'passkey';

/**
 * The account's second factor: the user picks one the server offered and types its code,
 * or uses a passkey when the account has one. A wrong code or a refused passkey keeps the
 * step (and what was typed); a sign-in the server ended starts over.
 */
export function SecondFactorStep({
  methods,
  onAnswer,
  onRestart,
}: {
  methods: readonly SignInFactor[];
  onAnswer: (answer: SignInStep) => void;
  onRestart: (why?: unknown) => void;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const codeMethods = methods.filter(isCodeMethod);
  const [method, setMethod] = useState<SecondFactorMethod>(codeMethods[0] ?? 'totp');
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { code: '' },
  });
  const expired = (error: Error) => isApiError(error) && error.code === 'SIGN_IN_EXPIRED';
  const answer = useMutation({
    mutationFn: (code: string) => coffer().sync.signInSecondFactor({ method, code }),
    onSuccess: onAnswer,
    onError: (error) => {
      if (expired(error)) onRestart(error);
      else if (fieldOfError(error, ['code']) === 'code') {
        form.setError('code', { message: errorText(error) });
      }
    },
  });
  const sendEmail = useMutation({
    mutationFn: () => coffer().sync.signInSendEmailCode({}),
    onError: (error) => {
      if (expired(error)) onRestart(error);
    },
  });
  const cancel = useMutation({
    mutationFn: () => coffer().sync.signInCancel({}),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sync'] });
      onRestart();
    },
  });
  const submit = form.handleSubmit((values) => answer.mutate(values.code));

  return (
    <form
      className="form"
      aria-label="Second factor"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <p>Your account asks for a second step. Choose how you confirm it is you.</p>
      {methods.includes('passkey') && (
        <PasskeySignIn onAnswer={onAnswer} onRestart={onRestart} expired={expired} />
      )}
      <CodeMethodChoice
        methods={codeMethods}
        method={method}
        onChange={(value) => {
          setMethod(value);
          form.clearErrors('code');
        }}
        label="Confirm with"
        sendLabel="Send code"
        sending={{ ...sendEmail, send: () => sendEmail.mutate() }}
      />
      {sendEmail.isError && !expired(sendEmail.error) && (
        <ErrorMessage error={sendEmail.error} title="No code was sent" />
      )}
      <Controller
        control={form.control}
        name="code"
        render={({ field, fieldState }) => (
          <TextInput {...codeFieldProps(method)} {...field} error={fieldState.error?.message} />
        )}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={answer.isPending}>
          {answer.isPending ? 'Checking the code…' : 'Verify code'}
        </Button>
        <Button isPending={cancel.isPending} onPress={() => cancel.mutate()}>
          Cancel sign-in
        </Button>
      </div>
      {answer.isError &&
        !expired(answer.error) &&
        fieldOfError(answer.error, ['code']) === null && (
          <ErrorMessage error={answer.error} title="The code was not accepted" />
        )}
    </form>
  );
}
