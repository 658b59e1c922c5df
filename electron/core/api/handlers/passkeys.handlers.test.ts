import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PasskeyOptionsJSON, PasskeyView } from '../../../../shared/api/passkeys.methods.js';
import type { SignInStep } from '../../../../shared/api/sync.methods.js';
import { AccountApiClient } from '../../sync/client/account-api.client.js';
import { parseFingerprint } from '../../sync/client/pinned-agent.js';
import { SoftAuthenticator } from '../../sync/client/testing/soft-authenticator.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { SyncHttpClient } from '../../sync/client/sync-http.client.js';
import { SyncAccountRepository } from '../../sync/sync-account.repository.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/**
 * The `passkeys` group and the passkey step of a sign-in, against the real server in a
 * child process and real vaults. The browser's ceremony is played by a software
 * authenticator on the server's own origin, as a page on that origin would.
 */
const PASSWORD = 'quartz meadow lantern 71';

let server: SyncServerProcess;
let origin: string;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
  origin = `https://localhost:${new URL(server.url).port}`;
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;
const serverInput = () => ({ url: server.url, fingerprint: server.fingerprint });

function sessionToken(app: ApiTestApp): string {
  const account = new SyncAccountRepository(app.session.services().vault.db).account();
  if (account === null) throw new Error('not signed in');
  return account.sessionToken;
}

/** What the step-up dialog does through `security.stepUp`: elevate the vault's session. */
async function stepUp(app: ApiTestApp, code?: string): Promise<void> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  try {
    await new AccountApiClient(http).stepUp(sessionToken(app), PASSWORD, code);
  } finally {
    http.close();
  }
}

async function signUp(app: ApiTestApp, address: string): Promise<string> {
  return answerValue<{ recoveryKey: string }>(
    await app.call('sync', 'signUp', { ...serverInput(), email: address, password: PASSWORD }),
  ).recoveryKey;
}

async function registrationOptions(app: ApiTestApp) {
  const { options } = answerValue<{ options: PasskeyOptionsJSON }>(
    await app.call('passkeys', 'registerOptions', {}),
  );
  return options as unknown as PublicKeyCredentialCreationOptionsJSON;
}

/** A new signed-up vault whose account has one passkey, held by the authenticator returned. */
async function withPasskey(prefix: string, name: string) {
  const app = await openApiTestApp();
  const address = email(prefix);
  const recoveryKey = await signUp(app, address);
  await stepUp(app);
  const key = new SoftAuthenticator(origin);
  answerValue(
    await app.call('passkeys', 'registerVerify', {
      response: key.register(await registrationOptions(app)),
      name,
    }),
  );
  return { app, address, recoveryKey, key };
}

const list = async (app: ApiTestApp): Promise<PasskeyView[]> =>
  answerValue<{ passkeys: PasskeyView[] }>(await app.call('passkeys', 'list', {})).passkeys;

