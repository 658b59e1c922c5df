import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { openApiTestApp } from '../testing/api-test-app.js';

const PASSCODE = 'correct horse 42';
const WRONG = 'wrong-passcode-99';
/** A real 1×1 PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function openSession(now: () => number = Date.now) {
  return openApiTestApp({ now });
}

describe('app lock through the API', () => {
  it('answers only the lock screen while locked, and everything again after the passcode', async () => {
    const { call, events } = await openSession();
    expect(await call('lock', 'setPasscode', { passcode: PASSCODE, idleMinutes: 5 })).toMatchObject(
      {
        ok: true,
        value: { enabled: true, locked: false },
      },
    );
    await call('lock', 'lockNow');
    expect(events).toEqual([{ name: 'lock.changed', data: { locked: true } }]);

    expect(await call('app', 'status')).toMatchObject({
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
      expect(await call(service, method, input), `${service}.${method}`).toMatchObject({
        ok: false,
        code: 'APP_LOCKED',
      });
    }

    const wrong = await call('lock', 'unlock', { passcode: WRONG });
    expect(wrong).toMatchObject({ ok: false, code: 'PASSCODE_WRONG' });
    expect(JSON.stringify(wrong)).not.toContain(WRONG);
    expect(await call('accounts', 'list')).toMatchObject({
      ok: false,
      code: 'APP_LOCKED',
    });

    expect(await call('lock', 'unlock', { passcode: PASSCODE })).toMatchObject({
      ok: true,
      value: { locked: false, failedAttempts: 0 },
    });
    expect(await call('accounts', 'list')).toEqual({ ok: true, value: [] });
    expect(events.at(-1)).toEqual({ name: 'lock.changed', data: { locked: false } });
  });

  it('locks by itself after the idle time and tells the windows', async () => {
    let clock = 1_800_000_000_000;
    const { session, call } = await openSession(() => clock);
    await call('lock', 'setPasscode', { passcode: PASSCODE, idleMinutes: 1 });
    const locked = vi.fn();
    const stop = session.watchIdle(locked, 5);
    onTestFinished(stop);

    clock += 59_000;
    await call('lock', 'activity');
    clock += 59_000;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(locked).not.toHaveBeenCalled();
    expect(session.isLocked()).toBe(false);

    clock += 2_000;
    await vi.waitFor(() => expect(locked).toHaveBeenCalledTimes(1));
    expect(await call('accounts', 'list')).toMatchObject({
      ok: false,
      code: 'APP_LOCKED',
    });
  });
});

describe('settings and documents through the API', () => {
  it('keeps the document profile and refuses a logo that is not an image', async () => {
    const { call } = await openSession();
    expect(await call('settings', 'updateProfile', { name: 'Zoë Ångström Design' })).toMatchObject({
      ok: true,
      value: { name: 'Zoë Ångström Design' },
    });
    expect(await call('settings', 'updateProfile', { name: 'X', owner: 'me' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    const text = Buffer.from('not an image at all');
    const begun = await call('uploads', 'begin', {
      fileName: 'logo.png',
      size: text.length,
    });
    const { uploadId } = (begun as { value: { uploadId: string } }).value;
    await call('uploads', 'append', {
      uploadId,
      offset: 0,
      data: text.toString('base64'),
    });
    expect(await call('settings', 'setLogo', { uploadId })).toMatchObject({
      ok: false,
      code: 'LOGO_UNSUPPORTED_TYPE',
    });
    expect(await call('settings', 'logo')).toEqual({ ok: true, value: null });
  });

  it('hands the logo and an invoice PDF over as the same kind of download as an export', async () => {
    const { call } = await openSession();
    const png = Buffer.from(PNG_BASE64, 'base64');
    const begun = await call('uploads', 'begin', { fileName: 'logo.png', size: png.length });
    const { uploadId } = (begun as { value: { uploadId: string } }).value;
    await call('uploads', 'append', { uploadId, offset: 0, data: PNG_BASE64 });
    expect(await call('settings', 'setLogo', { uploadId })).toMatchObject({ ok: true });
    expect(await call('settings', 'logo')).toEqual({
      ok: true,
      value: {
        fileName: 'logo.png',
        mediaType: 'image/png',
        contentBase64: PNG_BASE64,
        bytes: png.length,
      },
    });

    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    const draft = (await call('invoices', 'createDraft', {
      client: 'Acme',
      lines: [{ description: 'Design work', quantityMilli: 1_000, unitPriceMinor: 8_000 }],
    })) as { value: { id: string } };
    const pdf = (await call('documents', 'invoicePdf', { ref: draft.value.id })) as {
      value: { fileName: string; mediaType: string; contentBase64: string; bytes: number };
    };
    expect(pdf.value.fileName).toMatch(/\.pdf$/);
    expect(pdf.value.mediaType).toBe('application/pdf');
    const bytes = Buffer.from(pdf.value.contentBase64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.value.bytes).toBe(bytes.length);
  });

  it('answers NOT_FOUND for the PDF of an invoice that does not exist', async () => {
    const { call } = await openSession();
    expect(await call('documents', 'invoicePdf', { ref: 'INV-404' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});

describe('OS unlock (Touch ID, Windows Hello) through the API', () => {
  it('turns on with the passcode only, off without it, and shows in the lock status', async () => {
    const { call } = await openSession();
    expect(await call('lock', 'setOsUnlock', { enabled: true, passcode: PASSCODE })).toMatchObject({
      ok: false,
      code: 'PASSCODE_NOT_SET',
    });
    await call('lock', 'setPasscode', { passcode: PASSCODE });
    for (const input of [
      { enabled: true },
      { enabled: true, passcode: '' },
      { enabled: 'yes', passcode: PASSCODE },
      { enabled: false, passcode: PASSCODE, extra: 1 },
    ]) {
      expect(await call('lock', 'setOsUnlock', input), JSON.stringify(input)).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
    expect(await call('lock', 'setOsUnlock', { enabled: true, passcode: WRONG })).toMatchObject({
      ok: false,
      code: 'PASSCODE_WRONG',
    });
    expect(await call('lock', 'status')).toMatchObject({ ok: true, value: { osUnlock: false } });
    expect(await call('lock', 'setOsUnlock', { enabled: true, passcode: PASSCODE })).toMatchObject({
      ok: true,
      value: { osUnlock: true, failedAttempts: 0 },
    });
    expect(await call('lock', 'setOsUnlock', { enabled: false })).toMatchObject({
      ok: true,
      value: { osUnlock: false },
    });
  });

  it('no window message unlocks by the OS check: the core takes that only from main', async () => {
    const { call, dispatch, session } = await openSession();
    await call('lock', 'setPasscode', { passcode: PASSCODE });
    await call('lock', 'setOsUnlock', { enabled: true, passcode: PASSCODE });
    await call('lock', 'lockNow');

    for (const [service, method, input] of [
      ['lock', 'osUnlock', {}],
      ['lock', 'finishOsUnlock', { verified: true }],
      ['lock', 'beginOsUnlock', {}],
      ['app', 'finishOsUnlock', { verified: true }],
      ['lock', 'unlock', { passcode: PASSCODE, osVerified: true }],
      ['lock', 'setOsUnlock', { enabled: false }],
    ] as const) {
      const answer = await call(service, method, input);
      expect(answer.ok, `${service}.${method}`).toBe(false);
    }
    // The control channel's own message shapes mean nothing on a window's port.
    for (const message of [
      { type: 'os-unlock', id: 1, step: 'begin' },
      { type: 'os-unlock', id: 2, step: 'finish', verified: true },
    ]) {
      expect(await dispatch(message)).toMatchObject({ result: { ok: false } });
    }
    expect(session.isLocked()).toBe(true);
    expect(await call('lock', 'status')).toMatchObject({
      ok: true,
      value: { locked: true, osUnlock: true, failedAttempts: 0 },
    });
  });
});
