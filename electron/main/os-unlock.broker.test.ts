/**
 * Main's OS check end to end without Electron: a scripted Touch ID (Electron's
 * systemPreferences shape) in main, main's control client, a real MessageChannel standing
 * in for the utility process's parent port, the core's control handler, and a real
 * AppSession on an encrypted temp vault.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../shared/api/api-envelope.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../core/api/testing/api-test-app.js';
import { createCoreControlClient } from './core-control.client.js';
import { createCoreControlHandler } from './core-control.handler.js';
import { osCheckFor, type SystemPreferencesLike } from './os-check.js';
import { createOsUnlockBroker, OS_CHECK_REASON } from './os-unlock.broker.js';

const PASSCODE = 'correct horse 42';
const ports: MessagePort[] = [];
afterEach(() => {
  while (ports.length > 0) ports.pop()?.close();
});

/** Touch ID whose next prompts pass or are cancelled, as listed; it records each prompt. */
function scriptedTouchId(outcomes: ('pass' | 'cancel')[], canPrompt = true) {
  const prompts: string[] = [];
  const preferences: SystemPreferencesLike = {
    canPromptTouchID: () => canPrompt,
    promptTouchID: (reason) => {
      prompts.push(reason);
      return outcomes.shift() === 'pass'
        ? Promise.resolve()
        : Promise.reject(new Error('Touch ID cancelled'));
    },
  };
  return { preferences, prompts };
}

/** Main and the core joined by their control channel, with the core's lock set up. */
async function setup(options: {
  outcomes: ('pass' | 'cancel')[];
  osUnlock: boolean;
  platform?: NodeJS.Platform;
  canPrompt?: boolean;
}) {
  const app: ApiTestApp = await openApiTestApp();
  answerValue(await app.call('lock', 'setPasscode', { passcode: PASSCODE }));
  if (options.osUnlock) {
    answerValue(await app.call('lock', 'setOsUnlock', { enabled: true, passcode: PASSCODE }));
  }
  answerValue(await app.call('lock', 'lockNow'));
  app.events.length = 0;

  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  // The core's end (process.parentPort in the utility process).
  const handle = createCoreControlHandler({
    session: app.session,
    emit: (event) => app.events.push(event),
    onInternalError: (error) => app.internalErrors.push(error),
  });
  channel.port2.on('message', (data: unknown) => {
    const reply = handle(data);
    if (reply !== null) channel.port2.postMessage(reply);
  });
  // Main's end (the UtilityProcess handle).
  const client = createCoreControlClient((request) => channel.port1.postMessage(request));
  channel.port1.on('message', (data: unknown) => client.receive(data));

  const touchId = scriptedTouchId(options.outcomes, options.canPrompt);
  const broker = createOsUnlockBroker({
    osCheck: osCheckFor(options.platform ?? 'darwin', {
      systemPreferences: touchId.preferences,
      loadWindowsHello: () => Promise.resolve(null),
    }),
    core: client,
  });
  return { app, broker, client, touchId };
}

const codeOf = (result: ApiResult<null>) => (result.ok ? 'ok' : result.error.code);

