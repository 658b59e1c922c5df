import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsFor } from '../accounts/accounts.js';
import { GOOD_PASSWORD, startAccountsServer, uniqueEmail } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

// Registration tells whether an address has an account (409 EMAIL_TAKEN). It must not
// tell it faster or more often than a login would: the same backoff counters, the same
// Argon2 cost. Each series comes from its own client address (X-Forwarded-For from a
// trusted local proxy), so the per-IP counters of one series do not leak into another.

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer({ config: { trustProxy: ['127.0.0.1'] } });
});
afterAll(async () => server.close());

let nextClient = 0;
/** A documentation address (RFC 5737) no other series uses. */
function newClientIp(): string {
  nextClient += 1;
  return `198.51.100.${nextClient}`;
}

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: string | undefined;
}

async function attempt(
  path: '/v1/auth/register' | '/v1/auth/login',
  email: string,
  password: string,
  ip: string,
): Promise<Answer> {
  const response = await server.request<{ error?: { code: string } }>('POST', path, {
    body: { email, password, deviceName: 'Probe' },
    headers: { 'x-forwarded-for': ip },
  });
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.status,
    code: response.json.error?.code,
    retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
  };
}

async function createAccount(): Promise<string> {
  const email = uniqueEmail('taken');
  const created = await attempt('/v1/auth/register', email, GOOD_PASSWORD, newClientIp());
  expect(created.status).toBe(201);
  return email;
}

/** Repeats `call` until it answers something other than `usual`, at most `max` times. */
async function until(usual: number, max: number, call: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < max; i += 1) {
    const answer = await call();
    answers.push(answer);
    if (answer.status !== usual) break;
  }
  return answers;
}

const statuses = (answers: Answer[]): number[] => answers.map((a) => a.status);

describe('registration of a taken email', () => {
  it('meets the same 429 and Retry-After as wrong passwords, at the same count', async () => {
    const loginTarget = await createAccount();
    const registerTarget = await createAccount();

    const logins = await until(401, 30, () =>
      attempt('/v1/auth/login', loginTarget, 'not the password at all', newClientIp()),
    );
    const registrations = await until(409, 30, () =>
      attempt('/v1/auth/register', registerTarget, GOOD_PASSWORD, newClientIp()),
    );

    // Ten free failures per address, then one second of backoff: for both.
    expect(statuses(logins)).toEqual([...Array<number>(10).fill(401), 429]);
    expect(statuses(registrations)).toEqual([...Array<number>(10).fill(409), 429]);
    expect(registrations.slice(0, 10).every((a) => a.code === 'EMAIL_TAKEN')).toBe(true);
    expect(logins.at(-1)).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: '1' });
    expect(registrations.at(-1)).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: '1' });

    // One budget per address: the registrations also hold back its owner's login.
    const ownerLogin = await attempt('/v1/auth/login', registerTarget, GOOD_PASSWORD, '::1');
    expect(ownerLogin.status).toBe(429);
    server.clock.advance(1_000);
    expect((await attempt('/v1/auth/login', registerTarget, GOOD_PASSWORD, '::1')).status).toBe(
      200,
    );
  });

  it('spends the per-IP budget like wrong logins: a 429 after 50, whichever addresses', async () => {
    server.clock.advance(60 * 60_000);
    const taken: string[] = [];
    for (let i = 0; i < 51; i += 1) taken.push(await createAccount());

    const loginIp = newClientIp();
    const loginAnswers: Answer[] = [];
    for (const email of taken) {
      loginAnswers.push(await attempt('/v1/auth/login', email, 'not the password at all', loginIp));
    }
    const registerIp = newClientIp();
    const registerAnswers: Answer[] = [];
    for (const email of taken) {
      registerAnswers.push(await attempt('/v1/auth/register', email, GOOD_PASSWORD, registerIp));
    }

    expect(statuses(loginAnswers)).toEqual([...Array<number>(50).fill(401), 429]);
    expect(statuses(registerAnswers)).toEqual([...Array<number>(50).fill(409), 429]);
    expect(registerAnswers.at(-1)?.retryAfter).toBe('1');
    // A new address from that client is held back too: the wait is per client.
    const fresh = await attempt('/v1/auth/register', uniqueEmail('new'), GOOD_PASSWORD, registerIp);
    expect(fresh).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: '1' });
  });

  it('hashes the password with Argon2 whether or not the address is taken', async () => {
    const hasher = accountsFor(server.deps).hasher;
    const original = hasher.hash.bind(hasher);
    let hashes = 0;
    hasher.hash = async (password: string): Promise<string> => {
      hashes += 1;
      return original(password);
    };
    try {
      const email = uniqueEmail('cost');
      const created = await attempt('/v1/auth/register', email, GOOD_PASSWORD, newClientIp());
      expect(created.status).toBe(201);
      expect(hashes).toBe(1);
      const again = await attempt('/v1/auth/register', email, GOOD_PASSWORD, newClientIp());
      expect(again.status).toBe(409);
      expect(hashes).toBe(2);
    } finally {
      hasher.hash = original;
    }
  });

  it('a weak password is refused before the address is looked at, and costs no attempt', async () => {
    const email = await createAccount();
    const ip = newClientIp();
    for (let i = 0; i < 15; i += 1) {
      const weak = await attempt('/v1/auth/register', email, 'short', ip);
      expect(weak).toMatchObject({ status: 400, code: 'PASSWORD_TOO_SHORT' });
    }
    expect((await attempt('/v1/auth/register', email, GOOD_PASSWORD, ip)).status).toBe(409);
  });
});
