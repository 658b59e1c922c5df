import { generateKeyPairSync } from 'node:crypto';

import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { captureLog } from './support/log-capture.js';
import type { LogCapture } from './support/log-capture.js';
import { login, registerUser, startMfaHarness, stepUp } from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

let h: MfaHarness;
let log: LogCapture;
let origin: string;
beforeAll(async () => {
  log = captureLog('info');
  h = await startMfaHarness({ logger: log.logger });
  origin = `https://localhost:${h.server.port}`;
});
afterAll(async () => h.close());

interface SessionAnswer {
  token?: string;
  sessionId?: string;
  user?: { id: string; email: string };
  error?: { code: string; message: string };
}

/** The "may be cloned" warnings logged for one user so far. */
const cloneWarnings = (userId: string) =>
  log.entries().filter((e) => e.event === 'webauthn_counter_regression' && e.userId === userId);

/** A key pair the server has never seen: what a forger signs with. */
function forgerKey(authenticator: SoftAuthenticator) {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // Provably not the registered key, so its signatures cannot be the authenticator's.
  expect(pair.publicKey.export({ type: 'spki', format: 'der' })).not.toEqual(
    authenticator.publicKeyDer,
  );
  return pair.privateKey;
}

async function registerPasskey(
  user: SignedInUser,
): Promise<{ authenticator: SoftAuthenticator; backupCodes?: string[] }> {
  expect((await stepUp(h.server, user.token)).status).toBe(200);
  const options = await h.server.request<PublicKeyCredentialCreationOptionsJSON>(
    'POST',
    '/v1/me/webauthn/register/options',
    { token: user.token, body: {} },
  );
  expect(options.status).toBe(200);
  const authenticator = new SoftAuthenticator(origin);
  const verified = await h.server.request<{ id: string; backupCodes?: string[] }>(
    'POST',
    '/v1/me/webauthn/register/verify',
    {
      token: user.token,
      body: { response: authenticator.register(options.json), name: 'Laptop key' },
    },
  );
  expect(verified.status).toBe(201);
  expect(verified.json.id).toBe(authenticator.id);
  return {
    authenticator,
    ...(verified.json.backupCodes ? { backupCodes: verified.json.backupCodes } : {}),
  };
}

const passwordlessOptions = async (): Promise<PublicKeyCredentialRequestOptionsJSON> =>
  (
    await h.server.request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/v1/auth/webauthn/options',
      { body: {} },
    )
  ).json;

const verifyLogin = (body: Record<string, unknown>) =>
  h.server.request<SessionAnswer>('POST', '/v1/auth/webauthn/verify', { body });

/** Starts a password login and asks for passkey options bound to its challenge. */
async function passkeyChallenge(
  email: string,
): Promise<{ challengeToken: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const started = await login(h.server, email);
  const challengeToken = started.json.challengeToken ?? '';
  const options = await h.server.request<PublicKeyCredentialRequestOptionsJSON>(
    'POST',
    '/v1/auth/webauthn/options',
    { body: { challengeToken } },
  );
  return { challengeToken, options: options.json };
}

const answerWithPasskey = (challengeToken: string, response: unknown) =>
  h.server.request<SessionAnswer>('POST', '/v1/auth/login/mfa', {
    body: { challengeToken, method: 'webauthn', response },
  });

describe('passkey registration', () => {
  it('needs a step-up and stores the credential; first factor brings backup codes and a notice', async () => {
    const user = await registerUser(h.server);
    const refused = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/webauthn/register/options',
      { token: user.token, body: {} },
    );
    expect(refused.json.error.code).toBe('STEP_UP_REQUIRED');

    expect((await stepUp(h.server, user.token)).status).toBe(200);
    const options = await h.server.request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      '/v1/me/webauthn/register/options',
      { token: user.token, body: {} },
    );
    expect(options.json.rp.id).toBe('localhost');
    expect(options.json.user.name).toBe(user.email);
    expect(options.json.user.id).not.toContain(user.userId);
    expect(options.json.authenticatorSelection?.residentKey).toBe('required');

    const authenticator = new SoftAuthenticator(origin);
    const response = authenticator.register(options.json);
    const verified = await h.server.request<{ id: string; backupCodes: string[] }>(
      'POST',
      '/v1/me/webauthn/register/verify',
      { token: user.token, body: { response, name: 'Laptop key' } },
    );
    expect(verified.status).toBe(201);
    expect(verified.json.backupCodes).toHaveLength(10);
    await h.inbox.waitFor((m) => m.to.includes(user.email) && m.text.includes('passkey was added'));

    // The registration challenge works once.
    const replay = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/webauthn/register/verify',
      { token: user.token, body: { response, name: 'Again' } },
    );
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('WEBAUTHN_CHALLENGE_INVALID');

    const status = await h.server.request<{
      methods: string[];
      passkeys: { id: string; name: string }[];
    }>('GET', '/v1/me/mfa', { token: user.token });
    expect(status.json.methods).toEqual(['webauthn', 'backup_code']);
    expect(status.json.passkeys).toMatchObject([{ id: authenticator.id, name: 'Laptop key' }]);
  });

  it('refuses a registration signed for another origin', async () => {
    const user = await registerUser(h.server);
    await stepUp(h.server, user.token);
    const options = await h.server.request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      '/v1/me/webauthn/register/options',
      { token: user.token, body: {} },
    );
    const evil = new SoftAuthenticator('https://evil.example');
    const res = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/webauthn/register/verify',
      {
        token: user.token,
        body: { response: evil.register(options.json) },
      },
    );
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('WEBAUTHN_REJECTED');
  });
});

