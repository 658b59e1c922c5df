import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsFor } from '../accounts/accounts.js';
import { DEFAULT_ARGON2_PARAMS, parsePhc } from '../accounts/password-hasher.js';
import {
  FAST_ARGON2,
  login,
  register,
  startAccountsServer,
  uniqueEmail,
} from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

async function storedParams(userId: string) {
  const user = await server.deps.storage.users.findById(userId);
  return parsePhc(user?.passwordHash ?? '');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
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

  it('an unknown email takes about as long as a wrong password (dummy hash)', async () => {
    accountsFor(server.deps).hasher.setParams(DEFAULT_ARGON2_PARAMS);
    const account = await register(server);
    const timeLogin = async (email: string): Promise<number> => {
      const started = process.hrtime.bigint();
      const response = await server.request('POST', '/v1/auth/login', {
        body: { email, password: 'definitely the wrong password', deviceName: 'x' },
      });
      expect(response.status).toBe(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Warm-up: the dummy hash is made on first use.
    await timeLogin(uniqueEmail('nobody'));
    const unknown: number[] = [];
    const wrongPassword: number[] = [];
    // Interleaved, so load from other test files hits both series alike.
    for (let i = 0; i < 7; i += 1) {
      unknown.push(await timeLogin(uniqueEmail('nobody')));
      wrongPassword.push(await timeLogin(account.email));
    }
    const ratio = median(unknown) / median(wrongPassword);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    // And both really ran Argon2 at 64 MiB (not a shortcut for unknown emails).
    expect(median(unknown)).toBeGreaterThan(20);
  });
});
