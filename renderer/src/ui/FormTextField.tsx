import { Controller, useFormContext, type FieldValues } from 'react-hook-form';
import { TextInput } from './TextInput.js';

/**
 * A text field of the surrounding react-hook-form form (inside its FormProvider), with
 * the schema's error for that field shown next to it.
 */
export function FormTextField({
  name,
  ...props
}: { name: string; label: string } & Omit<
  React.ComponentProps<typeof TextInput>,
  'label' | 'value' | 'onChange' | 'onBlur' | 'error' | 'name'
>): React.JSX.Element {
  const { control } = useFormContext<FieldValues>();
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <TextInput
          {...props}
          {...field}
          value={String(field.value ?? '')}
          error={fieldState.error?.message}
        />
      )}
    />
  );
}
