/**
 * The security of the vault's sync account: the step-up that sensitive changes need, and
 * (beside it) the account's second factors, sessions and sign-in history. Passwords and
 * codes go in; no session token ever comes out.
 *
 * Step-up: a sensitive call the server takes only from a recently confirmed session fails
 * with STEP_UP_REQUIRED. The window then asks for the password (and a second factor when
 * the account has one, `stepUpOptions`), calls `stepUp`, and retries the call once.
 */
import * as z from 'zod';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';
import { AuthenticationResponseSchema, type PasskeyOptionsJSON } from './passkeys.methods.js';
import { SECOND_FACTOR_METHODS, type SecondFactorMethod } from './sync.methods.js';

/** Length only: the server checks the password. */
const PasswordSchema = z.string().min(1, 'Type your password').max(1024);

export interface StepUpOptions {
  /** The second factors a window can answer with a typed code; empty: the password alone. */
  methods: SecondFactorMethod[];
  /** The account also takes a passkey (answered by the passkey ceremony, not a code). */
  passkey: boolean;
}

export const StepUpInputSchema = z
  .strictObject({
    password: PasswordSchema,
    method: z.enum(SECOND_FACTOR_METHODS).optional(),
    code: z.string().trim().min(6, 'A code is at least 6 characters').max(64).optional(),
  })
  .superRefine((input, context) => {
    if (input.method !== undefined && input.code === undefined) {
      context.addIssue({ code: 'custom', path: ['code'], message: 'Type the code' });
    }
    if (input.code !== undefined && input.method === undefined) {
      context.addIssue({ code: 'custom', path: ['method'], message: 'Say which code this is' });
    }
  });
export type StepUpInput = z.input<typeof StepUpInputSchema>;

/** The password and the window's answer to `stepUpPasskeyOptions`. */
export const StepUpWithPasskeyInputSchema = z.strictObject({
  password: PasswordSchema,
  response: AuthenticationResponseSchema,
});
export type StepUpWithPasskeyInput = z.input<typeof StepUpWithPasskeyInputSchema>;

/** The account's second factors, as the Security screen shows them. */
export interface SecondFactorsOverview {
  totp: boolean;
  emailCodes: boolean;
  backupCodesRemaining: number;
  passkeys: number;
}

/** Shown once, to be typed or scanned into an authenticator app, then confirmed with a code. */
export interface TotpSetup {
  /** Base32; the window shows it this once. */
  secret: string;
  /** A PNG data URL of the otpauth URI, drawn by the core. */
  qrCode: string;
  /** The account label the authenticator app will show. */
  label: string;
}

export interface AccountSession {
  id: string;
  deviceName: string;
  platform: string | null;
  ip: string;
  /** UTC ms. */
  createdAt: number;
  lastSeenAt: number;
  /** This device's own session. */
  current: boolean;
}

export interface SignInEntry {
  id: string;
  /** UTC ms. */
  at: number;
  kind: 'register' | 'password' | 'second_factor' | 'passkey' | 'step_up';
  /** password, totp, email, backup_code, webauthn or passkey. */
  factor: string | null;
  outcome: 'success' | 'mfa_required' | 'failure' | 'rate_limited' | 'error';
  errorCode: string | null;
  ip: string;
  userAgent: string | null;
  deviceName: string | null;
  /** How many alike attempts this entry stands for. */
  repeats: number;
}

/** Ten single-use codes, shown once. */
export interface BackupCodes {
  backupCodes: string[];
}

const CodeSchema = z.string().trim().min(6, 'A code is at least 6 characters').max(64);

export const ChangePasswordInputSchema = z.strictObject({
  currentPassword: PasswordSchema,
  /** Length only here: the server's rules answer with their own codes. */
  newPassword: z.string().min(1, 'Type a new password').max(1024),
  endOtherSessions: z.boolean(),
});
export type ChangePasswordInput = z.input<typeof ChangePasswordInputSchema>;

const SessionIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Not a session id');

export const SECURITY_METHODS = {
  /** What a step-up of this account asks for besides the password. */
  stepUpOptions: apiMethod<StepUpOptions>()(EmptyInputSchema),
  /** Emails a step-up code (accounts with email codes on). */
  sendStepUpEmailCode: apiMethod<{ sent: true }>()(EmptyInputSchema),
  /**
   * Confirms it is the account's owner: sensitive calls are taken for the server's next
   * 10 minutes. A wrong password or code is AUTH_FAILED; the password alone for an account
   * with a second factor is SECOND_FACTOR_REQUIRED.
   */
  stepUp: apiMethod<{ elevated: true }>()(StepUpInputSchema),
  /** Assertion options for the window's passkey ceremony (a one-time challenge, nothing secret). */
  stepUpPasskeyOptions: apiMethod<{ options: PasskeyOptionsJSON }>()(EmptyInputSchema),
  /**
   * `stepUp` with a passkey: the password and the assertion the window's ceremony made for
   * `stepUpPasskeyOptions`. A refused assertion is PASSKEY_REJECTED; nothing is elevated.
   */
  stepUpWithPasskey: apiMethod<{ elevated: true }>()(StepUpWithPasskeyInputSchema),
  /** Signs out every other session of the account (step-up). */
  revokeOtherSessions: apiMethod<{ endedSessions: number }>()(EmptyInputSchema),
  secondFactors: apiMethod<SecondFactorsOverview>()(EmptyInputSchema),
  /** Step-up. With `endOtherSessions`, every other device is signed out. */
  changePassword: apiMethod<{ endedSessions: number }>()(ChangePasswordInputSchema),
  /** Step-up. Starts authenticator-app setup; nothing changes until `confirmTotp`. */
  beginTotp: apiMethod<TotpSetup>()(EmptyInputSchema),
  /** Step-up. Turns the authenticator app on; the new backup codes are shown once. */
  confirmTotp: apiMethod<BackupCodes>()(z.strictObject({ code: CodeSchema })),
  /** Step-up. */
  removeTotp: apiMethod<{ removed: true }>()(EmptyInputSchema),
  /** Step-up. Backup codes come with turning them on when it is the first second factor. */
  setEmailCodes: apiMethod<{ enabled: boolean; backupCodes?: string[] }>()(
    z.strictObject({ enabled: z.boolean() }),
  ),
  /** Step-up. The previous codes stop working. */
  regenerateBackupCodes: apiMethod<BackupCodes>()(EmptyInputSchema),
  sessions: apiMethod<AccountSession[]>()(EmptyInputSchema),
  /** Step-up. Another device's session; this device signs out on the Sync screen. */
  revokeSession: apiMethod<{ revoked: true }>()(z.strictObject({ sessionId: SessionIdSchema })),
  /** Newest first; `cursor` is the previous page's `nextCursor`. */
  signIns: apiMethod<{ signIns: SignInEntry[]; nextCursor: string | null }>()(
    z.strictObject({
      cursor: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .optional(),
    }),
  ),
} as const;
