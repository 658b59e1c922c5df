import { describe, expect, it } from 'vitest';
import { withKeychainRetry } from './keychain-retry.js';

/** Scripted answers of a Secret Service: a value, a null, or a failure. */
function answers(...script: Array<string | null | Error>): {
  op: () => Promise<string | null>;
  calls: () => number;
} {
  let calls = 0;
  return {
    op: () => {
      const next = script[Math.min(calls, script.length - 1)];
      calls++;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next ?? null);
    },
    calls: () => calls,
  };
}

const gone = new Error(
  'Platform failure: DBus error: Message recipient disconnected from message bus without replying',
);
const NO_WAIT = { delaysMs: [0, 0, 0], slowFailureMs: 60_000 };

describe('withKeychainRetry', () => {
  it('asks again after a failure and returns the next answer', async () => {
    const service = answers(gone, 'key');
    expect(await withKeychainRetry(service.op, NO_WAIT)).toBe('key');
    expect(service.calls()).toBe(2);
  });

  it('asks again when a restarted service finds nothing right after a failure', async () => {
    const service = answers(gone, null, null, 'key');
    expect(await withKeychainRetry(service.op, NO_WAIT)).toBe('key');
    expect(service.calls()).toBe(4);
  });

  it('takes a null with no failure before it as the answer, asking once', async () => {
    const service = answers(null, 'key');
    expect(await withKeychainRetry(service.op, NO_WAIT)).toBeNull();
    expect(service.calls()).toBe(1);
  });

  it('returns null when the service still finds nothing after its last attempt', async () => {
    const service = answers(gone, null);
    expect(await withKeychainRetry(service.op, NO_WAIT)).toBeNull();
    expect(service.calls()).toBe(4);
  });

  it('throws the last failure once every attempt has failed', async () => {
    const last = new Error('still gone');
    const service = answers(gone, gone, gone, last);
    await expect(withKeychainRetry(service.op, NO_WAIT)).rejects.toBe(last);
    expect(service.calls()).toBe(4);
  });

  it('waits the given delays between attempts', async () => {
    const service = answers(gone, gone, 'key');
    const started = performance.now();
    expect(
      await withKeychainRetry(service.op, { delaysMs: [40, 40, 40], slowFailureMs: 60_000 }),
    ).toBe('key');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("does not ask again after a failure that came slowly (a hung daemon's reply timeout)", async () => {
    let calls = 0;
    const slowFailure = async (): Promise<string> => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 60));
      throw gone;
    };
    await expect(
      withKeychainRetry(slowFailure, { delaysMs: [0, 0, 0], slowFailureMs: 30 }),
    ).rejects.toBe(gone);
    expect(calls).toBe(1);
  });
});