describe('unlocking with the OS check through main', () => {
  it('reports Touch ID as available on macOS, and none on Linux or without a sensor', async () => {
    expect(await (await setup({ outcomes: [], osUnlock: true })).broker.availability()).toEqual({
      kind: 'touch-id',
    });
    for (const options of [{ platform: 'linux' as const }, { canPrompt: false }]) {
      const { broker } = await setup({ outcomes: [], osUnlock: true, ...options });
      expect(await broker.availability()).toEqual({ kind: null });
      expect(codeOf(await broker.unlock())).toBe('OS_CHECK_UNAVAILABLE');
    }
  });

  it('a passed Touch ID prompt unlocks the core over the control channel and tells the windows', async () => {
    const { app, broker, touchId } = await setup({ outcomes: ['pass'], osUnlock: true });
    expect(await broker.unlock()).toEqual({ ok: true, value: null });
    expect(touchId.prompts).toEqual([OS_CHECK_REASON]);
    expect(app.session.isLocked()).toBe(false);
    expect(app.events).toEqual([{ name: 'lock.changed', data: { locked: false } }]);
    expect(await app.call('accounts', 'list')).toEqual({ ok: true, value: [] });
  });

  it('a cancelled or failed prompt leaves the core locked and counts as an attempt', async () => {
    const { app, broker } = await setup({ outcomes: ['cancel', 'cancel'], osUnlock: true });
    expect(codeOf(await broker.unlock())).toBe('OS_CHECK_FAILED');
    const second = await broker.unlock();
    expect(second).toMatchObject({ ok: false, error: { details: { failedAttempts: 2 } } });
    expect(app.session.isLocked()).toBe(true);
    expect(app.events).toEqual([]);
    expect(await app.call('accounts', 'list')).toMatchObject({ ok: false, code: 'APP_LOCKED' });
  });

  it('the core refuses before any prompt when OS unlock is off', async () => {
    const { app, broker, client, touchId } = await setup({ outcomes: ['pass'], osUnlock: false });
    expect(codeOf(await broker.unlock())).toBe('OS_UNLOCK_OFF');
    expect(touchId.prompts).toEqual([]);
    // Even main saying "verified" straight away releases nothing.
    expect(codeOf(await client.osUnlock({ step: 'begin' }))).toBe('OS_UNLOCK_OFF');
    expect(codeOf(await client.osUnlock({ step: 'finish', verified: true }))).toBe(
      'OS_CHECK_NOT_STARTED',
    );
    expect(app.session.isLocked()).toBe(true);
  });

  it('one prompt at a time: a second request while one shows is refused', async () => {
    let pass: () => void = () => undefined;
    let showing: () => void = () => undefined;
    const shown = new Promise<void>((resolve) => (showing = resolve));
    const { app, client } = await setup({ outcomes: [], osUnlock: true });
    const broker = createOsUnlockBroker({
      osCheck: osCheckFor('darwin', {
        systemPreferences: {
          canPromptTouchID: () => true,
          promptTouchID: () =>
            new Promise<void>((resolve) => {
              pass = resolve;
              showing();
            }),
        },
        loadWindowsHello: () => Promise.resolve(null),
      }),
      core: client,
    });
    const first = broker.unlock();
    expect(codeOf(await broker.unlock())).toBe('OS_CHECK_BUSY');
    await shown;
    expect(codeOf(await broker.unlock())).toBe('OS_CHECK_BUSY');
    pass();
    expect(codeOf(await first)).toBe('ok');
    expect(app.session.isLocked()).toBe(false);
  });

  it('what a window sends on its own port cannot stand in for the control channel', async () => {
    const { app } = await setup({ outcomes: [], osUnlock: true });
    for (const message of [
      { type: 'os-unlock', id: 1, step: 'begin' },
      { type: 'os-unlock', id: 2, step: 'finish', verified: true },
    ]) {
      expect(await app.dispatch(message)).toMatchObject({ result: { ok: false } });
    }
    expect(app.session.isLocked()).toBe(true);
  });

  it('control replies that do not parse or answer no request are ignored', async () => {
    const sent: unknown[] = [];
    const client = createCoreControlClient((request) => sent.push(request));
    const waiting = client.osUnlock({ step: 'begin' });
    client.receive({ type: 'os-unlock-reply', id: 99, result: { ok: true, value: null } });
    client.receive({ type: 'os-unlock-reply', id: 1, result: { ok: 'yes' } });
    client.receive('garbage');
    client.receive({ type: 'os-unlock-reply', id: 1, result: { ok: true, value: null } });
    expect(await waiting).toEqual({ ok: true, value: null });
    expect(sent).toEqual([{ type: 'os-unlock', id: 1, step: 'begin' }]);

    const stranded = client.osUnlock({ step: 'finish', verified: true });
    client.failAll();
    expect(codeOf(await stranded)).toBe('INTERNAL');
  });
});
