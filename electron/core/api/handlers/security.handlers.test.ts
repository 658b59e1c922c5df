import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseFingerprint } from '../../sync/client/pinned-agent.js';
import { latestMailedCode } from '../../sync/client/testing/server-outbox.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { enableTotp } from '../../sync/client/testing/totp-account.js';
import { totpCodeForStep, totpStep } from '../../sync/client/testing/totp-code.js';
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
  password = PASSWORD,
): Promise<T> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  try {
    const grant = await http.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { email: address, password, deviceName: 'Other device' },
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

    // No code has been mailed to this account yet.
    expect(await latestMailedCode(server.dataDir, address)).toBeNull();
    expect(await app.call('security', 'sendStepUpEmailCode')).toEqual({
      ok: true,
      value: { sent: true },
    });
    const code = await latestMailedCode(server.dataDir, address);
    expect(code).toMatch(/^\d{6}$/);
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

/** A six-digit code that is none of `taken`. */
function codeOtherThan(taken: ReadonlySet<string>): string {
  let code = '000000';
  for (let n = 0; taken.has(code); n += 1) code = String(n).padStart(6, '0');
  return code;
}

/** Whether a session token still opens the account. */
async function tokenWorks(token: string): Promise<boolean> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  try {
    await http.request('GET', '/v1/me', { token });
    return true;
  } catch {
    return false;
  } finally {
    http.close();
  }
}

