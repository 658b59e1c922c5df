import {
  FieldError,
  Input,
  Label,
  Text,
  TextField,
  type TextFieldProps,
} from 'react-aria-components';

/**
 * A labelled text field whose error (from the shared schema, via the form) is shown next
 * to it and announced.
 */
export function TextInput({
  label,
  description,
  error,
  ...props
}: TextFieldProps & {
  label: string;
  description?: string;
  error?: string | undefined;
}): React.JSX.Element {
  return (
    <TextField
      {...props}
      className="field"
      isInvalid={error !== undefined}
      validationBehavior="aria"
    >
      <Label className="label">{label}</Label>
      <Input />
      {description !== undefined && <Text slot="description">{description}</Text>}
      <FieldError>{error}</FieldError>
    </TextField>
  );
}
