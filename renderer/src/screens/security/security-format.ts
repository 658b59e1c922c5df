/**
 * How the Security screen writes what a person copies by eye or reads in a list: the
 * authenticator key in groups, backup codes as a file, and the sign-in history's words.
 */
import type { SignInEntry } from '../../../../shared/api/security.methods.js';

/** A base32 TOTP key in groups of 4, as authenticator apps take it typed. */
export function totpKeyGroups(secret: string): string[] {
  const key = secret.replace(/[\s-]+/g, '').toUpperCase();
  return key.match(/.{1,4}/g) ?? [];
}

/** The text file Download saves: the codes, the account, and how they work. */
export function backupCodesFileText(
  codes: readonly string[],
  email: string,
  server: string,
): string {
  return [
    'Coffer sync: backup codes',
    '',
    `Account: ${email}`,
    `Server: ${server}`,
    '',
    ...codes,
    '',
    'Each code signs you in once when you cannot use your other second factor.',
    'Making new codes stops these from working. Keep them somewhere safe.',
    '',
  ].join('\n');
}

const KIND_LABELS: Record<SignInEntry['kind'], string> = {
  register: 'Account created',
  password: 'Password',
  second_factor: 'Second factor',
  passkey: 'Passkey sign-in',
  step_up: 'Confirmation (step-up)',
};

const OUTCOME_LABELS: Record<SignInEntry['outcome'], string> = {
  success: 'Succeeded',
  mfa_required: 'Password right, second factor asked',
  failure: 'Failed',
  rate_limited: 'Refused: too many attempts',
  error: 'Failed (server error)',
};

const FACTOR_LABELS: Readonly<Record<string, string>> = {
  password: 'Password',
  totp: 'Authenticator app',
  email: 'Code by email',
  backup_code: 'Backup code',
  webauthn: 'Passkey',
  passkey: 'Passkey',
};

/** "Password", "Second factor: Authenticator app", … */
export function signInMethodText(entry: Pick<SignInEntry, 'kind' | 'factor'>): string {
  const factor = entry.factor === null ? null : (FACTOR_LABELS[entry.factor] ?? entry.factor);
  const kind = KIND_LABELS[entry.kind];
  // An account is always created with a password: saying so adds nothing.
  if (factor === null || factor === kind || entry.kind === 'register') return kind;
  return `${kind}: ${factor}`;
}

/** "Failed (INVALID_CODE)", "Succeeded", with "×3" when alike refusals were summed up. */
export function signInResultText(
  entry: Pick<SignInEntry, 'outcome' | 'errorCode' | 'repeats'>,
): string {
  const base = OUTCOME_LABELS[entry.outcome];
  const why = entry.errorCode === null ? '' : ` (${entry.errorCode})`;
  const times = entry.repeats > 1 ? `, ${entry.repeats} times` : '';
  return `${base}${why}${times}`;
}

/** The device a sign-in or session is from: its name, else the browser's user agent. */
export function deviceText(entry: {
  deviceName: string | null;
  userAgent?: string | null;
}): string {
  if (entry.deviceName !== null && entry.deviceName !== '') return entry.deviceName;
  if (entry.userAgent !== undefined && entry.userAgent !== null && entry.userAgent !== '') {
    return entry.userAgent.length > 60 ? `${entry.userAgent.slice(0, 57)}…` : entry.userAgent;
  }
  return 'Unknown device';
}
