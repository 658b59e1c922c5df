import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerUser, stepUp } from './support/mfa-fixtures.js';
import type { SignedInUser } from './support/mfa-fixtures.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestServer } from './support/start-test-server.js';

/** The app's origin the operator allowed (web mode's shape); never the server's own. */
const APP_ORIGIN = 'http://localhost:5173';
/** Same host, another port: an origin nobody allowed. */
const OTHER_ORIGIN = 'http://localhost:5174';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { webauthnOrigins: [APP_ORIGIN] } });
});
afterAll(async () => server.close());

interface ErrorAnswer {
  error?: { code: string };
}

async function registrationOptions(user: SignedInUser) {
  expect((await stepUp(server, user.token)).status).toBe(200);
  const options = await server.request<PublicKeyCredentialCreationOptionsJSON>(
    'POST',
    '/v1/me/webauthn/register/options',
    { token: user.token, body: {} },
  );
  expect(options.status).toBe(200);
  return options.json;
}

async function register(user: SignedInUser, authenticator: SoftAuthenticator, name?: string) {
  return server.request<{ id: string; name: string } & ErrorAnswer>(
    'POST',
    '/v1/me/webauthn/register/verify',
    {
      token: user.token,
      body: {
        response: authenticator.register(await registrationOptions(user)),
        ...(name === undefined ? {} : { name }),
      },
    },
  );
}

const passwordlessOptions = async () =>
  (
    await server.request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/v1/auth/webauthn/options',
      { body: {} },
    )
  ).json;

describe('--webauthn-origin', () => {
  it('accepts a registration and a sign-in from an allowed app origin', async () => {
    const user = await registerUser(server);
    const app = new SoftAuthenticator(APP_ORIGIN);
    expect((await register(user, app)).status).toBe(201);
    const signIn = await server.request<{ user?: { id: string } }>(
      'POST',
      '/v1/auth/webauthn/verify',
      { body: { response: app.assert(await passwordlessOptions()) } },
    );
    expect(signIn.status).toBe(200);
    expect(signIn.json.user?.id).toBe(user.userId);
  });

  it('refuses a registration and a sign-in from an origin nobody allowed', async () => {
    const user = await registerUser(server);
    const stranger = new SoftAuthenticator(OTHER_ORIGIN);
    const refused = await register(user, stranger);
    expect(refused.status).toBe(401);
    expect(refused.json.error?.code).toBe('WEBAUTHN_REJECTED');

    // A passkey registered from the allowed origin, then asserted from another one.
    const app = new SoftAuthenticator(APP_ORIGIN);
    expect((await register(user, app)).status).toBe(201);
    const signIn = await server.request<ErrorAnswer>('POST', '/v1/auth/webauthn/verify', {
      body: { response: app.assert(await passwordlessOptions(), { origin: OTHER_ORIGIN }) },
    });
    expect(signIn.status).toBe(401);
    expect(signIn.json.error?.code).toBe('WEBAUTHN_REJECTED');
  });

  it("still accepts the server's own origin beside the app's", async () => {
    const user = await registerUser(server);
    const own = new SoftAuthenticator(`https://localhost:${server.port}`);
    expect((await register(user, own)).status).toBe(201);
  });
});

describe('PATCH /v1/me/webauthn/credentials/:id', () => {
  const rename = (token: string, id: string, body: unknown) =>
    server.request<{ id?: string; name?: string } & ErrorAnswer>(
      'PATCH',
      `/v1/me/webauthn/credentials/${encodeURIComponent(id)}`,
      { token, body },
    );

  it('renames your own passkey, as the list then shows', async () => {
    const user = await registerUser(server);
    const key = new SoftAuthenticator(APP_ORIGIN);
    expect((await register(user, key, 'Laptop')).status).toBe(201);
    const renamed = await rename(user.token, key.id, { name: 'Work laptop' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toEqual({ id: key.id, name: 'Work laptop' });
    const listed = await server.request<{ passkeys: { id: string; name: string }[] }>(
      'GET',
      '/v1/me/mfa',
      { token: user.token },
    );
    expect(listed.json.passkeys).toMatchObject([{ id: key.id, name: 'Work laptop' }]);
  });

  it("answers 404 for another account's passkey and leaves its name alone", async () => {
    const owner = await registerUser(server);
    const key = new SoftAuthenticator(APP_ORIGIN);
    expect((await register(owner, key, 'Owner key')).status).toBe(201);
    const other = await registerUser(server);
    const refused = await rename(other.token, key.id, { name: 'Mine now' });
    expect(refused.status).toBe(404);
    expect(refused.json.error?.code).toBe('PASSKEY_NOT_FOUND');
    const listed = await server.request<{ passkeys: { name: string }[] }>('GET', '/v1/me/mfa', {
      token: owner.token,
    });
    expect(listed.json.passkeys.map((p) => p.name)).toEqual(['Owner key']);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a control character', { name: 'line\nbreak' }],
    ['a name over 100 characters', { name: 'x'.repeat(101) }],
    ['an unknown field', { name: 'ok', admin: true }],
    ['no name', {}],
  ])('refuses %s with 400', async (_what, body) => {
    const user = await registerUser(server);
    const key = new SoftAuthenticator(APP_ORIGIN);
    expect((await register(user, key)).status).toBe(201);
    const refused = await rename(user.token, key.id, body);
    expect(refused.status).toBe(400);
  });

  it('answers 4xx, never 5xx, to hostile ids and bodies of the wrong shape', async () => {
    const user = await registerUser(server);
    const key = new SoftAuthenticator(APP_ORIGIN);
    expect((await register(user, key, 'Kept')).status).toBe(201);
    const hostile = ["' OR 1=1; --", '<script>alert(1)</script>', '../../me', 'a'.repeat(300)];
    for (const id of hostile) {
      const answer = await rename(user.token, id, { name: 'x' });
      expect(answer.status, id).toBeGreaterThanOrEqual(400);
      expect(answer.status, id).toBeLessThan(500);
    }
    for (const body of [null, [], 'name', 42, { name: 42 }, { name: null }, { name: ['a'] }]) {
      const answer = await rename(user.token, key.id, body);
      expect(answer.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(body)).toBeLessThan(500);
    }
    const listed = await server.request<{ passkeys: { name: string }[] }>('GET', '/v1/me/mfa', {
      token: user.token,
    });
    expect(listed.json.passkeys.map((p) => p.name)).toEqual(['Kept']);
  });

  it('needs a session', async () => {
    const refused = await server.request('PATCH', '/v1/me/webauthn/credentials/abc', {
      body: { name: 'x' },
    });
    expect(refused.status).toBe(401);
  });
});
