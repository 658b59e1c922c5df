import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/**
 * RFC 6238 as authenticator apps implement it: HMAC-SHA-1, 30-second steps, 6 digits,
 * base32 secrets of 20 random bytes. A code is accepted for the current step and one step
 * either side (clock drift); the caller rejects steps at or before the last accepted one.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

export interface TotpParameters {
  /** Base32 string, or raw key bytes (the RFC 6238 test vectors use an ASCII key). */
  secret: string | Uint8Array;
  digits?: 6 | 7 | 8;
}

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The code for the time step containing `nowMs`. */
export function totpCodeAt(params: TotpParameters, nowMs: number): string {
  return generateSync({
    secret: params.secret,
    algorithm: 'sha1',
    digits: params.digits ?? TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(nowMs / 1000),
  });
}

/** The RFC 6238 time step (T) containing `nowMs`. */
export function totpStepAt(nowMs: number): number {
  return Math.floor(Math.floor(nowMs / 1000) / TOTP_PERIOD_SECONDS);
}

/**
 * Matches `code` against the steps T-1, T and T+1 around `nowMs`. Returns the matching step
 * or null. Compared in constant time by otplib.
 */
export function matchTotp(params: TotpParameters, code: string, nowMs: number): number | null {
  const digits = params.digits ?? TOTP_DIGITS;
  if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) return null;
  const result = verifySync({
    secret: params.secret,
    token: code,
    algorithm: 'sha1',
    digits,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
  });
  if (!result.valid || !('timeStep' in result)) return null;
  const current = totpStepAt(nowMs);
  // epochTolerance is in seconds; keep the window at exactly one step either side.
  return Math.abs(result.timeStep - current) <= 1 ? result.timeStep : null;
}

export function totpUri(secret: string, issuer: string, accountName: string): string {
  return generateURI({
    issuer,
    label: accountName,
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}
