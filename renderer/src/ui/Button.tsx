import { Button as AriaButton, type ButtonProps } from 'react-aria-components';

/** A button; `variant` picks its weight. Pending buttons say so and cannot be pressed twice. */
export function Button({
  variant = 'secondary',
  className,
  ...props
}: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' }): React.JSX.Element {
  return (
    <AriaButton
      {...props}
      className={`button button-${variant}${typeof className === 'string' ? ` ${className}` : ''}`}
    />
  );
}
