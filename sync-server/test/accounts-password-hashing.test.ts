import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsFor } from '../accounts/accounts.js';
import { DEFAULT_ARGON2_PARAMS, parsePhc } from '../accounts/password-hasher.js';
import { login, register, startAccountsServer, uniqueEmail } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { FAST_ARGON2 } from './support/fast-argon2.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

async function storedParams(userId: string) {
  const user = await server.deps.storage.users.findById(userId);
  return parsePhc(user?.passwordHash ?? '');
}

describe('Argon2id password hashes', () => {
  it('upgrades a hash made with weaker parameters at the next successful login', async () => {
    const hasher = accountsFor(server.deps).hasher;
    hasher.setParams(FAST_ARGON2);
    const account = await register(server);
    expect(await storedParams(account.user.id)).toMatchObject({
      algorithm: 'argon2id',
      memoryCost: FAST_ARGON2.memoryCost,
      timeCost: FAST_ARGON2.timeCost,
    });

    hasher.setParams(DEFAULT_ARGON2_PARAMS);
    // A failed login leaves the hash alone.
    const wrong = await server.request('POST', '/v1/auth/login', {
      body: { email: account.email, password: 'wrong password here', deviceName: 'x' },
    });
    expect(wrong.status).toBe(401);
    expect((await storedParams(account.user.id))?.memoryCost).toBe(FAST_ARGON2.memoryCost);

    await login(server, account.email, account.password);
    expect(await storedParams(account.user.id)).toEqual({
      algorithm: 'argon2id',
      version: 19,
      memoryCost: 65536,
      timeCost: 3,
      parallelism: 1,
    });
    // Still the same password, now under the new parameters.
    await login(server, account.email, account.password);
  });

  it('an unknown email costs the same Argon2 work as a wrong password (dummy hash)', async () => {
    // Equal work is what keeps the answer time from telling registered emails apart; it is
    // asserted as work done, not as time, which other test files' load would blur.
    const hasher = accountsFor(server.deps).hasher;
    hasher.setParams(DEFAULT_ARGON2_PARAMS);
    const account = await register(server);
    const verified: (ReturnType<typeof parsePhc> | null)[] = [];
    const verify = hasher.verify.bind(hasher);
    hasher.verify = async (hash, password) => {
      verified.push(parsePhc(hash));
      return verify(hash, password);
    };
    try {
      const failedLogin = async (email: string): Promise<(typeof verified)[number][]> => {
        verified.length = 0;
        const response = await server.request('POST', '/v1/auth/login', {
          body: { email, password: 'definitely the wrong password', deviceName: 'x' },
        });
        expect(response.status).toBe(401);
        return [...verified];
      };
      const stored = await storedParams(account.user.id);
      const atFullCost: unknown = expect.objectContaining({
        algorithm: 'argon2id',
        memoryCost: DEFAULT_ARGON2_PARAMS.memoryCost,
        timeCost: DEFAULT_ARGON2_PARAMS.timeCost,
        parallelism: DEFAULT_ARGON2_PARAMS.parallelism,
      });
      expect(stored).toEqual(atFullCost);
      // One verification each, at the same parameters: the first unknown email too (the
      // dummy hash is made beforehand, or at worst once).
      expect(await failedLogin(account.email)).toEqual([atFullCost]);
      expect(await failedLogin(uniqueEmail('nobody'))).toEqual([atFullCost]);
      expect(await failedLogin(uniqueEmail('nobody'))).toEqual([atFullCost]);
    } finally {
      hasher.verify = verify;
    }
  });

  it('hashes at the cost the server was started with from the first password, the dummy too', async () => {
    // The cost is a start-up option, not a later setParams: the dummy hash for unknown
    // emails is made as the server starts, and must be made at that cost.
    const own = await startAccountsServer();
    try {
      const hasher = accountsFor(own.deps).hasher;
      const verified: (ReturnType<typeof parsePhc> | null)[] = [];
      const verify = hasher.verify.bind(hasher);
      hasher.verify = async (hash, password) => {
        verified.push(parsePhc(hash));
        return verify(hash, password);
      };
      const account = await register(own);
      const user = await own.deps.storage.users.findById(account.user.id);
      const atStartCost: unknown = expect.objectContaining({
        memoryCost: FAST_ARGON2.memoryCost,
        timeCost: FAST_ARGON2.timeCost,
      });
      expect(parsePhc(user?.passwordHash ?? '')).toEqual(atStartCost);
      const unknown = await own.request('POST', '/v1/auth/login', {
        body: {
          email: uniqueEmail('nobody'),
          password: 'definitely the wrong password',
          deviceName: 'x',
        },
      });
      expect(unknown.status).toBe(401);
      expect(verified).toEqual([atStartCost]);
    } finally {
      await own.close();
    }
  });
});
