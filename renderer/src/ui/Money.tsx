import { formatMinor } from './format.js';

/** An amount in its own currency, in the user's locale; negative amounts are marked. */
export function Money({ minor, currency }: { minor: number; currency: string }): React.JSX.Element {
  return (
    <span className={minor < 0 ? 'money money-negative' : 'money'}>
      {formatMinor(minor, currency)}
    </span>
  );
}
