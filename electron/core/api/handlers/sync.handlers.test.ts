import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { enableTotp } from '../../sync/client/testing/totp-account.js';
import {
  formatAccountRecoveryKey,
  generateAccountRecoverySecret,
} from '../../sync/crypto/account-recovery-key.js';
import { SyncAccountRepository } from '../../sync/sync-account.repository.js';
import { SyncAccountService } from '../../sync/sync-account.service.js';
import { parseFingerprint } from '../../sync/client/pinned-agent.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/**
 * The `sync` group against the real server in a child process (TLS 1.3, self-signed, an OS
 * port on 127.0.0.1, pinned by the fingerprint the probe shows) and real vaults, one per
 * device, each keyed from an in-memory key store.
 */
const PASSWORD = 'quartz meadow lantern 71';
/** 56 Crockford base32 characters in 14 groups of 4. */
const ACCOUNT_RECOVERY_KEY = /^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/;

let server: SyncServerProcess;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;
const serverInput = () => ({ url: server.url, fingerprint: server.fingerprint });

/** Every answer and event a window saw, as the window would receive them. */
function seenByWindow(app: ApiTestApp, answers: unknown[]): string {
  return JSON.stringify([answers, app.events]);
}

function sessionToken(app: ApiTestApp): string {
  const account = new SyncAccountRepository(app.session.services().vault.db).account();
  if (account === null) throw new Error('not signed in');
  return account.sessionToken;
}

/** A well-formed Recovery Key that is provably not `right`. */
function wrongRecoveryKey(right: string): string {
  let wrong = formatAccountRecoveryKey(generateAccountRecoverySecret());
  while (wrong === right) wrong = formatAccountRecoveryKey(generateAccountRecoverySecret());
  return wrong;
}

async function signUp(app: ApiTestApp, address: string): Promise<string> {
  const { recoveryKey } = answerValue<{ recoveryKey: string }>(
    await app.call('sync', 'signUp', { ...serverInput(), email: address, password: PASSWORD }),
  );
  return recoveryKey;
}

/** The workspace is made with the account service (the API has no method for it yet). */
async function createWorkspace(app: ApiTestApp, name: string): Promise<void> {
  await new SyncAccountService({
    vault: app.session.services().vault,
    keyStore: new MemoryKeyStore(),
    deviceName: 'Workspace maker',
  }).createWorkspace(name);
}

/** The account's sessions as its signed-in device `app` lists them. */
async function sessionCount(app: ApiTestApp): Promise<number> {
  const sessions = await new SyncAccountService({
    vault: app.session.services().vault,
    keyStore: new MemoryKeyStore(),
    deviceName: 'Session lister',
  }).sessions();
  return sessions.length;
}

const syncEvents = (app: ApiTestApp): SyncAccountStatus[] =>
  app.events.filter((e) => e.name === 'sync.status').map((e) => e.data as SyncAccountStatus);

