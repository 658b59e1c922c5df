import { Label, Radio, RadioGroup } from 'react-aria-components';
import type { SecondFactorMethod } from '../../../../shared/api/sync.methods.js';
import { Button } from '../Button.js';

const METHOD_LABELS: Record<SecondFactorMethod, { choice: string; field: string }> = {
  totp: { choice: 'Authenticator app', field: 'Code from your authenticator app' },
  email: { choice: 'Code by email', field: 'Code from the email' },
  backup: { choice: 'Backup code', field: 'Backup code' },
};

/** The code field's label and keyboard for a method: digits, except backup codes. */
export function codeFieldProps(method: SecondFactorMethod) {
  return {
    label: METHOD_LABELS[method].field,
    autoComplete: 'one-time-code',
    inputMode: method === 'backup' ? 'text' : 'numeric',
  } as const;
}

/**
 * Which of the account's code factors answers (shown when there is more than one), and for
 * an emailed code the button that sends it. Shared by the sign-in's second step and the
 * step-up dialog; each keeps its own code field and form.
 */
export function CodeMethodChoice({
  methods,
  method,
  onChange,
  label,
  sendLabel,
  sending,
}: {
  methods: readonly SecondFactorMethod[];
  method: SecondFactorMethod;
  onChange: (method: SecondFactorMethod) => void;
  /** The radio group's name, e.g. "Confirm with". */
  label: string;
  sendLabel: string;
  sending: { isPending: boolean; isSuccess: boolean; send: () => void };
}): React.JSX.Element {
  return (
    <>
      {methods.length > 1 && (
        <RadioGroup
          className="radio-group"
          value={method}
          onChange={(value) => onChange(value as SecondFactorMethod)}
        >
          <Label className="label">{label}</Label>
          {methods.map((choice) => (
            <Radio key={choice} value={choice} className="radio">
              <span className="radio-dot" aria-hidden="true" />
              {METHOD_LABELS[choice].choice}
            </Radio>
          ))}
        </RadioGroup>
      )}
      {method === 'email' && (
        <div className="button-row">
          <Button isPending={sending.isPending} onPress={sending.send}>
            {sending.isPending ? 'Sending the code…' : sendLabel}
          </Button>
          <p role="status" className="status-line">
            {sending.isSuccess ? 'Code sent: check your email.' : ''}
          </p>
        </div>
      )}
    </>
  );
}
