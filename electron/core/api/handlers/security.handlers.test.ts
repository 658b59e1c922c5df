import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseFingerprint } from '../../sync/client/pinned-agent.js';
import { latestMailedCode } from '../../sync/client/testing/server-outbox.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { enableTotp } from '../../sync/client/testing/totp-account.js';
import { SyncHttpClient } from '../../sync/client/sync-http.client.js';
import { SyncAccountRepository } from '../../sync/sync-account.repository.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/**
 * The `security` group's step-up against the real server in a child process (TLS 1.3,
 * pinned) and a real vault signed in through the `sync` group.
 */
const PASSWORD = 'quartz meadow lantern 71';
const WRONG_PASSWORD = 'quartz meadow lantern 72';

let server: SyncServerProcess;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;

async function signedInApp(address: string): Promise<ApiTestApp> {
  const app = await openApiTestApp();
  answerValue(
    await app.call('sync', 'signUp', {
      url: server.url,
      fingerprint: server.fingerprint,
      email: address,
      password: PASSWORD,
    }),
  );
  return app;
}

/** Runs `fn` with a session of the account's own, opened as another device would. */
async function otherDevice<T>(
  address: string,
  fn: (http: SyncHttpClient, token: string) => Promise<T>,
): Promise<T> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  try {
    const grant = await http.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { email: address, password: PASSWORD, deviceName: 'Other device' },
    });
    return await fn(http, grant.token);
  } finally {
    http.close();
  }
}

function sessionToken(app: ApiTestApp): string {
  const account = new SyncAccountRepository(app.session.services().vault.db).account();
  if (account === null) throw new Error('not signed in');
  return account.sessionToken;
}

/** Every answer and event the window saw, to check no secret is among them. */
const seenByWindow = (app: ApiTestApp, answers: unknown[]): string =>
  JSON.stringify([answers, app.events]);

