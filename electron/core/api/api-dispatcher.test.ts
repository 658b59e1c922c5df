import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiServerMessage } from '../../../shared/api/api-envelope.js';
import { MemoryKeyStore } from '../vault/memory.key-store.js';
import { createApiDispatcher, type ApiDispatcher } from './api-dispatcher.js';
import { AppSession } from './app-session.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function setup(): {
  dispatch: ApiDispatcher;
  session: AppSession;
  internal: unknown[];
  events: ApiEvent[];
} {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-api-'));
  const session = new AppSession({
    vaultDir: path.join(root, 'vault'),
    keyStore: new MemoryKeyStore(),
    host: 'web',
  });
  cleanups.push(() => {
    session.closeVault();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const internal: unknown[] = [];
  const events: ApiEvent[] = [];
  const dispatch = createApiDispatcher({
    session,
    emit: (event) => events.push(event),
    onInternalError: (error) => internal.push(error),
  });
  return { dispatch, session, internal, events };
}

let nextId = 1;
async function call(
  dispatch: ApiDispatcher,
  service: string,
  method: string,
  input: unknown = {},
): Promise<
  { ok: true; value: unknown } | { ok: false; code: string; message: string; details?: unknown }
> {
  const id = nextId++;
  const answer = (await dispatch({ id, service, method, input })) as ApiServerMessage;
  if (answer.type !== 'result' || answer.id !== id) throw new Error('answer does not match call');
  return answer.result.ok
    ? { ok: true, value: answer.result.value }
    : { ok: false, ...answer.result.error };
}

describe('API dispatcher', () => {
  it('walks first run: missing vault, create (Recovery Key once), then ledger calls', async () => {
    const { dispatch } = setup();
    expect(await call(dispatch, 'app', 'status')).toMatchObject({
      ok: true,
      value: { vault: 'missing', locked: false, host: 'web' },
    });
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: false,
      code: 'VAULT_CLOSED',
    });

    const created = await call(dispatch, 'app', 'createVault');
    expect(created.ok).toBe(true);
    const { recoveryKey, status } = (created as { value: { recoveryKey: string; status: unknown } })
      .value;
    expect(recoveryKey.length).toBeGreaterThan(40);
    expect(status).toMatchObject({ vault: 'open' });

    const account = await call(dispatch, 'accounts', 'create', {
      name: 'Checking',
      currency: 'EUR',
    });
    expect(account).toMatchObject({ ok: true, value: { name: 'Checking', currency: 'EUR' } });
    const spent = await call(dispatch, 'transactions', 'create', {
      accountId: 'Checking',
      date: '2026-11-03',
      amountMinor: -1250,
      payeeName: 'Bakery',
    });
    expect(spent).toMatchObject({ ok: true, value: { amountMinor: -1250 } });
    expect(
      await call(dispatch, 'transactions', 'list', { accountId: 'Checking', limit: 10 }),
    ).toMatchObject({
      ok: true,
      value: { total: 1, items: [{ amountMinor: -1250 }] },
    });

    expect(await call(dispatch, 'app', 'closeVault')).toMatchObject({
      ok: true,
      value: { vault: 'closed' },
    });
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: false,
      code: 'VAULT_CLOSED',
    });
    expect(await call(dispatch, 'app', 'openVault')).toMatchObject({
      ok: true,
      value: { vault: 'open' },
    });
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: true,
      value: [{ name: 'Checking' }],
    });
  });

  it.each([
    ['accounts', 'nope'],
    ['accounts', 'constructor'],
    ['accounts', 'toString'],
    ['nothing', 'list'],
    ['accounts', 'hasOwnProperty'],
  ])('answers UNKNOWN_METHOD for %s.%s and runs nothing', async (service, method) => {
    const { dispatch, internal } = setup();
    expect(await call(dispatch, service, method)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_METHOD',
    });
    expect(internal).toEqual([]);
  });

  it('refuses names that are not method names before looking anything up', async () => {
    const { dispatch } = setup();
    for (const method of ['__proto__', 'a.b', '', 'x'.repeat(65)]) {
      expect(await call(dispatch, 'accounts', method)).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
  });

  it('validates input with the shared schema and names the field, writing nothing', async () => {
    const { dispatch } = setup();
    await call(dispatch, 'app', 'createVault');
    const bad = await call(dispatch, 'accounts', 'create', { name: 'Euro', currency: 'EURO' });
    expect(bad).toMatchObject({ ok: false, code: 'UNKNOWN_CURRENCY' });
    const extra = await call(dispatch, 'accounts', 'create', {
      name: 'X',
      currency: 'EUR',
      admin: true,
    });
    expect(extra).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((extra as { details: { issues: unknown[] } }).details.issues.length).toBeGreaterThan(0);
    const float = await call(dispatch, 'transactions', 'create', {
      accountId: 'X',
      date: '2026-11-03',
      amountMinor: 12.5,
    });
    expect(float).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    expect(await call(dispatch, 'accounts', 'list')).toEqual({ ok: true, value: [] });
  });

  it('drops a malformed message without an id and answers one with an id', async () => {
    const { dispatch } = setup();
    expect(await dispatch('hello')).toBeNull();
    expect(await dispatch({ service: 'app', method: 'status' })).toBeNull();
    expect(
      await dispatch({ id: 7, service: 'app', method: 'status', input: {}, extra: 1 }),
    ).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: false, error: { code: 'INVALID_INPUT' } },
    });
  });

  it('reports an unexpected failure as INTERNAL with a fixed message and logs it aside', async () => {
    const { dispatch, session, internal } = setup();
    await call(dispatch, 'app', 'createVault');
    const dir = session.vaultDir;
    session.services().vault.db.close();
    const answer = await call(dispatch, 'accounts', 'list');
    expect(answer).toEqual({
      ok: false,
      code: 'INTERNAL',
      message: 'Something went wrong inside Coffer',
    });
    expect(JSON.stringify(answer)).not.toContain(dir);
    expect(internal).toHaveLength(1);
  });
});