describe('passwordless login', () => {
  it('signs in with a discoverable passkey, no email, and mails a notice', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);
    const options = await passwordlessOptions();
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');

    const response = authenticator.assert(options);
    const res = await verifyLogin({ response, deviceName: 'Phone' });
    expect(res.status).toBe(200);
    expect(res.json.user).toEqual({ id: user.userId, email: user.email });
    const sessions = await h.server.request<{ sessions: { deviceName: string }[] }>(
      'GET',
      '/v1/me/sessions',
      {
        token: res.json.token ?? '',
      },
    );
    expect(sessions.json.sessions.map((s) => s.deviceName)).toContain('Phone');
    await h.inbox.waitFor(
      (m) =>
        m.to.includes(user.email) && m.subject.includes('New sign-in') && m.text.includes('Phone'),
    );

    // The same assertion again: its challenge is spent.
    const replay = await verifyLogin({ response });
    expect(replay.status).toBe(401);
    expect(replay.json.error?.code).toBe('WEBAUTHN_CHALLENGE_INVALID');
  });

  it('refuses a counter that went backwards', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);
    expect(
      (
        await verifyLogin({
          response: authenticator.assert(await passwordlessOptions(), { counter: 5 }),
        })
      ).status,
    ).toBe(200);
    expect(cloneWarnings(user.userId)).toEqual([]);
    const cloned = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), { counter: 5 }),
    });
    expect(cloned.status).toBe(401);
    expect(cloned.json.error?.code).toBe('WEBAUTHN_COUNTER_REGRESSION');
    // Correctly signed, counter went back: the owner's log gets the "may be cloned" warning.
    expect(cloneWarnings(user.userId)).toMatchObject([
      { level: 40, msg: 'passkey counter went back' },
    ]);
    const lower = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), { counter: 3 }),
    });
    expect(lower.json.error?.code).toBe('WEBAUTHN_COUNTER_REGRESSION');
    expect(
      (
        await verifyLogin({
          response: authenticator.assert(await passwordlessOptions(), { counter: 6 }),
        })
      ).status,
    ).toBe(200);
  });

  it('checks the signature before the counter: a forged low counter is an ordinary failure', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);
    const real = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), { counter: 5 }),
    });
    expect(real.status).toBe(200);

    const mark = log.entries().length;
    const forger = forgerKey(authenticator);
    const forgedLow = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), {
        counter: 2,
        signWith: forger,
      }),
    });
    const forgedHigh = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), {
        counter: 50,
        signWith: forger,
      }),
    });
    const stranger = new SoftAuthenticator(origin);
    const unknownKey = await verifyLogin({
      response: stranger.assert(await passwordlessOptions()),
    });
    const noUserVerification = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), {
        counter: 51,
        userVerified: false,
      }),
    });
    const expected = {
      error: { code: 'WEBAUTHN_REJECTED', message: 'The passkey could not be verified.' },
    };
    for (const failed of [forgedLow, forgedHigh, unknownKey, noUserVerification]) {
      expect(failed.status).toBe(401);
      expect(failed.json).toEqual(expected);
    }
    // No "may be cloned" warning for a counter nobody signed.
    expect(cloneWarnings(user.userId)).toEqual([]);
    const since = log.entries().slice(mark);
    expect(since.filter((e) => e.event === 'webauthn_counter_regression')).toEqual([]);
    expect(since.filter((e) => e.level >= 40)).toEqual([]);

    // The forgeries moved nothing: the real key's next counter (6) still signs in.
    const next = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), { counter: 6 }),
    });
    expect(next.status).toBe(200);
  });

  it('answers a forged second-factor assertion like any failed one', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);
    const real = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), { counter: 5 }),
    });
    expect(real.status).toBe(200);
    const answers: SessionAnswer[] = [];
    // Below the stored counter (5), and above it.
    for (const counter of [2, 9]) {
      const { challengeToken, options } = await passkeyChallenge(user.email);
      const res = await answerWithPasskey(
        challengeToken,
        authenticator.assert(options, { counter, signWith: forgerKey(authenticator) }),
      );
      expect(res.status).toBe(401);
      answers.push(res.json);
    }
    expect(answers).toEqual([
      { error: { code: 'WEBAUTHN_REJECTED', message: 'The passkey could not be verified.' } },
      { error: { code: 'WEBAUTHN_REJECTED', message: 'The passkey could not be verified.' } },
    ]);
    expect(cloneWarnings(user.userId)).toEqual([]);
  });

  it('needs user verification, the right origin, a registered key and a live challenge', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);

    const noUv = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), { userVerified: false }),
    });
    expect(noUv.json.error?.code).toBe('WEBAUTHN_REJECTED');

    const wrongOrigin = await verifyLogin({
      response: authenticator.assert(await passwordlessOptions(), {
        origin: 'https://evil.example',
      }),
    });
    expect(wrongOrigin.json.error?.code).toBe('WEBAUTHN_REJECTED');

    const stranger = new SoftAuthenticator(origin);
    const unknown = await verifyLogin({ response: stranger.assert(await passwordlessOptions()) });
    expect(unknown.json.error?.code).toBe('WEBAUTHN_REJECTED');

    const options = await passwordlessOptions();
    h.clock.advance(5 * 60_000 + 1);
    const late = await verifyLogin({ response: authenticator.assert(options) });
    expect(late.json.error?.code).toBe('WEBAUTHN_CHALLENGE_INVALID');

    const made = await verifyLogin({
      response: authenticator.assert({
        challenge: Buffer.from('made up by the client').toString('base64url'),
      }),
    });
    expect(made.json.error?.code).toBe('WEBAUTHN_CHALLENGE_INVALID');
  });
});