describe('step-up through the API', { timeout: 180_000 }, () => {
  it('a sensitive call answers STEP_UP_REQUIRED until the session is stepped up, then goes through', async () => {
    const address = email('step-up');
    const app = await signedInApp(address);
    // Another session to end, opened as a second device of the account would.
    const otherToken = await otherDevice(address, async (_http, token) => token);

    const answers: unknown[] = [];
    answers.push(await app.call('security', 'stepUpOptions'));
    expect(answers.at(-1)).toEqual({ ok: true, value: { methods: [], passkey: false } });

    answers.push(await app.call('security', 'revokeOtherSessions'));
    expect(answers.at(-1)).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
      details: { status: 403, serverCode: 'STEP_UP_REQUIRED' },
    });

    // A wrong password elevates nothing: the call is still refused.
    answers.push(await app.call('security', 'stepUp', { password: WRONG_PASSWORD }));
    expect(answers.at(-1)).toMatchObject({
      ok: false,
      code: 'AUTH_FAILED',
      details: { serverCode: 'INVALID_CREDENTIALS' },
    });
    answers.push(await app.call('security', 'revokeOtherSessions'));
    expect(answers.at(-1)).toMatchObject({ ok: false, code: 'STEP_UP_REQUIRED' });

    answers.push(await app.call('security', 'stepUp', { password: PASSWORD }));
    expect(answers.at(-1)).toEqual({ ok: true, value: { elevated: true } });
    answers.push(await app.call('security', 'revokeOtherSessions'));
    expect(answers.at(-1)).toEqual({ ok: true, value: { endedSessions: 1 } });

    // The other device's session is over; this device's still works.
    const http = new SyncHttpClient({
      url: server.url,
      fingerprint: parseFingerprint(server.fingerprint),
    });
    try {
      await expect(http.request('GET', '/v1/me', { token: otherToken })).rejects.toMatchObject({
        code: 'SESSION_REVOKED',
      });
    } finally {
      http.close();
    }
    expect(await app.call('security', 'stepUpOptions')).toMatchObject({ ok: true });
    const seen = seenByWindow(app, answers);
    for (const secret of [sessionToken(app), PASSWORD]) expect(seen).not.toContain(secret);
  });

  it('an account with TOTP needs its code too: the password alone is SECOND_FACTOR_REQUIRED, a wrong code AUTH_FAILED', async () => {
    const address = email('step-up-totp');
    const app = await signedInApp(address);
    const totp = await enableTotp(server, address, PASSWORD);

    expect(await app.call('security', 'stepUpOptions')).toEqual({
      ok: true,
      value: { methods: ['totp', 'backup'], passkey: false },
    });
    expect(await app.call('security', 'stepUp', { password: PASSWORD })).toMatchObject({
      ok: false,
      code: 'SECOND_FACTOR_REQUIRED',
      details: { methods: ['totp', 'backup_code'] },
    });
    expect(await app.call('security', 'revokeOtherSessions')).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });

    const near = new Set(totp.codesNearNow());
    let wrongCode = '000000';
    for (let n = 0; near.has(wrongCode); n += 1) wrongCode = String(n).padStart(6, '0');
    expect(
      await app.call('security', 'stepUp', { password: PASSWORD, method: 'totp', code: wrongCode }),
    ).toMatchObject({ ok: false, code: 'AUTH_FAILED', details: { serverCode: 'INVALID_CODE' } });
    // The right code with a wrong password is refused as well.
    expect(
      await app.call('security', 'stepUp', {
        password: WRONG_PASSWORD,
        method: 'totp',
        code: await totp.nextCode(),
      }),
    ).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
    expect(await app.call('security', 'revokeOtherSessions')).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });

    expect(
      await app.call('security', 'stepUp', {
        password: PASSWORD,
        method: 'totp',
        code: await totp.nextCode(),
      }),
    ).toEqual({ ok: true, value: { elevated: true } });
    expect(await app.call('security', 'revokeOtherSessions')).toMatchObject({ ok: true });

    // No email codes on this account: the server sends none.
    expect(await app.call('security', 'sendStepUpEmailCode')).toMatchObject({
      ok: false,
      code: 'SERVER_REFUSED',
    });
  });

  it('an account with email codes gets one mailed for the step-up and steps up with it', async () => {
    const address = email('step-up-email');
    const app = await signedInApp(address);
    await otherDevice(address, async (http, token) => {
      await http.request('POST', '/v1/auth/step-up', { token, body: { password: PASSWORD } });
      await http.request('POST', '/v1/me/mfa/email', { token, body: { enabled: true } });
    });
    expect(await app.call('security', 'stepUpOptions')).toMatchObject({
      ok: true,
      value: { methods: expect.arrayContaining(['email', 'backup']) as unknown },
    });

    const before = await latestMailedCode(server.dataDir, address);
    expect(await app.call('security', 'sendStepUpEmailCode')).toEqual({
      ok: true,
      value: { sent: true },
    });
    const code = await latestMailedCode(server.dataDir, address);
    expect(code).not.toBeNull();
    expect(code).not.toBe(before);
    expect(
      await app.call('security', 'stepUp', { password: PASSWORD, method: 'email', code }),
    ).toEqual({ ok: true, value: { elevated: true } });
    // A code is single use.
    expect(
      await app.call('security', 'stepUp', { password: PASSWORD, method: 'email', code }),
    ).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
  });

  it('refuses bad input with INVALID_INPUT, and a vault not signed in with SYNC_NOT_SET_UP', async () => {
    const app = await openApiTestApp();
    for (const input of [
      {},
      { password: '' },
      { password: PASSWORD, method: 'totp' },
      { password: PASSWORD, code: '123456' },
      { password: PASSWORD, method: 'sms', code: '123456' },
      { password: PASSWORD, method: 'totp', code: '12' },
      { password: 'x'.repeat(1025) },
      { password: PASSWORD, token: 'x' },
    ]) {
      expect(await app.call('security', 'stepUp', input)).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
    expect(await app.call('security', 'revokeOtherSessions', { all: true })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    for (const method of ['stepUpOptions', 'sendStepUpEmailCode', 'revokeOtherSessions']) {
      expect(await app.call('security', method)).toMatchObject({
        ok: false,
        code: 'SYNC_NOT_SET_UP',
      });
    }
    expect(await app.call('security', 'stepUp', { password: PASSWORD })).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
  });
});
