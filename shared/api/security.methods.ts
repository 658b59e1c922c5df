/**
 * The security of the vault's sync account: the step-up that sensitive changes need, and
 * (beside it) the account's second factors, sessions and sign-in history. Passwords and
 * codes go in; no session token ever comes out.
 *
 * Step-up: a sensitive call the server takes only from a recently confirmed session fails
 * with STEP_UP_REQUIRED. The window then asks for the password (and a second factor when
 * the account has one, `stepUpOptions`), calls `stepUp`, and retries the call once.
 */
import { z } from 'zod';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';
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
  /** Signs out every other session of the account (step-up). */
  revokeOtherSessions: apiMethod<{ endedSessions: number }>()(EmptyInputSchema),
} as const;
