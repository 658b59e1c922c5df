import type { AuthenticationResponseJSON } from '@simplewebauthn/server';

import type { LoginChallengeContext } from '../storage/mfa.repository.js';

/** Second factors a user can answer a challenge with, in the order clients should offer them. */
export type MfaMethod = 'webauthn' | 'totp' | 'email' | 'backup_code';

export const MFA_METHODS: readonly MfaMethod[] = ['webauthn', 'totp', 'email', 'backup_code'];

/** What the client sends to answer a challenge (or a step-up). */
export type MfaProof =
  | { method: 'totp' | 'email' | 'backup_code'; code: string }
  | { method: 'webauthn'; response: AuthenticationResponseJSON };

/** The device the login came from; the session issued after the second factor carries it. */
export type ChallengeContext = LoginChallengeContext;

export interface StartedChallenge {
  /** 256-bit, base64url; only its SHA-256 is stored. Valid 5 minutes. */
  challengeToken: string;
  methods: MfaMethod[];
}

export interface CompletedChallenge {
  userId: string;
  method: MfaMethod;
  context: ChallengeContext;
}

/**
 * The contract between login (accounts) and second factors (mfa). Login asks `methodsFor`;
 * a non-empty list means it must not issue a session but `startChallenge` instead, and only
 * `completeChallenge` (then SessionService.issue) finishes the sign-in. Step-up calls
 * `verifySecondFactor` after checking the password.
 *
 * Failures throw HttpError: 401 INVALID_CODE, CODE_REPLAYED, CODE_EXPIRED,
 * WEBAUTHN_REJECTED, CHALLENGE_EXPIRED (unknown, expired, completed, or ended after
 * MAX_CHALLENGE_FAILURES wrong answers); 400 METHOD_NOT_AVAILABLE; 429 TOO_MANY_ATTEMPTS
 * with Retry-After once the account has given MAX_SECOND_FACTOR_FAILURES wrong answers in
 * the rolling hour (second-factor-guard.ts), whatever the challenge, also at step-up.
 */
export interface MfaGate {
  /** Empty → the user has no second factor. */
  methodsFor(userId: string): Promise<MfaMethod[]>;
  startChallenge(userId: string, context: ChallengeContext): Promise<StartedChallenge>;
  completeChallenge(challengeToken: string, proof: MfaProof): Promise<CompletedChallenge>;
  verifySecondFactor(userId: string, proof: MfaProof): Promise<{ method: MfaMethod }>;
}

export const CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_CHALLENGE_FAILURES = 5;
