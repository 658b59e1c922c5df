/**
 * The place for passkeys on the Security screen (as a second factor and for signing in
 * without a password), between the other second factors and the backup codes. It shows
 * nothing until passkey enrolment is built into the app.
 */
export function PasskeysSection(): React.JSX.Element | null {
  return null;
}