describe('passkey as second factor', () => {
  it('completes a password login through /v1/auth/login/mfa and /v1/auth/webauthn/verify', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);

    for (const route of ['/v1/auth/login/mfa', '/v1/auth/webauthn/verify']) {
      const started = await login(h.server, user.email);
      expect(started.json.mfaRequired).toBe(true);
      expect(started.json.methods).toEqual(['webauthn', 'backup_code']);
      const challengeToken = started.json.challengeToken ?? '';
      const options = await h.server.request<PublicKeyCredentialRequestOptionsJSON>(
        'POST',
        '/v1/auth/webauthn/options',
        { body: { challengeToken } },
      );
      expect(options.json.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
      const response = authenticator.assert(options.json);
      const body =
        route === '/v1/auth/login/mfa'
          ? { challengeToken, method: 'webauthn', response }
          : { challengeToken, response };
      const res = await h.server.request<SessionAnswer>('POST', route, { body });
      expect(res.status).toBe(200);
      expect(res.json.user?.id).toBe(user.userId);
    }
  });

  it('does not accept a second-factor assertion for passwordless login, nor the reverse', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);
    const { challengeToken, options: bound } = await passkeyChallenge(user.email);
    const misuse = await verifyLogin({ response: authenticator.assert(bound) });
    expect(misuse.json.error?.code).toBe('WEBAUTHN_CHALLENGE_INVALID');

    const loose = await verifyLogin({
      challengeToken,
      response: authenticator.assert(await passwordlessOptions()),
    });
    expect(loose.json.error?.code).toBe('WEBAUTHN_CHALLENGE_INVALID');
  });

  it("refuses another user's passkey for a challenge", async () => {
    const alice = await registerUser(h.server);
    await registerPasskey(alice);
    const bob = await registerUser(h.server);
    const bobs = await registerPasskey(bob);
    const { challengeToken, options } = await passkeyChallenge(alice.email);
    const res = await answerWithPasskey(challengeToken, bobs.authenticator.assert(options));
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('WEBAUTHN_REJECTED');
  });

  it('steps up with a passkey, then removes it (notice mailed)', async () => {
    const user = await registerUser(h.server);
    const { authenticator } = await registerPasskey(user);
    h.clock.advance(11 * 60_000);
    const options = await h.server.request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/v1/me/webauthn/options',
      { token: user.token, body: {} },
    );
    expect(options.status).toBe(200);
    const elevated = await stepUp(h.server, user.token, {
      method: 'webauthn',
      response: authenticator.assert(options.json),
    });
    expect(elevated.status).toBe(200);
    const removed = await h.server.request(
      'DELETE',
      `/v1/me/webauthn/credentials/${encodeURIComponent(authenticator.id)}`,
      { token: user.token },
    );
    expect(removed.status).toBe(204);
    await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.text.includes('passkey was removed'),
    );
    expect((await login(h.server, user.email)).json.token).toBeDefined();
    const gone = await verifyLogin({ response: authenticator.assert(await passwordlessOptions()) });
    expect(gone.json.error?.code).toBe('WEBAUTHN_REJECTED');
  });
});
