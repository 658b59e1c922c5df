import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuditService } from '../audit/audit.service.js';
import {
  DEVICE_APPROVAL_KEPT_MS,
  DEVICE_APPROVAL_REQUEST_LIMIT,
  DEVICE_APPROVAL_TTL_MS,
} from '../keys/device-approval.service.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { login, register, startAccountsServer, stepUp } from './accounts-support.js';
import type { AccountsTestServer, Grant } from './accounts-support.js';
import { boxText, publicKeyText, testUserKeyBody } from './key-directory-support.js';
import { snapshot } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string; message: string };
}
interface Result {
  id: string;
  state: string;
  createdAt: string;
  expiresAt: string;
  userKeyVersion?: number;
  sealedUserKey?: string;
}
interface Pending {
  requests: { id: string; devicePublicKey: string; deviceName: string; expiresAt: string }[];
}

type Account = Grant & { email: string; password: string };

let server: AccountsTestServer;

beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const call = <T = unknown>(method: string, path: string, token: string, body?: unknown) =>
  server.request<T & ErrorJson>(method, path, { token, ...(body === undefined ? {} : { body }) });

/** A user whose first device holds the user key (a device key), as sign-up leaves it. */
async function signedUpUser(): Promise<Account> {
  const user = await register(server, { deviceName: 'Laptop' });
  expect((await call('PUT', '/v1/me/keys', user.token, testUserKeyBody())).status).toBe(201);
  const device = { publicKey: publicKeyText(), userKeyVersion: 1, sealedUserKey: boxText() };
  expect((await call('PUT', '/v1/me/device-key', user.token, device)).status).toBe(201);
  return user;
}

/** A second sign-in of the user: a device without the user key. */
const newDevice = (user: Account, name = 'New desktop'): Promise<Grant> =>
  login(server, user.email, user.password, name);

async function ask(device: Grant): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  const key = publicKeyText();
  const made = await call<Result>('POST', '/v1/me/device-approvals', device.token, {
    id,
    devicePublicKey: key,
  });
  expect(made.status, made.text).toBe(201);
  return { id, key };
}

const approve = (user: Grant, id: string, sealedUserKey = boxText(), userKeyVersion = 1) =>
  call<{ state: string }>('POST', `/v1/me/device-approvals/${id}/approve`, user.token, {
    userKeyVersion,
    sealedUserKey,
  });
const deny = (user: Grant, id: string) =>
  call<{ state: string }>('POST', `/v1/me/device-approvals/${id}/deny`, user.token);
const result = (device: Grant, id: string) =>
  call<Result>('GET', `/v1/me/device-approvals/${id}`, device.token);
const pending = (user: Grant) => call<Pending>('GET', '/v1/me/device-approvals', user.token);

const refusal = (response: { status: number; json: ErrorJson }) => [
  response.status,
  response.json.error?.code,
];

