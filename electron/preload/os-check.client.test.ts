import { describe, expect, it } from 'vitest';
import type { OsCheckRequest } from '../../shared/app/os-check.js';
import { createOsCheckClient } from './os-check.client.js';

describe('the preload OS-check client', () => {
  it('sends only an id and an action, and settles each request with its own reply', async () => {
    const sent: OsCheckRequest[] = [];
    const client = createOsCheckClient((request) => sent.push(request));
    const availability = client.bridge.availability();
    const unlock = client.bridge.unlock();
    expect(sent).toEqual([
      { id: 1, action: 'availability' },
      { id: 2, action: 'unlock' },
    ]);
    client.receive({
      id: 2,
      result: { ok: false, error: { code: 'OS_CHECK_FAILED', message: 'Not you' } },
    });
    client.receive({ id: 1, result: { ok: true, value: { kind: 'windows-hello' } } });
    await expect(availability).resolves.toEqual({ kind: 'windows-hello' });
    await expect(unlock).resolves.toEqual({
      ok: false,
      error: { code: 'OS_CHECK_FAILED', message: 'Not you' },
    });
  });

  it('ignores replies that do not parse or answer nothing, and reads an unknown kind as none', async () => {
    const client = createOsCheckClient(() => undefined);
    const unlock = client.bridge.unlock();
    client.receive({ id: 99, result: { ok: true, value: null } });
    client.receive({ id: 1, result: { ok: 'yes' } });
    client.receive('unlocked');
    client.receive({ id: 1, result: { ok: true, value: null } });
    await expect(unlock).resolves.toEqual({ ok: true, value: null });

    const availability = client.bridge.availability();
    client.receive({ id: 2, result: { ok: true, value: { kind: 'face-id' } } });
    await expect(availability).resolves.toEqual({ kind: null });
  });
});
