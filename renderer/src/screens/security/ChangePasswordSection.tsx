import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Checkbox } from 'react-aria-components';
import { Controller, FormProvider, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { ChangePasswordInput } from '../../../../shared/api/security.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { FormTextField } from '../../ui/FormTextField.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { securityErrorText, securityFieldOfError } from './security-errors.js';
import { SECURITY_KEY } from './use-security-queries.js';

const FormSchema = z
  .object({
    currentPassword: z.string().min(1, 'Type your current password'),
    newPassword: z.string().min(1, 'Type a new password'),
    confirmPassword: z.string(),
    endOtherSessions: z.boolean(),
  })
  .refine((values) => values.confirmPassword === values.newPassword, {
    path: ['confirmPassword'],
    message: 'This is not the same as the new password',
  });
type FormValues = z.input<typeof FormSchema>;

const FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * The sync account's password. The server's rules (length, common passwords, the email in
 * it) answer by the new-password field. Other devices stay signed in unless asked.
 */
export function ChangePasswordSection(): React.JSX.Element {
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: {
      currentPassword: '',
      newPassword: '',
      confirmPassword: '',
      endOtherSessions: false,
    },
  });
  const change = useMutation({
    mutationFn: stepUp.guard((input: ChangePasswordInput) =>
      coffer().security.changePassword(input),
    ),
    onSuccess: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: SECURITY_KEY });
    },
    onError: (error) => {
      const field = securityFieldOfError(error, FIELDS);
      if (field === 'currentPassword' || field === 'newPassword') {
        form.setError(field, { message: securityErrorText(error) });
      }
    },
  });
  const submit = form.handleSubmit(({ currentPassword, newPassword, endOtherSessions }) =>
    change.mutate({ currentPassword, newPassword, endOtherSessions }),
  );
  const ended = change.data?.endedSessions ?? 0;

  return (
    <section className="card" aria-labelledby="security-password-heading">
      <h2 id="security-password-heading">Password</h2>
      <p>
        The password of your sync account. It does not encrypt your data: your Account Recovery Key
        stays the same. At least 12 characters; a phrase of several words is good.
      </p>
      <FormProvider {...form}>
        <form
          className="form"
          aria-label="Change password"
          noValidate
          onSubmit={(event) => void submit(event)}
        >
          <FormTextField
            name="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
          />
          <FormTextField
            name="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
          />
          <FormTextField
            name="confirmPassword"
            label="New password again"
            type="password"
            autoComplete="new-password"
          />
          <Controller
            control={form.control}
            name="endOtherSessions"
            render={({ field }) => (
              <Checkbox className="checkbox" isSelected={field.value} onChange={field.onChange}>
                <span className="checkbox-box" aria-hidden="true" />
                Also sign out all my other devices
              </Checkbox>
            )}
          />
          <p>
            Unless you tick this, your other devices stay signed in with their current session. A
            device that is signed out erases its copy of your synced data the next time it connects
            (changes it had not synced are lost) and needs your new password and Recovery Key to
            sign in again.
          </p>
          <div className="button-row">
            <Button type="submit" variant="primary" isPending={change.isPending}>
              {change.isPending ? 'Changing the password…' : 'Change password'}
            </Button>
            <p role="status" className="status-line">
              {change.isSuccess
                ? ended > 0
                  ? `Password changed. ${ended} other ${ended === 1 ? 'session was' : 'sessions were'} signed out.`
                  : 'Password changed. Your other devices are still signed in.'
                : ''}
            </p>
          </div>
          {change.isError && securityFieldOfError(change.error, FIELDS) === null && (
            <ErrorMessage error={change.error} title="The password was not changed" />
          )}
        </form>
      </FormProvider>
      {stepUp.dialog}
    </section>
  );
}
