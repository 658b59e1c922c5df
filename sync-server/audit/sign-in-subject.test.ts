import { createHash, randomBytes } from 'node:crypto';

import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';

import { createSecretBox, normaliseEmail } from '../secrets/secret-box.js';
import type { Storage } from '../storage/storage.js';
import { signInFactsOf } from './sign-in-subject.js';
import type { SignInSubjectDeps } from './sign-in-subject.js';

const secrets = createSecretBox(randomBytes(32));
const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const ANN_LOOKUP = secrets.lookupHash('email', normaliseEmail('ann@example.test'));
const CHALLENGE_TOKEN = 'c'.repeat(43);

/** Just the lookups signInFactsOf makes. */
const storage = {
  users: {
    findByEmailLookup: async (lookup: string) => (lookup === ANN_LOOKUP ? { id: 'ann' } : null),
  },
  mfa: {
    getLoginChallengeByTokenHash: async (hash: string) =>
      hash === sha256(CHALLENGE_TOKEN)
        ? { userId: 'ann', context: { deviceName: 'Phone\nX' } }
        : null,
    getCredential: async (id: string) => (id === 'cred-1' ? { userId: 'bob' } : null),
  },
} as unknown as Storage;
const deps: SignInSubjectDeps = { storage, secrets };

const request = (body: unknown, auth?: { userId: string }): FastifyRequest =>
  ({ body, auth }) as unknown as FastifyRequest;

describe('signInFactsOf', () => {
  it('finds the account of a password login by the email, however it is spelled', async () => {
    const facts = await signInFactsOf(
      'password',
      request({ email: ' ANN@example.test', password: 'pw', deviceName: 'Laptop\u001b[2J' }),
      401,
      deps,
    );
    expect(facts).toEqual({
      subjectUserId: 'ann',
      factor: 'password',
      deviceName: 'Laptop\\u001b[2J',
    });
    const unknown = await signInFactsOf('password', request({ email: 'x@y.test' }), 401, deps);
    expect(unknown.subjectUserId).toBeNull();
  });

  it('names the new account only for a registration that succeeded', async () => {
    const body = { email: 'ann@example.test', deviceName: 'd' };
    expect((await signInFactsOf('register', request(body), 201, deps)).subjectUserId).toBe('ann');
    expect((await signInFactsOf('register', request(body), 409, deps)).subjectUserId).toBeNull();
  });

  it('finds the account of a second factor through its challenge token', async () => {
    const facts = await signInFactsOf(
      'second_factor',
      request({ challengeToken: CHALLENGE_TOKEN, method: 'totp', code: '123456' }),
      401,
      deps,
    );
    expect(facts).toEqual({ subjectUserId: 'ann', factor: 'totp', deviceName: 'Phone\\nX' });
    const expired = await signInFactsOf(
      'second_factor',
      request({ challengeToken: 'other', method: 'totp' }),
      401,
      deps,
    );
    expect(expired.subjectUserId).toBeNull();
  });

  it('tells a passkey second factor from a passwordless passkey sign-in', async () => {
    expect(
      await signInFactsOf(
        'passkey',
        request({ challengeToken: CHALLENGE_TOKEN, response: { id: 'cred-1' } }),
        200,
        deps,
      ),
    ).toMatchObject({ subjectUserId: 'ann', factor: 'webauthn' });
    expect(
      await signInFactsOf(
        'passkey',
        request({ response: { id: 'cred-1' }, deviceName: 'Key' }),
        200,
        deps,
      ),
    ).toEqual({ subjectUserId: 'bob', factor: 'passkey', deviceName: 'Key' });
  });

  it('uses the session for a step-up', async () => {
    expect(
      await signInFactsOf('step_up', request({ password: 'pw' }, { userId: 'ann' }), 200, deps),
    ).toEqual({ subjectUserId: 'ann', factor: 'password', deviceName: null });
    expect(
      await signInFactsOf(
        'step_up',
        request({ password: 'pw', method: 'backup_code', code: 'x' }, { userId: 'ann' }),
        403,
        deps,
      ),
    ).toMatchObject({ factor: 'backup_code' });
  });

  it('copes with bodies of any shape', async () => {
    for (const body of [undefined, null, 'text', 42, [], { email: 42 }, { challengeToken: {} }]) {
      for (const kind of ['register', 'password', 'second_factor', 'passkey', 'step_up'] as const) {
        const facts = await signInFactsOf(kind, request(body), 400, deps);
        expect(facts.subjectUserId).toBeNull();
      }
    }
  });
});
