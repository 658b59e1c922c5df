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
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { PasskeyOptionsJSON } from '../../../shared/api/passkeys.methods.js';

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

/** Why the browser's ceremony ended without a response, from its DOMException or WebAuthnError. */
export function ceremonyFailure(error: unknown): PasskeyCeremonyFailure {
  // A WebAuthnError carries the cause's DOMException name too; its own code says more.
  const code = error instanceof WebAuthnError ? error.code : undefined;
  switch (code) {
    case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
      return 'exists';
    case 'ERROR_CEREMONY_ABORTED':
      return 'cancelled';
    case 'ERROR_INVALID_DOMAIN':
    case 'ERROR_INVALID_RP_ID':
      return 'refused';
    default:
      break;
  }
  switch (error instanceof Error ? error.name : '') {
    case 'InvalidStateError':
      return 'exists';
    case 'NotAllowedError':
    case 'AbortError':
      return 'cancelled';
    case 'SecurityError':
      return 'refused';
    case 'NotSupportedError':
      return 'unsupported';
    default:
      return 'failed';
  }
}

async function ceremony<T>(run: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) {
    throw new PasskeyCeremonyError('unsupported', MESSAGES.unsupported);
  }
  try {
    return await run();
  } catch (error) {
    const reason = ceremonyFailure(error);
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
