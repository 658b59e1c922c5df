import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/api/api-error.js';
import { errorText, fieldOfError } from './sync-errors.js';

const refusal = (code: string, details?: Record<string, unknown>) =>
  new ApiError({ code, message: 'refused', ...(details ? { details } : {}) } as never);

describe('fieldOfError', () => {
  it('puts the server refusals by the field they concern', () => {
    const form = ['email', 'password'] as const;
    expect(fieldOfError(refusal('AUTH_FAILED', { serverCode: 'EMAIL_TAKEN' }), form)).toBe('email');
    expect(fieldOfError(refusal('INVALID_INPUT', { serverCode: 'PASSWORD_TOO_SHORT' }), form)).toBe(
      'password',
    );
    expect(fieldOfError(refusal('AUTH_FAILED'), form)).toBe('password');
  });

  it('a wrong code belongs to the code field, a wrong Recovery Key to the key field', () => {
    expect(fieldOfError(refusal('AUTH_FAILED', { serverCode: 'INVALID_CODE' }), ['code'])).toBe(
      'code',
    );
    expect(fieldOfError(refusal('RECOVERY_KEY_WRONG'), ['recoveryKey'])).toBe('recoveryKey');
  });

  it('a field the form does not have, or a whole-step refusal, goes to no field', () => {
    expect(fieldOfError(refusal('RECOVERY_KEY_WRONG'), ['email', 'password'])).toBeNull();
    expect(fieldOfError(refusal('CERT_PIN_MISMATCH'), ['email', 'password'])).toBeNull();
    expect(fieldOfError(refusal('SIGN_IN_EXPIRED'), ['code'])).toBeNull();
    expect(fieldOfError(new Error('socket closed'), ['email'])).toBeNull();
  });

  it('schema refusals name their field', () => {
    const invalid = refusal('INVALID_INPUT', {
      issues: [{ path: ['email'], message: 'Invalid email' }],
    });
    expect(fieldOfError(invalid, ['email', 'password'])).toBe('email');
  });
});

describe('errorText', () => {
  it('adds the code a user can quote, once', () => {
    expect(errorText(refusal('RECOVERY_KEY_WRONG'))).toBe('refused (RECOVERY_KEY_WRONG)');
    const server = new ApiError({
      code: 'AUTH_FAILED',
      message: 'The sync server refused: The code is not correct. (INVALID_CODE)',
      details: { serverCode: 'INVALID_CODE' },
    } as never);
    expect(errorText(server)).toBe(
      'The sync server refused: The code is not correct. (INVALID_CODE)',
    );
    expect(errorText(refusal('SERVER_UNREACHABLE'))).toBe('refused (SERVER_UNREACHABLE)');
    const system = new ApiError({
      code: 'SERVER_UNREACHABLE',
      message: 'The sync server could not be reached (ECONNREFUSED).',
    } as never);
    expect(errorText(system)).toBe(
      'The sync server could not be reached (ECONNREFUSED). (SERVER_UNREACHABLE)',
    );
    expect(errorText(new Error(''))).toBe('Failed');
  });
});
