import { randomBytes } from 'node:crypto';

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { HttpError, unauthorized } from '../http/errors.js';
import { createSecretBox } from '../secrets/secret-box.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import {
  DEFAULT_LOGIN_THROTTLE,
  HOUR_MS,
  backoffDelay,
  loginThrottleKey,
  throttledLogin,
} from './login-throttle.js';
import type { LoginThrottle } from './login-throttle.js';
import { PENDING_TTL_MS, StoredLoginThrottle } from './stored-login-throttle.js';

const IP = '198.51.100.7';

let storage: SqliteStorage;
beforeEach(() => {
  storage = openSqliteStorage(':memory:');
});
afterEach(async () => storage.close());

const throttleAt = (clock: ManualClock): StoredLoginThrottle =>
  new StoredLoginThrottle(storage, clock);

/** The Retry-After seconds of a refused check, or 0 when it was allowed. */
async function retryAfter(throttle: LoginThrottle, key: string | null, ip = IP): Promise<number> {
  try {
    await throttle.check(key, ip);
    return 0;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    return Number(error.headers['retry-after']);
  }
}

async function fail(throttle: LoginThrottle, key: string | null, ip = IP): Promise<void> {
  expect(await retryAfter(throttle, key, ip)).toBe(0);
  await throttle.failure(key, ip);
}

describe('backoffDelay', () => {
  it('is free for the first failures, then doubles up to the cap', () => {
    const policy = DEFAULT_LOGIN_THROTTLE.account;
    const delays = Array.from({ length: 18 }, (_, n) => backoffDelay(policy, n));
    expect(delays).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(policy, 10_000)).toBe(30_000);
  });
});

describe('StoredLoginThrottle, per account', () => {
  it('delays consecutive failures more and more, answering 429 instead of waiting', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'alice', `198.51.100.${i}`);
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const wait = await retryAfter(throttle, 'alice', '203.0.113.1');
      waits.push(wait);
      clock.advance(wait * 1000 - 1);
      expect(await retryAfter(throttle, 'alice', '203.0.113.1')).toBe(1);
      clock.advance(1);
      await fail(throttle, 'alice', '203.0.113.1');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
    // Another account is not affected.
    expect(await retryAfter(throttle, 'bob', '203.0.113.2')).toBe(0);
  });

  it('a success resets the backoff', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    for (let i = 0; i < 12; i += 1) {
      clock.advance(60_000);
      await fail(throttle, 'alice');
    }
    expect(await retryAfter(throttle, 'alice')).toBe(4);
    clock.advance(4_000);
    await throttle.check('alice', IP);
    await throttle.success('alice', IP);
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'alice');
    expect(await retryAfter(throttle, 'alice')).toBe(1);
  });

  it('allows at most 100 failures an hour; the 101st attempt waits for the window', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    const start = clock.now();
    for (let i = 0; i < 100; i += 1) {
      // The longest backoff is 30 s, so 100 failures fit well inside one hour.
      clock.advance(30_000);
      await fail(throttle, 'alice', `198.51.100.${i}`);
    }
    expect(clock.now() - start).toBeLessThan(HOUR_MS);
    clock.advance(30_000);
    // Refused even if this attempt would have had the right password.
    const wait = await retryAfter(throttle, 'alice', '203.0.113.9');
    expect(wait).toBe((start + 30_000 + HOUR_MS - clock.now()) / 1000);
    clock.advance(wait * 1000 - 1_000);
    expect(await retryAfter(throttle, 'alice', '203.0.113.9')).toBe(1);
    clock.advance(1_000);
    expect(await retryAfter(throttle, 'alice', '203.0.113.9')).toBe(0);
  });

  it('counts attempts in flight, so parallel guesses cannot slip past the limits', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => retryAfter(throttle, 'alice', `198.51.100.${i}`)),
    );
    expect(results.filter((r) => r === 0)).toHaveLength(10);
    expect(results.filter((r) => r > 0)).toHaveLength(5);
  });

  it('forgets an attempt that never reported back after a minute', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    for (let i = 0; i < 10; i += 1) await throttle.check('alice', `198.51.100.${i}`);
    expect(await retryAfter(throttle, 'alice', '203.0.113.1')).toBeGreaterThan(0);
    clock.advance(60_000);
    expect(await retryAfter(throttle, 'alice', '203.0.113.1')).toBe(0);
  });

  it('an hour without failures ends a run of them', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'alice', `198.51.100.${i}`);
    clock.advance(HOUR_MS);
    await fail(throttle, 'alice');
    expect(await retryAfter(throttle, 'alice')).toBe(0);
  });
});

