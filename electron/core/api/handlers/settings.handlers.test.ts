import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, ApiServerMessage } from '../../../../shared/api/api-envelope.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { createApiDispatcher, type ApiDispatcher } from '../api-dispatcher.js';
import { AppSession } from '../app-session.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

const PASSCODE = 'correct horse 42';
const WRONG = 'wrong-passcode-99';

async function openSession(now: () => number = Date.now, events: ApiEvent[] = []) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-lock-api-'));
  const session = new AppSession({
    vaultDir: path.join(root, 'vault'),
    keyStore: new MemoryKeyStore(),
    host: 'web',
    now,
  });
  cleanups.push(() => {
    session.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const dispatch = createApiDispatcher({ session, emit: (event) => events.push(event) });
  await call(dispatch, 'app', 'createVault');
  return { session, dispatch };
}

let nextId = 1;
type Answer = { ok: true; value: unknown } | { ok: false; code: string; message: string };
async function call(
  dispatch: ApiDispatcher,
  service: string,
  method: string,
  input: unknown = {},
): Promise<Answer> {
  const id = nextId++;
  const answer = (await dispatch({ id, service, method, input })) as ApiServerMessage;
  if (answer.type !== 'result') throw new Error('expected a result');
  return answer.result.ok
    ? { ok: true, value: answer.result.value }
    : { ok: false, ...answer.result.error };
}

describe('app lock through the API', () => {
  it('answers only the lock screen while locked, and everything again after the passcode', async () => {
    const events: ApiEvent[] = [];
    const { dispatch } = await openSession(Date.now, events);
    expect(
      await call(dispatch, 'lock', 'setPasscode', { passcode: PASSCODE, idleMinutes: 5 }),
    ).toMatchObject({
      ok: true,
      value: { enabled: true, locked: false },
    });
    await call(dispatch, 'lock', 'lockNow');
    expect(events).toEqual([{ name: 'lock.changed', data: { locked: true } }]);

    expect(await call(dispatch, 'app', 'status')).toMatchObject({
      ok: true,
      value: { locked: true },
    });
    for (const [service, method, input] of [
      ['accounts', 'list', {}],
      ['settings', 'getProfile', {}],
      ['lock', 'removePasscode', { current: PASSCODE }],
      ['lock', 'setPasscode', { passcode: 'another passcode' }],
      ['uploads', 'begin', { fileName: 'x.csv', size: 1 }],
      ['app', 'closeVault', {}],
    ] as const) {
      expect(await call(dispatch, service, method, input), `${service}.${method}`).toMatchObject({
        ok: false,
        code: 'APP_LOCKED',
      });
    }

    const wrong = await call(dispatch, 'lock', 'unlock', { passcode: WRONG });
    expect(wrong).toMatchObject({ ok: false, code: 'PASSCODE_WRONG' });
    expect(JSON.stringify(wrong)).not.toContain(WRONG);
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: false,
      code: 'APP_LOCKED',
    });

    expect(await call(dispatch, 'lock', 'unlock', { passcode: PASSCODE })).toMatchObject({
      ok: true,
      value: { locked: false, failedAttempts: 0 },
    });
    expect(await call(dispatch, 'accounts', 'list')).toEqual({ ok: true, value: [] });
    expect(events.at(-1)).toEqual({ name: 'lock.changed', data: { locked: false } });
  });

  it('locks by itself after the idle time and tells the windows', async () => {
    let clock = 1_800_000_000_000;
    const { session, dispatch } = await openSession(() => clock);
    await call(dispatch, 'lock', 'setPasscode', { passcode: PASSCODE, idleMinutes: 1 });
    const locked = vi.fn();
    const stop = session.watchIdle(locked, 5);
    cleanups.push(stop);

    clock += 59_000;
    await call(dispatch, 'lock', 'activity');
    clock += 59_000;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(locked).not.toHaveBeenCalled();
    expect(session.isLocked()).toBe(false);

    clock += 2_000;
    await vi.waitFor(() => expect(locked).toHaveBeenCalledTimes(1));
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: false,
      code: 'APP_LOCKED',
    });
  });
});

describe('settings and documents through the API', () => {
  it('keeps the document profile and refuses a logo that is not an image', async () => {
    const { dispatch } = await openSession();
    expect(
      await call(dispatch, 'settings', 'updateProfile', { name: 'Zoë Ångström Design' }),
    ).toMatchObject({
      ok: true,
      value: { name: 'Zoë Ångström Design' },
    });
    expect(
      await call(dispatch, 'settings', 'updateProfile', { name: 'X', owner: 'me' }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    const text = Buffer.from('not an image at all');
    const begun = await call(dispatch, 'uploads', 'begin', {
      fileName: 'logo.png',
      size: text.length,
    });
    const { uploadId } = (begun as { value: { uploadId: string } }).value;
    await call(dispatch, 'uploads', 'append', {
      uploadId,
      offset: 0,
      data: text.toString('base64'),
    });
    expect(await call(dispatch, 'settings', 'setLogo', { uploadId })).toMatchObject({
      ok: false,
      code: 'LOGO_UNSUPPORTED_TYPE',
    });
    expect(await call(dispatch, 'settings', 'logo')).toEqual({ ok: true, value: null });
  });

  it('answers NOT_FOUND for the PDF of an invoice that does not exist', async () => {
    const { dispatch } = await openSession();
    expect(await call(dispatch, 'documents', 'invoicePdf', { ref: 'INV-404' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});