describe('account security through the API', { timeout: 180_000 }, () => {
  it('sets up the authenticator app: key and QR once, a code to confirm, backup codes once; then regenerates and removes', async () => {
    const address = email('totp-setup');
    const app = await signedInApp(address);
    expect(await app.call('security', 'secondFactors')).toEqual({
      ok: true,
      value: { totp: false, emailCodes: false, backupCodesRemaining: 0, passkeys: 0 },
    });
    expect(await app.call('security', 'beginTotp')).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });
    answerValue(await app.call('security', 'stepUp', { password: PASSWORD }));

    const setup = answerValue<{ secret: string; qrCode: string; label: string }>(
      await app.call('security', 'beginTotp'),
    );
    expect(setup.secret).toMatch(/^[A-Z2-7]{16,}=*$/);
    expect(setup.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(setup.label).toContain(address);
    // Not on until confirmed.
    expect(await app.call('security', 'secondFactors')).toMatchObject({ value: { totp: false } });

    const step = totpStep(Date.now());
    const near = new Set([-2, -1, 0, 1, 2].map((d) => totpCodeForStep(setup.secret, step + d)));
    expect(await app.call('security', 'confirmTotp', { code: codeOtherThan(near) })).toMatchObject({
      ok: false,
      code: 'SERVER_REFUSED',
      details: { serverCode: 'INVALID_CODE' },
    });
    const { backupCodes } = answerValue<{ backupCodes: string[] }>(
      await app.call('security', 'confirmTotp', { code: totpCodeForStep(setup.secret, step) }),
    );
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    expect(await app.call('security', 'secondFactors')).toEqual({
      ok: true,
      value: { totp: true, emailCodes: false, backupCodesRemaining: 10, passkeys: 0 },
    });
    expect(await app.call('security', 'stepUpOptions')).toEqual({
      ok: true,
      value: { methods: ['totp', 'backup'], passkey: false },
    });

    const again = answerValue<{ backupCodes: string[] }>(
      await app.call('security', 'regenerateBackupCodes'),
    );
    expect(again.backupCodes).toHaveLength(10);
    expect(again.backupCodes.filter((code) => backupCodes.includes(code))).toEqual([]);

    expect(await app.call('security', 'removeTotp')).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(await app.call('security', 'secondFactors')).toMatchObject({
      value: { totp: false, backupCodesRemaining: 0 },
    });
    // Removing it twice is the server's 404, said as a refusal, not a crash.
    expect(await app.call('security', 'removeTotp')).toMatchObject({
      ok: false,
      code: 'SERVER_REFUSED',
      details: { serverCode: 'TOTP_NOT_ENABLED' },
    });
  });

  it('email codes turn on (with backup codes when first) and off', async () => {
    const app = await signedInApp(email('email-codes'));
    expect(await app.call('security', 'setEmailCodes', { enabled: true })).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });
    answerValue(await app.call('security', 'stepUp', { password: PASSWORD }));
    const on = answerValue<{ enabled: boolean; backupCodes?: string[] }>(
      await app.call('security', 'setEmailCodes', { enabled: true }),
    );
    expect(on.enabled).toBe(true);
    expect(on.backupCodes).toHaveLength(10);
    expect(await app.call('security', 'secondFactors')).toMatchObject({
      value: { emailCodes: true },
    });
    expect(await app.call('security', 'setEmailCodes', { enabled: false })).toEqual({
      ok: true,
      value: { enabled: false },
    });
    expect(await app.call('security', 'regenerateBackupCodes')).toMatchObject({
      ok: false,
      code: 'SERVER_REFUSED',
      details: { serverCode: 'MFA_NOT_ENABLED' },
    });
  });

  it('changes the password by the server rules; ending other sessions signs them out', async () => {
    const address = email('password');
    const app = await signedInApp(address);
    const otherToken = await otherDevice(address, async (_http, token) => token);
    const NEW_PASSWORD = 'amber harbour thistle 58';
    const change = (input: Record<string, unknown>) =>
      app.call('security', 'changePassword', {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
        endOtherSessions: true,
        ...input,
      });

    expect(await change({})).toMatchObject({ ok: false, code: 'STEP_UP_REQUIRED' });
    answerValue(await app.call('security', 'stepUp', { password: PASSWORD }));
    expect(await change({ newPassword: 'short' })).toMatchObject({
      ok: false,
      code: 'SERVER_REFUSED',
      details: { serverCode: 'PASSWORD_TOO_SHORT' },
    });
    expect(await change({ newPassword: `${address} and more` })).toMatchObject({
      ok: false,
      details: { serverCode: 'PASSWORD_CONTAINS_EMAIL' },
    });
    expect(await change({ currentPassword: WRONG_PASSWORD })).toMatchObject({
      ok: false,
      code: 'AUTH_FAILED',
      details: { serverCode: 'INVALID_CREDENTIALS' },
    });
    expect(await tokenWorks(otherToken)).toBe(true);

    expect(await change({})).toEqual({ ok: true, value: { endedSessions: 1 } });
    expect(await tokenWorks(otherToken)).toBe(false);
    expect(await tokenWorks(sessionToken(app))).toBe(true);
    // The new password signs in; the old one does not.
    await expect(otherDevice(address, async () => true, NEW_PASSWORD)).resolves.toBe(true);
    await expect(otherDevice(address, async () => true)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });

  it("lists sessions with this device marked; revokes another; refuses its own and others' ids", async () => {
    const address = email('sessions');
    const app = await signedInApp(address);
    const otherToken = await otherDevice(address, async (_http, token) => token);
    const stranger = await signedInApp(email('stranger'));
    const strangerSession = answerValue<{ id: string; current: boolean }[]>(
      await stranger.call('security', 'sessions'),
    ).find((s) => s.current);

    const sessions = answerValue<
      { id: string; deviceName: string; current: boolean; lastSeenAt: number; ip: string }[]
    >(await app.call('security', 'sessions'));
    expect(sessions).toHaveLength(2);
    const own = sessions.find((s) => s.current);
    const other = sessions.find((s) => !s.current);
    expect(own?.ip).toBe('127.0.0.1');
    expect(other?.deviceName).toBe('Other device');
    expect(Number.isFinite(other?.lastSeenAt)).toBe(true);

    expect(await app.call('security', 'revokeSession', { sessionId: other?.id })).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });
    answerValue(await app.call('security', 'stepUp', { password: PASSWORD }));
    expect(await app.call('security', 'revokeSession', { sessionId: own?.id })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await app.call('security', 'revokeSession', { sessionId: strangerSession?.id }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await tokenWorks(sessionToken(stranger))).toBe(true);
    expect(
      await app.call('security', 'revokeSession', {
        sessionId: '00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    expect(await app.call('security', 'revokeSession', { sessionId: other?.id })).toEqual({
      ok: true,
      value: { revoked: true },
    });
    expect(await tokenWorks(otherToken)).toBe(false);
    const after = answerValue<{ id: string }[]>(await app.call('security', 'sessions'));
    expect(after.map((s) => s.id)).toEqual([own?.id]);
  });

  it('lists the sign-in history newest first, failures included', async () => {
    const address = email('history');
    const app = await signedInApp(address);
    await expect(otherDevice(address, async () => true, WRONG_PASSWORD)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
    answerValue(await app.call('security', 'stepUp', { password: PASSWORD }));
    const { signIns, nextCursor } = answerValue<{
      signIns: { kind: string; outcome: string; at: number; errorCode: string | null }[];
      nextCursor: string | null;
    }>(await app.call('security', 'signIns'));
    expect(nextCursor).toBeNull();
    expect(signIns.map((e) => [e.kind, e.outcome])).toEqual([
      ['step_up', 'success'],
      ['password', 'failure'],
      ['register', 'success'],
    ]);
    expect(signIns[1]?.errorCode).toBe('INVALID_CREDENTIALS');
    const times = signIns.map((e) => e.at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    for (const cursor of ['', 'x'.repeat(65), '../../v1/me', 'a b']) {
      expect(await app.call('security', 'signIns', { cursor })).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
  });

  it('refuses bad input to every method with INVALID_INPUT', async () => {
    const app = await signedInApp(email('bad-input'));
    const cases: [string, unknown][] = [
      ['changePassword', { currentPassword: PASSWORD, newPassword: 'x' }],
      ['changePassword', { currentPassword: '', newPassword: 'x', endOtherSessions: false }],
      [
        'changePassword',
        { currentPassword: PASSWORD, newPassword: 'y'.repeat(1025), endOtherSessions: false },
      ],
      ['confirmTotp', { code: '12' }],
      ['confirmTotp', { code: 123456 }],
      ['setEmailCodes', { enabled: 'yes' }],
      ['revokeSession', { sessionId: 'not-a-session' }],
      ['revokeSession', { sessionId: '../keys' }],
      ['beginTotp', { secret: 'ABCD' }],
      ['sessions', []],
    ];
    for (const [method, input] of cases) {
      expect([method, await app.call('security', method, input)]).toMatchObject([
        method,
        { ok: false, code: 'INVALID_INPUT' },
      ]);
    }
  });
});
