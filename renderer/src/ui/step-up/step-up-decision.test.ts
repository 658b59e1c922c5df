import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/api/api-error.js';
import {
  isStepUpDeclined,
  runWithStepUp,
  stepUpErrorField,
  stepUpInput,
} from './step-up-decision.js';

const refusal = (code: string, details?: Record<string, unknown>) =>
  new ApiError({ code, message: 'refused', ...(details ? { details } : {}) } as never);

/** A call that fails with each of `failures` in turn, then answers `done`. */
function scripted(failures: Error[]): { call: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    call: () => {
      const failure = failures[calls];
      calls += 1;
      return failure === undefined ? Promise.resolve('done') : Promise.reject(failure);
    },
    calls: () => calls,
  };
}

describe('runWithStepUp', () => {
  it('a call that goes through asks nothing', async () => {
    const { call, calls } = scripted([]);
    let asked = 0;
    await expect(runWithStepUp(call, () => Promise.resolve(++asked > 0))).resolves.toBe('done');
    expect(asked).toBe(0);
    expect(calls()).toBe(1);
  });

  it('STEP_UP_REQUIRED asks once, then retries the call once', async () => {
    const { call, calls } = scripted([refusal('STEP_UP_REQUIRED')]);
    let asked = 0;
    await expect(runWithStepUp(call, () => Promise.resolve(++asked > 0))).resolves.toBe('done');
    expect(asked).toBe(1);
    expect(calls()).toBe(2);
  });

  it('a retry refused for step-up again is not asked a second time', async () => {
    const second = refusal('STEP_UP_REQUIRED');
    const { call, calls } = scripted([refusal('STEP_UP_REQUIRED'), second]);
    let asked = 0;
    await expect(runWithStepUp(call, () => Promise.resolve(++asked > 0))).rejects.toBe(second);
    expect(asked).toBe(1);
    expect(calls()).toBe(2);
  });

  it('a closed confirmation makes no retry and says nothing changed', async () => {
    const { call, calls } = scripted([refusal('STEP_UP_REQUIRED')]);
    const outcome = runWithStepUp(call, () => Promise.resolve(false));
    await expect(outcome).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(isStepUpDeclined(await outcome.catch((error: unknown) => error))).toBe(true);
    expect(calls()).toBe(1);
  });

  it('any other failure passes through without asking', async () => {
    for (const failure of [
      refusal('AUTH_FAILED'),
      refusal('SERVER_REFUSED', { status: 403, serverCode: 'FORBIDDEN' }),
      refusal('SESSION_REVOKED'),
      new Error('socket closed'),
    ]) {
      const { call, calls } = scripted([failure]);
      let asked = 0;
      await expect(runWithStepUp(call, () => Promise.resolve(++asked > 0))).rejects.toBe(failure);
      expect(asked).toBe(0);
      expect(calls()).toBe(1);
    }
  });

  it('a failure of the retry itself is passed on', async () => {
    const later = refusal('SERVER_REFUSED', { serverCode: 'PASSWORD_TOO_SHORT' });
    const { call } = scripted([refusal('STEP_UP_REQUIRED'), later]);
    await expect(runWithStepUp(call, () => Promise.resolve(true))).rejects.toBe(later);
  });
});

describe('stepUpInput', () => {
  it('the password alone when the account has no second factor', () => {
    expect(stepUpInput({ password: 'pw', code: '123456' }, null)).toEqual({ password: 'pw' });
  });
  it('the chosen method with its trimmed code', () => {
    expect(stepUpInput({ password: 'pw', code: ' 123456 ' }, 'totp')).toEqual({
      password: 'pw',
      method: 'totp',
      code: '123456',
    });
  });
});

describe('stepUpErrorField', () => {
  it('a wrong password goes by the password, a wrong or missing code by the code', () => {
    expect(stepUpErrorField(refusal('AUTH_FAILED', { serverCode: 'INVALID_CREDENTIALS' }))).toBe(
      'password',
    );
    expect(stepUpErrorField(refusal('AUTH_FAILED', { serverCode: 'INVALID_CODE' }))).toBe('code');
    expect(stepUpErrorField(refusal('AUTH_FAILED', { serverCode: 'CODE_REPLAYED' }))).toBe('code');
    expect(stepUpErrorField(refusal('SECOND_FACTOR_REQUIRED'))).toBe('code');
  });
  it('a rate limit or a lost connection is the whole dialog’s', () => {
    expect(stepUpErrorField(refusal('RATE_LIMITED', { serverCode: 'TOO_MANY_ATTEMPTS' }))).toBe(
      null,
    );
    expect(stepUpErrorField(new Error('socket closed'))).toBeNull();
  });
});
