import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/api/api-error.js';
import { securityErrorText, securityFieldOfError } from './security-errors.js';

const refusal = (code: string, details?: Record<string, unknown>, message = 'refused') =>
  new ApiError({ code, message, ...(details ? { details } : {}) } as never);

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;

describe('securityFieldOfError', () => {
  it('the server password rules go by the new password, a wrong password by the current one', () => {
    for (const serverCode of [
      'PASSWORD_TOO_SHORT',
      'PASSWORD_TOO_COMMON',
      'PASSWORD_CONTAINS_EMAIL',
    ]) {
      expect(securityFieldOfError(refusal('SERVER_REFUSED', { serverCode }), PASSWORD_FIELDS)).toBe(
        'newPassword',
      );
    }
    expect(
      securityFieldOfError(
        refusal('AUTH_FAILED', { serverCode: 'INVALID_CREDENTIALS' }),
        PASSWORD_FIELDS,
      ),
    ).toBe('currentPassword');
  });
  it('a wrong code goes by the code; nothing goes to a field the form lacks', () => {
    expect(
      securityFieldOfError(refusal('SERVER_REFUSED', { serverCode: 'INVALID_CODE' }), ['code']),
    ).toBe('code');
    expect(
      securityFieldOfError(
        refusal('SERVER_REFUSED', { serverCode: 'INVALID_CODE' }),
        PASSWORD_FIELDS,
      ),
    ).toBeNull();
    expect(securityFieldOfError(refusal('RATE_LIMITED'), PASSWORD_FIELDS)).toBeNull();
    expect(securityFieldOfError(new Error('socket closed'), ['code'])).toBeNull();
  });
  it('input the shared schema refused names its field', () => {
    const invalid = refusal('INVALID_INPUT', {
      issues: [{ path: ['newPassword'], message: 'Too long' }],
    });
    expect(securityFieldOfError(invalid, PASSWORD_FIELDS)).toBe('newPassword');
  });
});

describe('securityErrorText', () => {
  it('keeps the server message and its code, without the preamble', () => {
    expect(
      securityErrorText(
        refusal(
          'SERVER_REFUSED',
          { serverCode: 'PASSWORD_TOO_SHORT' },
          'The sync server refused: Password must be at least 12 characters long. (PASSWORD_TOO_SHORT)',
        ),
      ),
    ).toBe('Password must be at least 12 characters long. (PASSWORD_TOO_SHORT)');
  });
});
