import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';

/**
 * The server's passkey refusals as the codes a window acts on. Without this a refused
 * assertion (401 WEBAUTHN_REJECTED) would read as an ended session.
 */
const PASSKEY_CODES: Readonly<Record<string, { code: CofferError['code']; message: string }>> = {
  WEBAUTHN_REJECTED: {
    code: 'PASSKEY_REJECTED',
    message: 'The server did not accept this passkey. Try again, or use another way.',
  },
  WEBAUTHN_CHALLENGE_INVALID: {
    code: 'PASSKEY_REJECTED',
    message: 'The passkey request expired or was already used. Try again.',
  },
  WEBAUTHN_COUNTER_REGRESSION: {
    code: 'PASSKEY_REJECTED',
    message:
      'The server refused this passkey: its signature counter went backwards, so it may have been copied.',
  },
  PASSKEY_NOT_FOUND: { code: 'NOT_FOUND', message: 'That passkey is no longer on this account.' },
  PASSKEY_EXISTS: { code: 'CONFLICT', message: 'This passkey is already registered.' },
  METHOD_NOT_AVAILABLE: {
    code: 'INVALID_STATE',
    message: 'This account has no passkey to sign in with.',
  },
};

/** Runs `fn`, turning the server's passkey refusals into their own codes (serverCode kept). */
export async function withPasskeyRefusals<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const serverCode = isCofferError(error) ? error.details?.['serverCode'] : undefined;
    const mapped = typeof serverCode === 'string' ? PASSKEY_CODES[serverCode] : undefined;
    if (mapped === undefined || !isCofferError(error)) throw error;
    throw new CofferError(mapped.code, mapped.message, error.details);
  }
}
