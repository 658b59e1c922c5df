/**
 * The browser's half of a passkey ceremony: the core hands over the server's options, the
 * window asks the authenticator (navigator.credentials through @simplewebauthn/browser) and
 * hands the response back. Failures here never reached the server, so they are said in the
 * user's terms: cancelled, already registered, not allowed on this page, not supported.
 */
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { PasskeyOptionsJSON } from '../../../../shared/api/passkeys.methods.js';

export type PasskeyCeremonyFailure = 'cancelled' | 'exists' | 'refused' | 'unsupported' | 'failed';

/** The browser or the user stopped the ceremony; nothing was sent to the server. */
export class PasskeyCeremonyError extends Error {
  constructor(
    readonly reason: PasskeyCeremonyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PasskeyCeremonyError';
  }
}

const MESSAGES: Record<PasskeyCeremonyFailure, string> = {
  cancelled:
    'The passkey request was cancelled or timed out. Nothing was changed: try again, or use another way.',
  exists: 'This device already holds a passkey for this account.',
  refused:
    'The browser refused to use passkeys on this page: its address is not one the sync server accepts passkeys for.',
  unsupported: 'This browser cannot use passkeys.',
  failed: 'The passkey request failed in the browser.',
};

function failureOf(error: unknown): PasskeyCeremonyFailure {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') {
    return 'exists';
  }
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError') {
    return 'cancelled';
  }
  if (
    code === 'ERROR_INVALID_DOMAIN' ||
    code === 'ERROR_INVALID_RP_ID' ||
    name === 'SecurityError'
  ) {
    return 'refused';
  }
  if (name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}

async function ceremony<T>(run: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) {
    throw new PasskeyCeremonyError('unsupported', MESSAGES.unsupported);
  }
  try {
    return await run();
  } catch (error) {
    const reason = failureOf(error);
    throw new PasskeyCeremonyError(reason, MESSAGES[reason]);
  }
}

export function createPasskey(options: PasskeyOptionsJSON): Promise<RegistrationResponseJSON> {
  return ceremony(() =>
    startRegistration({
      optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
    }),
  );
}

export function signWithPasskey(options: PasskeyOptionsJSON): Promise<AuthenticationResponseJSON> {
  return ceremony(() =>
    // Request options need nothing but the challenge; the rest is the server's, as sent.
    startAuthentication({ optionsJSON: options }),
  );
}
