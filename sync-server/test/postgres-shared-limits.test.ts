import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_RATE_LIMITS, rateLimiterFor } from '../audit/rate-limit.js';
import { ManualClock } from '../clock.js';
import { totpCodeAt } from '../mfa/totp.js';
import type { AccountsTestServer } from './accounts-support.js';
import { PASSWORD, registerUser } from './support/mfa-fixtures.js';
import { startTwoPostgresInstances, type TwoInstances } from './support/postgres-instances.js';
import {
  STEP_MS,
  answer,
  challenge,
  enrolTotp,
  expectCapped,
  expectWrong,
  wrongTotpCode,
} from './support/second-factor-steps.js';

/*
 * Two instances behind one proxy count as one server: what a client spreads over them adds
 * up in the shared database — wrong second-factor answers, the password backoff, the
 * per-account request limit. (The per-IP limit stays in each process on purpose; see
 * rate-limit.ts.) One clock for both, as one deployment's machines keep.
 */

const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
let instances: TwoInstances;
let first: AccountsTestServer;
let second: AccountsTestServer;

beforeAll(async () => {
  instances = await startTwoPostgresInstances({ clock });
  ({ first, second } = instances);
});
afterAll(() => instances?.close());

/** The other instance than `server`: the proxy's next pick. */
const other = (server: AccountsTestServer): AccountsTestServer =>
  server === first ? second : first;

describe('limits shared by two instances on one PostgreSQL database', () => {
  it('wrong second-factor answers through both instances reach the cap together', async () => {
    const user = await enrolTotp(first, clock, await registerUser(first));
    const wrong = (): string => wrongTotpCode(user.secret, clock.now());
    // Ten wrong answers, five through each; every challenge answered on the other instance.
    for (let i = 0; i < 10; i += 1) {
      const asked = i % 2 === 0 ? first : second;
      expectWrong(await answer(other(asked), await challenge(asked, user.email), 'totp', wrong()));
    }
    clock.advance(STEP_MS);
    const right = totpCodeAt(user, clock.now());
    expectCapped(await answer(second, await challenge(first, user.email), 'totp', right));
    expectCapped(await answer(first, await challenge(second, user.email), 'totp', right));
  });

  it('the password backoff counts failures through either instance', async () => {
    const user = await registerUser(first);
    const attempt = (server: AccountsTestServer, password: string) =>
      server.request<{ token?: string; error?: { code: string } }>('POST', '/v1/auth/login', {
        body: { email: user.email, password, deviceName: 'Laptop' },
      });
    const wrongPassword = `${PASSWORD} but not`;
    for (let i = 0; i < 10; i += 1) {
      expect((await attempt(i % 2 === 0 ? first : second, wrongPassword)).status).toBe(401);
    }
    // Even the right password waits, on the instance that saw the fewer failures too.
    const refused = await attempt(first, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe('RATE_LIMITED');
    clock.advance(1_000);
    expect((await attempt(second, PASSWORD)).status).toBe(200);
  });

  it('the per-account request limit is one allowance across the instances', async () => {
    const user = await registerUser(first);
    const perAccount = { limit: 3, windowMs: 60_000 };
    for (const server of [first, second]) rateLimiterFor(server.deps).configure({ perAccount });
    try {
      for (const server of [first, second, first]) {
        expect((await server.request('GET', '/v1/me', { token: user.token })).status).toBe(200);
      }
      const limited = await second.request<{ error?: { code: string } }>('GET', '/v1/me', {
        token: user.token,
      });
      expect(limited.status).toBe(429);
      expect(limited.json.error?.code).toBe('RATE_LIMITED');
    } finally {
      for (const server of [first, second]) {
        rateLimiterFor(server.deps).configure({ perAccount: DEFAULT_RATE_LIMITS.perAccount });
      }
    }
  });
});