describe('passkeys through the API', { timeout: 180_000 }, () => {
  it('answers SYNC_NOT_SET_UP in a vault that is not signed in', async () => {
    const app = await openApiTestApp();
    expect(await app.call('passkeys', 'list', {})).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
    expect(await app.call('passkeys', 'registerOptions', {})).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
    expect(await app.call('security', 'stepUpPasskeyOptions', {})).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
  });

  it('gives no step-up passkey options to an account without a passkey', async () => {
    const app = await openApiTestApp();
    await signUp(app, email('nokey'));
    expect(await app.call('security', 'stepUpPasskeyOptions', {})).toMatchObject({
      ok: false,
      code: 'INVALID_STATE',
    });
  });

  it('registers, lists, renames and removes a passkey; step-up where the server asks; no token reaches the window', async () => {
    const app = await openApiTestApp();
    await signUp(app, email('passkeys'));
    const answers: unknown[] = [];

    answers.push(await app.call('passkeys', 'registerOptions', {}));
    expect(answers.at(-1)).toMatchObject({ ok: false, code: 'STEP_UP_REQUIRED' });
    await stepUp(app);

    const authenticator = new SoftAuthenticator(origin);
    const options = await registrationOptions(app);
    answers.push(options);
    answers.push(
      await app.call('passkeys', 'registerVerify', {
        response: authenticator.register(options),
        name: 'Work laptop',
      }),
    );
    const added = answerValue<{ passkey: PasskeyView; backupCodes: string[] | null }>(
      answers.at(-1) as never,
    );
    expect(added.passkey).toMatchObject({ id: authenticator.id, name: 'Work laptop' });
    // The account's first second factor: its backup codes come out once.
    expect(added.backupCodes).toHaveLength(10);
    expect(await list(app)).toEqual([
      {
        id: authenticator.id,
        name: 'Work laptop',
        createdAt: expect.any(String) as unknown,
        lastUsedAt: null,
      },
    ]);

    // A registration the browser made on another origin is refused, with its own code.
    const stranger = new SoftAuthenticator('https://evil.example');
    answers.push(
      await app.call('passkeys', 'registerVerify', {
        response: stranger.register(await registrationOptions(app)),
        name: 'Stranger',
      }),
    );
    expect(answers.at(-1)).toMatchObject({ ok: false, code: 'PASSKEY_REJECTED' });

    answers.push(
      await app.call('passkeys', 'rename', { id: authenticator.id, name: 'Home laptop' }),
    );
    expect(answers.at(-1)).toEqual({
      ok: true,
      value: { id: authenticator.id, name: 'Home laptop' },
    });
    expect((await list(app)).map((p) => p.name)).toEqual(['Home laptop']);
    expect(
      await app.call('passkeys', 'rename', { id: authenticator.id, name: 'two\nlines' }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(
      await app.call('passkeys', 'rename', { id: 'bm90LWEtcGFzc2tleQ', name: 'Nobody' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    answers.push(await app.call('passkeys', 'remove', { id: authenticator.id }));
    expect(answers.at(-1)).toEqual({ ok: true, value: { removed: true } });
    expect(await list(app)).toEqual([]);
    expect(await app.call('passkeys', 'remove', { id: authenticator.id })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });

    const seen = JSON.stringify([answers, app.events]);
    expect(seen).not.toContain(sessionToken(app));
    expect(seen).not.toContain(PASSWORD);
  });

  it("refuses to rename or remove another account's passkey (404), and leaves it be", async () => {
    const { app: owner, key } = await withPasskey('owner', 'Owner key');
    const other = await openApiTestApp();
    await signUp(other, email('other'));
    await stepUp(other);
    expect(await other.call('passkeys', 'rename', { id: key.id, name: 'Mine' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await other.call('passkeys', 'remove', { id: key.id })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect((await list(owner)).map((p) => p.name)).toEqual(['Owner key']);
  });

  it('signs a second vault in with a passkey as the second factor; a refused one keeps the step', async () => {
    const { app: first, address, recoveryKey, key } = await withPasskey('signin', 'Phone');

    const second = await openApiTestApp();
    expect(await second.call('sync', 'signInPasskeyOptions', {})).toMatchObject({
      ok: false,
      code: 'SIGN_IN_NOT_STARTED',
    });
    const started = answerValue<SignInStep>(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    );
    expect(started).toEqual({ step: 'second-factor', methods: ['passkey', 'backup'] });

    const answers: unknown[] = [];
    const options = async () => {
      const answer = await second.call('sync', 'signInPasskeyOptions', {});
      answers.push(answer);
      return answerValue<{ options: PasskeyOptionsJSON }>(answer)
        .options as unknown as PublicKeyCredentialRequestOptionsJSON;
    };
    const verify = async (response: unknown) => {
      const answer = await second.call('sync', 'signInPasskeyVerify', { response });
      answers.push(answer);
      return answer;
    };

    // Another authenticator's assertion: refused with its own code; the step stays.
    const stranger = new SoftAuthenticator(origin);
    expect(await verify(stranger.assert(await options()))).toMatchObject({
      ok: false,
      code: 'PASSKEY_REJECTED',
    });
    expect(await second.call('sync', 'status')).toEqual({
      ok: true,
      value: { signedIn: false, signIn: 'second-factor' },
    });
    // Malformed input never reaches the server.
    expect(await verify({ id: 'x', response: {} })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });

    expect(await verify(key.assert(await options()))).toEqual({
      ok: true,
      value: { step: 'unlock-keys' },
    });
    expect(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey })).toMatchObject({
      ok: true,
      value: { step: 'done', status: { signedIn: true } },
    });
    // The passkey now shows when it was last used.
    expect((await list(first))[0]?.lastUsedAt).toEqual(expect.any(String));

    const seen = JSON.stringify([answers, second.events]);
    expect(seen).not.toContain(sessionToken(second));
    expect(seen).not.toContain(PASSWORD);
  });

  it('steps a session up with the password and a passkey; a refused, replayed or cancelled one does not elevate', async () => {
    const { address, recoveryKey, key } = await withPasskey('stepup', 'Laptop');
    // A second device, signed in with the passkey: its session is not stepped up yet.
    const app = await openApiTestApp();
    answerValue(
      await app.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    );
    const signInOptions = answerValue<{ options: PasskeyOptionsJSON }>(
      await app.call('sync', 'signInPasskeyOptions', {}),
    ).options as unknown as PublicKeyCredentialRequestOptionsJSON;
    answerValue(
      await app.call('sync', 'signInPasskeyVerify', { response: key.assert(signInOptions) }),
    );
    answerValue(await app.call('sync', 'signInWithRecoveryKey', { recoveryKey }));

    const answers: unknown[] = [];
    const elevated = async (): Promise<boolean> => {
      const answer = await app.call('passkeys', 'registerOptions', {});
      if (!answer.ok && answer.code === 'STEP_UP_REQUIRED') return false;
      answerValue(answer);
      return true;
    };
    const options = async () => {
      const answer = await app.call('security', 'stepUpPasskeyOptions', {});
      answers.push(answer);
      return answerValue<{ options: PasskeyOptionsJSON }>(answer)
        .options as unknown as PublicKeyCredentialRequestOptionsJSON;
    };
    const stepUpWith = async (response: unknown, password = PASSWORD) => {
      const answer = await app.call('security', 'stepUpWithPasskey', { password, response });
      answers.push(answer);
      return answer;
    };

    expect(await app.call('security', 'stepUpOptions', {})).toEqual({
      ok: true,
      value: { methods: ['backup'], passkey: true },
    });
    // Cancelled in the window: options were given out, nothing came back.
    await options();
    expect(await elevated()).toBe(false);
    // Signed on another origin (a page the server does not serve): refused, not elevated.
    expect(
      await stepUpWith(key.assert(await options(), { origin: 'https://evil.example' })),
    ).toMatchObject({ ok: false, code: 'PASSKEY_REJECTED' });
    expect(await elevated()).toBe(false);
    // Another account's registered passkey.
    const other = await openApiTestApp();
    await signUp(other, email('stepup-other'));
    await stepUp(other);
    const otherKey = new SoftAuthenticator(origin);
    answerValue(
      await other.call('passkeys', 'registerVerify', {
        response: otherKey.register(await registrationOptions(other)),
        name: 'Other',
      }),
    );
    expect(await stepUpWith(otherKey.assert(await options()))).toMatchObject({
      ok: false,
      code: 'PASSKEY_REJECTED',
    });
    // A key no account holds.
    expect(await stepUpWith(new SoftAuthenticator(origin).assert(await options()))).toMatchObject({
      ok: false,
      code: 'PASSKEY_REJECTED',
    });
    // The right key with a wrong password.
    expect(await stepUpWith(key.assert(await options()), `not-${PASSWORD}`)).toMatchObject({
      ok: false,
      code: 'AUTH_FAILED',
    });
    // Malformed input never reaches the server.
    expect(await stepUpWith({ id: 'x', response: {} })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await elevated()).toBe(false);
    // The session is still this device's after every refusal.
    expect(await app.call('sync', 'status')).toMatchObject({ ok: true, value: { signedIn: true } });

    const right = key.assert(await options());
    expect(await stepUpWith(right)).toEqual({ ok: true, value: { elevated: true } });
    expect(await elevated()).toBe(true);
    // The same assertion again: its challenge was used up.
    expect(await stepUpWith(right)).toMatchObject({ ok: false, code: 'PASSKEY_REJECTED' });

    const seen = JSON.stringify([answers, app.events]);
    expect(seen).not.toContain(sessionToken(app));
    expect(seen).not.toContain(PASSWORD);
  });
});