describe('sync through the API', { timeout: 180_000 }, () => {
  it('probes the server: the fingerprint to pin and its version, or a specific code', async () => {
    const app = await openApiTestApp();
    const probe = answerValue<Record<string, unknown>>(
      await app.call('sync', 'probeServer', { url: server.url }),
    );
    expect(probe).toEqual({
      url: server.url,
      fingerprint: server.fingerprint,
      caSigned: false,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
    });
    for (const url of ['http://127.0.0.1:1', 'not a url', '', 'https://user:pw@127.0.0.1:1']) {
      expect(await app.call('sync', 'probeServer', { url }), url).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
    // Port 1 on 127.0.0.1: nothing listens there.
    const closed = new URL(server.url);
    closed.port = '1';
    expect(await app.call('sync', 'probeServer', { url: closed.origin })).toMatchObject({
      ok: false,
      code: 'SERVER_UNREACHABLE',
    });
  });

  it('signs up, then a second vault signs in step by step with the Recovery Key and syncs; secrets never reach the window', async () => {
    const first = await openApiTestApp();
    const address = email('steps');
    const answers: unknown[] = [];
    const recoveryKey = await signUp(first, address);
    expect(recoveryKey).toMatch(ACCOUNT_RECOVERY_KEY);
    answers.push(await first.call('sync', 'status'));
    expect(answers.at(-1)).toMatchObject({
      ok: true,
      value: { signedIn: true, email: address, server: server.url, workspace: null, loop: null },
    });
    expect(syncEvents(first).at(-1)).toMatchObject({ signedIn: true, email: address });
    const firstToken = sessionToken(first);
    expect(seenByWindow(first, answers)).not.toContain(firstToken);
    expect(seenByWindow(first, answers)).not.toContain(PASSWORD);
    await createWorkspace(first, 'Harbour books');

    const second = await openApiTestApp();
    answers.length = 0;
    answers.push(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: 'not the password 99',
      }),
    );
    expect(answers.at(-1)).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
    answers.push(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    );
    expect(answers.at(-1)).toEqual({ ok: true, value: { step: 'unlock-keys' } });
    expect(await second.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: 'unlock-keys' },
    });

    // A wrong Recovery Key stores nothing and keeps the step.
    const wrong = wrongRecoveryKey(recoveryKey);
    answers.push(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey: wrong }));
    expect(answers.at(-1)).toMatchObject({ ok: false, code: 'RECOVERY_KEY_WRONG' });
    expect(new SyncAccountRepository(second.session.services().vault.db).account()).toBeNull();
    expect(await second.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: 'unlock-keys' },
    });

    answers.push(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey }));
    expect(answers.at(-1)).toMatchObject({
      ok: true,
      value: {
        step: 'done',
        status: {
          signedIn: true,
          email: address,
          fingerprint: server.fingerprint,
          workspace: { role: 'admin' },
        },
      },
    });
    // Signed in with a workspace: the loop runs and the windows hear it reach `synced`.
    await vi.waitFor(
      () =>
        expect(syncEvents(second).some((s) => s.signedIn && s.loop?.state === 'synced')).toBe(true),
      { timeout: 60_000, interval: 100 },
    );
    answers.push(await second.call('sync', 'syncNow'));
    expect(answers.at(-1)).toMatchObject({ ok: true, value: { signedIn: true } });
    answers.push(await second.call('sync', 'status'));
    expect(answers.at(-1)).toMatchObject({
      ok: true,
      value: {
        workspace: { name: 'Harbour books' },
        loop: { state: expect.any(String) as unknown },
      },
    });

    const secondToken = sessionToken(second);
    const seen = seenByWindow(second, answers);
    for (const secret of [secondToken, firstToken, PASSWORD, wrong]) {
      expect(seen).not.toContain(secret);
    }
    // The Recovery Key went in; it never comes back out.
    expect(JSON.stringify(second.events)).not.toContain(recoveryKey);

    // Locking stops the loop; signing out ends the session and forgets the account.
    await second.call('lock', 'setPasscode', { passcode: 'harbour passcode 12' });
    await second.call('lock', 'lockNow');
    expect(await second.call('sync', 'status')).toMatchObject({ ok: false, code: 'APP_LOCKED' });
    expect(second.session.sync().status()).toMatchObject({ signedIn: true, loop: null });
    await second.call('lock', 'unlock', { passcode: 'harbour passcode 12' });
    expect(second.session.sync().status()).toMatchObject({
      signedIn: true,
      loop: { state: 'syncing' },
    });
    const signedOut = await second.call('sync', 'signOut');
    expect(signedOut).toEqual({
      ok: true,
      value: { serverSessionEnded: true, status: { signedIn: false, signIn: null } },
    });
    expect(new SyncAccountRepository(second.session.services().vault.db).account()).toBeNull();
    expect(syncEvents(second).at(-1)).toEqual({ signedIn: false, signIn: null });
    expect(await second.call('sync', 'syncNow')).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
    expect([...first.internalErrors, ...second.internalErrors]).toEqual([]);
  });

  it('an account with TOTP asks for it; a wrong code is refused and the step stays for a retry', async () => {
    const first = await openApiTestApp();
    const address = email('totp');
    const recoveryKey = await signUp(first, address);
    const totp = await enableTotp(server, address, PASSWORD);

    const second = await openApiTestApp();
    const answers: unknown[] = [];
    answers.push(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    );
    expect(answers.at(-1)).toMatchObject({ ok: true, value: { step: 'second-factor' } });
    const methods = (answers.at(-1) as { value: { methods: string[] } }).value.methods;
    expect(methods).toContain('totp');
    expect(methods).toContain('backup');

    // Before the second factor there is no key step to take.
    expect(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey })).toMatchObject({
      ok: false,
      code: 'SIGN_IN_NOT_STARTED',
    });

    const near = new Set(totp.codesNearNow());
    let wrongCode = '000000';
    for (let n = 0; near.has(wrongCode); n += 1) wrongCode = String(n).padStart(6, '0');
    answers.push(
      await second.call('sync', 'signInSecondFactor', { method: 'totp', code: wrongCode }),
    );
    expect(answers.at(-1)).toMatchObject({
      ok: false,
      code: 'AUTH_FAILED',
      details: { serverCode: 'INVALID_CODE' },
    });
    expect(await second.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: 'second-factor' },
    });

    // This account takes no codes by email: none is asked of the server.
    expect(methods).not.toContain('email');
    expect(await second.call('sync', 'signInSendEmailCode')).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });

    answers.push(
      await second.call('sync', 'signInSecondFactor', {
        method: 'totp',
        code: await totp.nextCode(),
      }),
    );
    expect(answers.at(-1)).toEqual({ ok: true, value: { step: 'unlock-keys' } });
    answers.push(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey }));
    expect(answers.at(-1)).toMatchObject({
      ok: true,
      value: { step: 'done', status: { signedIn: true, email: address, workspace: null } },
    });
    const seen = seenByWindow(second, answers);
    for (const secret of [sessionToken(second), PASSWORD]) expect(seen).not.toContain(secret);
  });

  it('a challenge the server ended after too many wrong codes answers SIGN_IN_EXPIRED', async () => {
    const first = await openApiTestApp();
    const address = email('exhausted');
    await signUp(first, address);
    const totp = await enableTotp(server, address, PASSWORD);
    const second = await openApiTestApp();
    await second.call('sync', 'signInStart', {
      ...serverInput(),
      email: address,
      password: PASSWORD,
    });
    const near = new Set(totp.codesNearNow());
    const wrongCodes: string[] = [];
    for (let n = 100_000; wrongCodes.length < 6; n += 1) {
      if (!near.has(String(n))) wrongCodes.push(String(n));
    }
    const answers = [];
    for (const code of wrongCodes) {
      answers.push(await second.call('sync', 'signInSecondFactor', { method: 'totp', code }));
    }
    expect(answers.slice(0, 5).map((a) => (a.ok ? 'ok' : a.code))).toEqual(
      Array(5).fill('AUTH_FAILED'),
    );
    expect(answers[5]).toMatchObject({ ok: false, code: 'SIGN_IN_EXPIRED' });
    expect(await second.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: null },
    });
  });

  it('one sign-in step at a time; a cancelled sign-in ends the session it had opened on the server', async () => {
    const first = await openApiTestApp();
    const address = email('cancel');
    const recoveryKey = await signUp(first, address);
    expect(await sessionCount(first)).toBe(1);
    const second = await openApiTestApp();
    expect(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    ).toEqual({ ok: true, value: { step: 'unlock-keys' } });
    expect(await sessionCount(first)).toBe(2);
    // A double submit: the second waits for no one and races nothing, it is refused.
    const wrong = wrongRecoveryKey(recoveryKey);
    const both = await Promise.all([
      second.call('sync', 'signInWithRecoveryKey', { recoveryKey: wrong }),
      second.call('sync', 'signInWithRecoveryKey', { recoveryKey: wrong }),
    ]);
    expect(both.map((a) => (a.ok ? 'ok' : a.code)).sort()).toEqual([
      'CONFLICT',
      'RECOVERY_KEY_WRONG',
    ]);
    expect(await second.call('sync', 'signInCancel')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: null },
    });
    await vi.waitFor(async () => expect(await sessionCount(first)).toBe(1), {
      timeout: 30_000,
      interval: 200,
    });
  });

  it('refuses bad input with INVALID_INPUT and steps out of turn with SIGN_IN_NOT_STARTED', async () => {
    const app = await openApiTestApp();
    const good = { ...serverInput(), email: email('bad'), password: PASSWORD };
    for (const [method, input] of [
      ['signUp', { ...good, fingerprint: undefined }],
      ['signUp', { ...good, fingerprint: 'sha256:abc' }],
      ['signUp', { ...good, fingerprint: server.fingerprint.replace('sha256:', 'md5:') }],
      ['signUp', { ...good, email: 'not-an-address' }],
      ['signUp', { ...good, password: '' }],
      ['signUp', { ...good, url: 'http://127.0.0.1:1' }],
      ['signUp', { ...good, role: 'admin' }],
      ['signUp', { ...good, deviceName: 'x'.repeat(101) }],
      ['signInStart', { ...good, email: 42 }],
      ['signInSecondFactor', { method: 'sms', code: '123456' }],
      ['signInSecondFactor', { method: 'totp', code: '' }],
      ['signInSecondFactor', { method: 'totp' }],
      ['signInWithRecoveryKey', { recoveryKey: '' }],
      ['signInWithRecoveryKey', { recoveryKey: 'x'.repeat(201) }],
      ['status', { verbose: true }],
    ] as const) {
      const answer = await app.call('sync', method, input);
      expect(answer, `${method} ${JSON.stringify(input)}`).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
      expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    }
    for (const [method, input] of [
      ['signInSecondFactor', { method: 'totp', code: '123456' }],
      ['signInSendEmailCode', {}],
      ['signInWithRecoveryKey', { recoveryKey: 'ABCD-EFGH' }],
    ] as const) {
      expect(await app.call('sync', method, input), method).toMatchObject({
        ok: false,
        code: 'SIGN_IN_NOT_STARTED',
      });
    }
    expect(await app.call('sync', 'signOut')).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
    // A fingerprint that is not the server's: nothing is sent, nothing is stored.
    const otherPin = `sha256:${'ab'.repeat(32)}`;
    expect(parseFingerprint(otherPin)).not.toBe(parseFingerprint(server.fingerprint));
    expect(await app.call('sync', 'signUp', { ...good, fingerprint: otherPin })).toMatchObject({
      ok: false,
      code: 'CERT_PIN_MISMATCH',
    });
    expect(await app.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: null },
    });
  });

  it('a sign-in left waiting too long answers SIGN_IN_EXPIRED, once, and starts over', async () => {
    let clock = Date.now();
    const first = await openApiTestApp();
    const address = email('expiry');
    const recoveryKey = await signUp(first, address);

    const second = await openApiTestApp({ now: () => clock });
    expect(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    ).toEqual({ ok: true, value: { step: 'unlock-keys' } });
    clock += 10 * 60_000 + 1;
    expect(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey })).toMatchObject({
      ok: false,
      code: 'SIGN_IN_EXPIRED',
    });
    expect(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey })).toMatchObject({
      ok: false,
      code: 'SIGN_IN_NOT_STARTED',
    });
    expect(new SyncAccountRepository(second.session.services().vault.db).account()).toBeNull();
    expect(await second.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: null },
    });
    // The session it had opened is ended on the server, not left to linger.
    await vi.waitFor(async () => expect(await sessionCount(first)).toBe(1), {
      timeout: 30_000,
      interval: 200,
    });
  });
});
