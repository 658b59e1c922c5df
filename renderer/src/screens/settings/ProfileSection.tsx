import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { DocumentProfilePatch } from '../../../../shared/domain/settings.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { TextInput } from '../../ui/TextInput.js';

type Field = 'name' | 'address' | 'email' | 'phone' | 'taxId' | 'instructions';
const EMPTY: Record<Field, string> = {
  name: '',
  address: '',
  email: '',
  phone: '',
  taxId: '',
  instructions: '',
};

/**
 * Who the invoices and quotes come from. The core checks every field with the shared
 * schema; its field errors are shown next to the field they belong to.
 */
export function ProfileSection(): React.JSX.Element {
  const profile = useQuery({
    queryKey: ['settings', 'getProfile'],
    queryFn: () => coffer().settings.getProfile({}),
  });
  const [values, setValues] = useState(EMPTY);
  const save = useCofferMutation((patch: DocumentProfilePatch) =>
    coffer().settings.updateProfile(patch),
  );

  useEffect(() => {
    const data = profile.data;
    if (data === undefined) return;
    setValues({
      name: data.name,
      address: data.address ?? '',
      email: data.email ?? '',
      phone: data.phone ?? '',
      taxId: data.taxId ?? '',
      instructions: data.paymentInstructions?.details ?? '',
    });
  }, [profile.data]);

  const fieldErrors = isApiError(save.error) ? save.error.fieldErrors() : {};
  const set = (field: Field) => (value: string) => setValues((old) => ({ ...old, [field]: value }));
  const orNull = (value: string) => (value.trim() === '' ? null : value);

  return (
    <form
      className="card form"
      aria-labelledby="profile-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          name: values.name,
          address: orNull(values.address),
          email: orNull(values.email),
          phone: orNull(values.phone),
          taxId: orNull(values.taxId),
          paymentInstructions:
            values.instructions.trim() === ''
              ? null
              : { method: 'bank_transfer', details: values.instructions },
        });
      }}
    >
      <h2 id="profile-heading">Profile on invoices and quotes</h2>
      {profile.isPending && <Progress label="Loading the profile" />}
      {profile.isError && (
        <ErrorMessage error={profile.error} title="The profile could not be loaded" />
      )}
      <TextInput
        label="Business or your name"
        value={values.name}
        onChange={set('name')}
        error={fieldErrors['name']}
      />
      <TextInput
        label="Address"
        value={values.address}
        onChange={set('address')}
        error={fieldErrors['address']}
        description="Commas or new lines between lines"
      />
      <TextInput
        label="Email"
        type="email"
        value={values.email}
        onChange={set('email')}
        error={fieldErrors['email']}
      />
      <TextInput
        label="Phone"
        value={values.phone}
        onChange={set('phone')}
        error={fieldErrors['phone']}
      />
      <TextInput
        label="Tax id"
        value={values.taxId}
        onChange={set('taxId')}
        error={fieldErrors['taxId']}
      />
      <TextInput
        label="Payment instructions (bank transfer)"
        value={values.instructions}
        onChange={set('instructions')}
        error={fieldErrors['paymentInstructions.details'] ?? fieldErrors['paymentInstructions']}
        description="For example the IBAN and BIC your clients pay to"
      />
      <Button type="submit" variant="primary" isPending={save.isPending}>
        Save profile
      </Button>
      {save.isError && <ErrorMessage error={save.error} title="The profile was not saved" />}
      {save.isSuccess && <p role="status">Profile saved.</p>}
    </form>
  );
}
