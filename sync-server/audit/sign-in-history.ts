import type { AuditOutcome, AuditRecord } from '../storage/audit.repository.js';

/** What kind of sign-in step a request was. */
export type SignInKind = 'register' | 'password' | 'second_factor' | 'passkey' | 'step_up';

/**
 * The routes whose requests belong to a user's sign-in history, by audit action. The audit
 * service records the account each one was for (`subjectUserId`).
 */
export const SIGN_IN_ACTIONS: Readonly<Record<string, SignInKind>> = {
  'POST /v1/auth/register': 'register',
  'POST /v1/auth/login': 'password',
  'POST /v1/auth/login/mfa': 'second_factor',
  'POST /v1/auth/webauthn/verify': 'passkey',
  'POST /v1/auth/step-up': 'step_up',
};

/** One entry of `GET /v1/me/sign-ins` and of the account export. */
export type SignInEntry = {
  id: string;
  /** ISO 8601 UTC. */
  at: string;
  kind: SignInKind;
  /** password, totp, email, backup_code, webauthn (second factor) or passkey (passwordless). */
  factor: string | null;
  outcome: AuditOutcome;
  /** Why it failed (e.g. INVALID_CREDENTIALS, INVALID_CODE, RATE_LIMITED), else null. */
  errorCode: string | null;
  ip: string;
  userAgent: string | null;
  deviceName: string | null;
  /** How many attempts alike this entry stands for (refusals counted in a minute sum up). */
  repeats: number;
};

export function signInKindOf(record: Pick<AuditRecord, 'action' | 'factor'>): SignInKind {
  const kind = SIGN_IN_ACTIONS[record.action] ?? 'password';
  // The passkey route also answers a password login's second step (with a challengeToken).
  return kind === 'passkey' && record.factor === 'webauthn' ? 'second_factor' : kind;
}

export function toSignInEntry(record: AuditRecord): SignInEntry {
  return {
    id: record.id,
    at: new Date(record.at).toISOString(),
    kind: signInKindOf(record),
    factor: record.factor,
    outcome: record.outcome,
    errorCode: record.errorCode,
    ip: record.ip,
    userAgent: record.userAgent,
    deviceName: record.deviceName,
    repeats: record.repeats ?? 1,
  };
}

const CURSOR = /^s(\d{1,15})$/;

/** Opaque page cursor: the position of the last entry of a page. */
export function encodeCursor(record: { seq: number }): string {
  return `s${record.seq}`;
}

export function decodeCursor(cursor: string): number | null {
  const match = CURSOR.exec(cursor);
  return match === null ? null : Number(match[1]);
}
