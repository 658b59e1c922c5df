import { WebAuthnError } from '@simplewebauthn/browser';
import { describe, expect, it } from 'vitest';
import { ceremonyFailure } from './passkey-ceremony.js';

const domError = (name: string): Error => {
  const error = new Error('from the browser');
  error.name = name;
  return error;
};

describe('ceremonyFailure', () => {
  it.each([
    ['NotAllowedError', 'cancelled'],
    ['AbortError', 'cancelled'],
    ['InvalidStateError', 'exists'],
    ['SecurityError', 'refused'],
    ['NotSupportedError', 'unsupported'],
    ['TypeError', 'failed'],
  ] as const)('reads a browser %s as %s', (name, reason) => {
    expect(ceremonyFailure(domError(name))).toBe(reason);
  });

  it("reads @simplewebauthn/browser's own codes", () => {
    const cause = domError('InvalidStateError');
    expect(
      ceremonyFailure(
        new WebAuthnError({
          message: 'registered',
          code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
          cause,
        }),
      ),
    ).toBe('exists');
    expect(
      ceremonyFailure(new WebAuthnError({ message: 'rp', code: 'ERROR_INVALID_RP_ID', cause })),
    ).toBe('refused');
    expect(ceremonyFailure('not an error')).toBe('failed');
  });
});