describe('StoredLoginThrottle, per IP', () => {
  it('backs off an address after 50 failures in an hour, whatever accounts it tries', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    for (let i = 0; i < 50; i += 1) await fail(throttle, `user-${i}`);
    expect(await retryAfter(throttle, 'someone-else')).toBe(1);
    expect(await retryAfter(throttle, null)).toBe(1);
    // Another address is not affected.
    expect(await retryAfter(throttle, 'someone-else', '203.0.113.5')).toBe(0);
    // A success from the address does not clear its failures.
    await throttle.success('someone-else', '203.0.113.5');
    clock.advance(1_000);
    await throttle.check('own-account', IP);
    await throttle.success('own-account', IP);
    await fail(throttle, 'user-x');
    expect(await retryAfter(throttle, 'user-y')).toBe(2);
    // Once the failures are an hour old the address starts afresh.
    clock.advance(HOUR_MS);
    expect(await retryAfter(throttle, 'user-y')).toBe(0);
  });
});

describe('StoredLoginThrottle, in storage', () => {
  it('keeps failures across a restart on the same database file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'coffer-throttle-'));
    const file = path.join(dir, 'server.db');
    try {
      const clock = new ManualClock();
      let first: SqliteStorage | undefined = openSqliteStorage(file);
      const before = new StoredLoginThrottle(first, clock);
      for (let i = 0; i < 10; i += 1) await fail(before, 'alice', `198.51.100.${i}`);
      await first.close();
      first = undefined;

      const reopened = openSqliteStorage(file);
      try {
        const after = new StoredLoginThrottle(reopened, clock);
        // Ten failures were kept: the eleventh attempt waits, as it would have before.
        expect(await retryAfter(after, 'alice', '203.0.113.9')).toBe(1);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores only keyed hashes and addresses, and its rows expire and are pruned', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    const secrets = createSecretBox(randomBytes(32));
    const key = loginThrottleKey(secrets, 'ann@example.test');
    await fail(throttle, key, '2001:db8:1:2:3:4:5:6');
    const rows = storage.db.prepare('SELECT scope, key, expires_at FROM counters').all();
    expect(rows).toEqual([
      { scope: 'login_account', key, expires_at: clock.now() + HOUR_MS },
      { scope: 'login_ip', key: '2001:db8:1:2::/64', expires_at: clock.now() + HOUR_MS },
    ]);
    expect(JSON.stringify(storage.db.prepare('SELECT * FROM counters').all())).not.toContain(
      'ann@',
    );
    clock.advance(HOUR_MS - 1);
    expect(await storage.counters.pruneExpired(clock.now())).toBe(0);
    clock.advance(1);
    expect(await storage.counters.pruneExpired(clock.now())).toBe(2);
    // An attempt that never reported keeps its rows a minute past it, then they go too.
    await throttle.check('carol', IP);
    clock.advance(PENDING_TTL_MS);
    expect(await storage.counters.pruneExpired(clock.now())).toBe(2);
  });
});

describe('throttledLogin', () => {
  it('reports INVALID_CREDENTIALS as a failure, a result as a success, other errors as neither', async () => {
    const clock = new ManualClock();
    const throttle = throttleAt(clock);
    const wrong = (): Promise<never> =>
      Promise.reject(unauthorized('INVALID_CREDENTIALS', 'The email or password is not correct.'));
    for (let i = 0; i < 10; i += 1) {
      await expect(throttledLogin(throttle, 'alice', IP, wrong)).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
    }
    await expect(throttledLogin(throttle, 'alice', IP, wrong)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    clock.advance(1_000);
    await expect(throttledLogin(throttle, 'alice', IP, async () => 'ok')).resolves.toBe('ok');
    await expect(
      throttledLogin(throttle, 'alice', IP, () => Promise.reject(new Error('database down'))),
    ).rejects.toThrow('database down');
    clock.advance(60_000);
    // Reset by the success; the crashed attempt did not count as a failure.
    for (let i = 0; i < 10; i += 1) {
      await expect(throttledLogin(throttle, 'alice', IP, wrong)).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
    }
  });

  it('keys accounts by the email lookup HMAC, the same for any spelling of the address', () => {
    const secrets = createSecretBox(randomBytes(32));
    const key = loginThrottleKey(secrets, 'Ann@Example.TEST');
    expect(loginThrottleKey(secrets, ' ann@example.test ')).toBe(key);
    expect(key).not.toContain('ann');
    expect(loginThrottleKey(secrets, 'bob@example.test')).not.toBe(key);
  });
});