describe('device approval', () => {
  it('a new device asks, a device holding the user key approves after a step-up, and only the asker reads the box', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const id = randomUUID();
    const key = publicKeyText();
    const body = { id, devicePublicKey: key };
    const made = await call<Result>('POST', '/v1/me/device-approvals', desktop.token, body);
    expect(made.status, made.text).toBe(201);
    expect(made.json).toMatchObject({ id, state: 'pending' });
    expect(Date.parse(made.json.expiresAt) - Date.parse(made.json.createdAt)).toBe(
      DEVICE_APPROVAL_TTL_MS,
    );
    // The same request again is a retry.
    const again = await call<Result>('POST', '/v1/me/device-approvals', desktop.token, body);
    expect(again.status).toBe(200);

    const listed = await pending(user);
    expect(listed.json.requests).toEqual([
      expect.objectContaining({ id, devicePublicKey: key, deviceName: 'New desktop' }),
    ]);
    // The asker does not see its own request among those to decide.
    expect((await pending(desktop)).json.requests).toEqual([]);
    expect((await result(desktop, id)).json.state).toBe('pending');

    const box = boxText();
    expect(refusal(await approve(user, id, box))).toEqual([403, 'STEP_UP_REQUIRED']);
    expect((await result(desktop, id)).json.state).toBe('pending');
    await stepUp(server, user.token, user.password);
    const approved = await approve(user, id, box);
    expect([approved.status, approved.json]).toEqual([200, { state: 'approved' }]);

    expect((await result(desktop, id)).json).toMatchObject({
      id,
      state: 'approved',
      userKeyVersion: 1,
      sealedUserKey: box,
    });
    // Only the asking session reads the answer: the approver and a third device get 404.
    const phone = await newDevice(user, 'Phone');
    for (const other of [user, phone]) {
      expect(refusal(await result(other, id))).toEqual([404, 'DEVICE_APPROVAL_NOT_FOUND']);
    }
    expect((await pending(user)).json.requests).toEqual([]);
  });

  it('a request is decided once: a second approval or a denial after it is refused and changes nothing', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const { id } = await ask(desktop);
    await stepUp(server, user.token, user.password);
    const first = boxText();
    expect((await approve(user, id, first)).status).toBe(200);
    const before = snapshot(server);
    const second = boxText(90);
    expect(refusal(await approve(user, id, second))).toEqual([409, 'DEVICE_APPROVAL_DECIDED']);
    expect(refusal(await deny(user, id))).toEqual([409, 'DEVICE_APPROVAL_DECIDED']);
    expect(snapshot(server)).toBe(before);
    expect((await result(desktop, id)).json.sealedUserKey).toBe(first);
  });

  it('a denied request gives the asker no box and cannot be approved afterwards', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const { id } = await ask(desktop);
    expect([(await deny(user, id)).status, (await deny(user, id)).status]).toEqual([200, 409]);
    const read = await result(desktop, id);
    expect(read.json).toMatchObject({ id, state: 'denied' });
    expect(read.json.sealedUserKey).toBeUndefined();
    await stepUp(server, user.token, user.password);
    expect(refusal(await approve(user, id))).toEqual([409, 'DEVICE_APPROVAL_DECIDED']);
    expect((await result(desktop, id)).json.sealedUserKey).toBeUndefined();
  });

  it('expires 15 minutes after it was made: decided up to the last millisecond, refused from then on', async () => {
    const user = await signedUpUser();
    await stepUp(server, user.token, user.password);
    const early = await newDevice(user, 'Early');
    const late = await newDevice(user, 'Late');
    const onTime = await ask(early);
    const tooLate = await ask(late);

    server.clock.advance(DEVICE_APPROVAL_TTL_MS - 1);
    // Step-up lasts 10 minutes: renew it so only the request's age is in question.
    await stepUp(server, user.token, user.password);
    expect((await approve(user, onTime.id)).status).toBe(200);

    server.clock.advance(1);
    expect((await pending(user)).json.requests).toEqual([]);
    const before = snapshot(server);
    expect(refusal(await approve(user, tooLate.id))).toEqual([410, 'DEVICE_APPROVAL_EXPIRED']);
    expect(refusal(await deny(user, tooLate.id))).toEqual([410, 'DEVICE_APPROVAL_EXPIRED']);
    expect(snapshot(server)).toBe(before);
    expect((await result(late, tooLate.id)).json.state).toBe('expired');
    expect((await result(early, onTime.id)).json.state).toBe('approved');
  });

  it("another user's request answers 404 to every route, as an unknown id does, and changes nothing", async () => {
    const owner = await signedUpUser();
    const desktop = await newDevice(owner);
    const { id } = await ask(desktop);
    const stranger = await signedUpUser();
    await stepUp(server, stranger.token, stranger.password);
    const before = snapshot(server);
    for (const target of [id, randomUUID()]) {
      expect(refusal(await approve(stranger, target))).toEqual([404, 'DEVICE_APPROVAL_NOT_FOUND']);
      expect(refusal(await deny(stranger, target))).toEqual([404, 'DEVICE_APPROVAL_NOT_FOUND']);
      expect(refusal(await result(stranger, target))).toEqual([404, 'DEVICE_APPROVAL_NOT_FOUND']);
    }
    expect((await pending(stranger)).json.requests).toEqual([]);
    expect(snapshot(server)).toBe(before);
    // The owner's request is untouched.
    expect((await result(desktop, id)).json.state).toBe('pending');
    // A stranger cannot take the id for a request of their own either.
    const strangerDevice = await newDevice(stranger);
    const taken = await call('POST', '/v1/me/device-approvals', strangerDevice.token, {
      id,
      devicePublicKey: publicKeyText(),
    });
    expect(refusal(taken)).toEqual([409, 'DEVICE_APPROVAL_EXISTS']);
  });

  it('only a session holding the user key decides: one without a device key is refused, stepped up or not', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const { id } = await ask(desktop);
    // Another new device of the same user, signed in with password (and second factor).
    const intruder = await newDevice(user, 'Unknown laptop');
    await stepUp(server, intruder.token, user.password);
    await stepUp(server, desktop.token, user.password);
    const before = snapshot(server);
    expect(refusal(await approve(intruder, id))).toEqual([403, 'DEVICE_KEY_REQUIRED']);
    expect(refusal(await deny(intruder, id))).toEqual([403, 'DEVICE_KEY_REQUIRED']);
    // The asker cannot approve itself.
    expect(refusal(await approve(desktop, id))).toEqual([403, 'DEVICE_KEY_REQUIRED']);
    expect(snapshot(server)).toBe(before);
    expect((await result(desktop, id)).json.state).toBe('pending');
  });

  it('refuses a request from a device that holds the key, before the account has one, or sealed to an old version', async () => {
    const user = await signedUpUser();
    const own = await call('POST', '/v1/me/device-approvals', user.token, {
      id: randomUUID(),
      devicePublicKey: publicKeyText(),
    });
    expect(refusal(own)).toEqual([409, 'DEVICE_KEY_EXISTS']);
    const fresh = await register(server);
    const early = await call('POST', '/v1/me/device-approvals', fresh.token, {
      id: randomUUID(),
      devicePublicKey: publicKeyText(),
    });
    expect(refusal(early)).toEqual([409, 'USER_KEY_MISSING']);

    const desktop = await newDevice(user);
    const { id } = await ask(desktop);
    await stepUp(server, user.token, user.password);
    expect(refusal(await approve(user, id, boxText(), 2))).toEqual([409, 'USER_KEY_STALE']);
    expect((await result(desktop, id)).json.state).toBe('pending');
  });

  it('a request whose device signed out is no longer listed or decided', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const { id } = await ask(desktop);
    expect((await call('POST', '/v1/auth/logout', desktop.token, {})).status).toBe(204);
    expect((await pending(user)).json.requests).toEqual([]);
    await stepUp(server, user.token, user.password);
    expect(refusal(await approve(user, id))).toEqual([410, 'DEVICE_APPROVAL_ENDED']);
  });

  it(`limits an account to ${DEVICE_APPROVAL_REQUEST_LIMIT} requests per 15 minutes`, async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    for (let i = 0; i < DEVICE_APPROVAL_REQUEST_LIMIT; i += 1) await ask(desktop);
    const before = snapshot(server);
    const over = await call('POST', '/v1/me/device-approvals', desktop.token, {
      id: randomUUID(),
      devicePublicKey: publicKeyText(),
    });
    expect(refusal(over)).toEqual([429, 'TOO_MANY_APPROVAL_REQUESTS']);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(snapshot(server)).toBe(before);
    // Another account is not held back by this one.
    await ask(await newDevice(await signedUpUser()));
    server.clock.advance(DEVICE_APPROVAL_TTL_MS + 1);
    await ask(desktop);
  });

  it('keeps an expired request an hour, then the next request of that user deletes it', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const old = await ask(desktop);
    const stranger = await ask(await newDevice(await signedUpUser()));
    server.clock.advance(DEVICE_APPROVAL_TTL_MS + DEVICE_APPROVAL_KEPT_MS);
    await ask(desktop);
    expect((await result(desktop, old.id)).json.state).toBe('expired');
    server.clock.advance(1);
    await ask(desktop);
    expect(refusal(await result(desktop, old.id))).toEqual([404, 'DEVICE_APPROVAL_NOT_FOUND']);
    // Another user's rows are theirs to clear.
    const db = (server.deps.storage as SqliteStorage).db;
    expect(
      db.prepare('SELECT count(*) FROM device_approvals WHERE id = ?').pluck().get(stranger.id),
    ).toBe(1);
  });

  it('garbage answers 400 with a code and changes nothing', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const { id } = await ask(desktop);
    await stepUp(server, user.token, user.password);
    const key = publicKeyText();
    // A last character with stray low bits decodes to the same bytes but is not canonical.
    const stray = `${key.slice(0, -1)}${key.endsWith('B') ? 'C' : 'B'}`;
    const box = boxText();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/me/device-approvals', {}, 'INVALID_REQUEST'],
      ['POST', '/v1/me/device-approvals', { id: 'abc', devicePublicKey: key }, 'INVALID_REQUEST'],
      [
        'POST',
        '/v1/me/device-approvals',
        { id: randomUUID().toUpperCase(), devicePublicKey: key },
        'INVALID_REQUEST',
      ],
      [
        'POST',
        '/v1/me/device-approvals',
        { id: randomUUID(), devicePublicKey: key.slice(1) },
        'INVALID_REQUEST',
      ],
      [
        'POST',
        '/v1/me/device-approvals',
        { id: randomUUID(), devicePublicKey: stray },
        'INVALID_BASE64',
      ],
      [
        'POST',
        '/v1/me/device-approvals',
        { id: randomUUID(), devicePublicKey: key, extra: 1 },
        'INVALID_REQUEST',
      ],
      ['POST', '/v1/me/device-approvals', [1, 2], 'INVALID_REQUEST'],
      ['POST', `/v1/me/device-approvals/${id}/approve`, {}, 'INVALID_REQUEST'],
      [
        'POST',
        `/v1/me/device-approvals/${id}/approve`,
        { userKeyVersion: 0, sealedUserKey: box },
        'INVALID_REQUEST',
      ],
      [
        'POST',
        `/v1/me/device-approvals/${id}/approve`,
        { userKeyVersion: 1, sealedUserKey: 'a'.repeat(2000) },
        'INVALID_REQUEST',
      ],
      [
        'POST',
        `/v1/me/device-approvals/${id}/approve`,
        { userKeyVersion: 1, sealedUserKey: `${box}=` },
        'INVALID_REQUEST',
      ],
      [
        'POST',
        `/v1/me/device-approvals/${id}/approve`,
        { userKeyVersion: '1', sealedUserKey: box, more: true },
        'INVALID_REQUEST',
      ],
      ['POST', `/v1/me/device-approvals/${id}/deny`, { reason: 'no' }, 'INVALID_REQUEST'],
      [
        'POST',
        '/v1/me/device-approvals/not-a-uuid/approve',
        { userKeyVersion: 1, sealedUserKey: box },
        'INVALID_REQUEST',
      ],
      ['POST', '/v1/me/device-approvals/not-a-uuid/deny', undefined, 'INVALID_REQUEST'],
      ['GET', "/v1/me/device-approvals/'%20OR%201=1", undefined, 'INVALID_REQUEST'],
    ];
    const before = snapshot(server);
    for (const [method, path, body, code] of cases) {
      const answer = await call(method, path, method === 'GET' ? user.token : user.token, body);
      expect(refusal(answer), `${method} ${path} ${JSON.stringify(body)}`).toEqual([400, code]);
    }
    expect(snapshot(server)).toBe(before);
    expect((await result(desktop, id)).json.state).toBe('pending');
  });

  it('records every step in the audit log, with the caller, and never a key or box', async () => {
    const user = await signedUpUser();
    const desktop = await newDevice(user);
    const { id, key } = await ask(desktop);
    await stepUp(server, user.token, user.password);
    const box = boxText();
    expect((await approve(user, id, box)).status).toBe(200);
    expect((await result(desktop, id)).status).toBe(200);
    await (server.deps.audit as AuditService).settled();
    const db = (server.deps.storage as SqliteStorage).db;
    const rows = db
      .prepare(
        `SELECT action, status_code, session_id FROM audit_log
          WHERE user_id = ? AND action LIKE '%device-approvals%' ORDER BY seq`,
      )
      .all(user.user.id) as { action: string; status_code: number; session_id: string }[];
    expect(rows).toEqual([
      { action: 'POST /v1/me/device-approvals', status_code: 201, session_id: desktop.sessionId },
      {
        action: 'POST /v1/me/device-approvals/:id/approve',
        status_code: 200,
        session_id: user.sessionId,
      },
      {
        action: 'GET /v1/me/device-approvals/:id',
        status_code: 200,
        session_id: desktop.sessionId,
      },
    ]);
    const audit = JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
    for (const secret of [key, box, Buffer.from(box, 'base64url').toString('hex')]) {
      expect(audit).not.toContain(secret);
    }
  });
});
