import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { manualTimers } from '../test/support/manual-timers.js';
import { ManualClock } from '../clock.js';
import { createLogger } from '../logger.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { EXPIRY_PRUNE_INTERVAL_MS, createExpiryPruneJob } from './expiry.prune.js';
import { CHALLENGE_TTL_MS } from './mfa-gate.js';

const logger = createLogger('silent');
let storage: SqliteStorage;
let clock: ManualClock;

beforeEach(async () => {
  storage = openSqliteStorage(':memory:');
  clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  await storage.users.create({
    id: 'u1',
    emailLookup: 'lookup-u1',
    emailSealed: 'sealed',
    passwordHash: 'h',
    createdAt: 0,
    updatedAt: 0,
    passwordChangedAt: 0,
  });
});
afterEach(async () => storage.close());

let challenges = 0;
async function challengeStartedNow(): Promise<string> {
  challenges += 1;
  const id = `challenge-${challenges}`;
  await storage.mfa.createLoginChallenge({
    id,
    tokenHash: `token-hash-${challenges}`,
    userId: 'u1',
    context: { deviceName: 'Laptop', platform: 'linux', ip: '127.0.0.1', userAgent: 'test' },
    createdAt: clock.now(),
    expiresAt: clock.now() + CHALLENGE_TTL_MS,
    attempts: 0,
    endedAt: null,
  });
  return id;
}

/** Stores an (empty) counter row that stops limiting anything at `expiresAt`. */
async function counterUntil(scope: 'second_factor' | 'login_ip', key: string, expiresAt: number) {
  await storage.counters.updateCounter(scope, key, clock.now(), () => ({
    next: { state: '{}', expiresAt },
    result: null,
  }));
}

const challengeIds = (): string[] =>
  storage.db.prepare('SELECT id FROM mfa_login_challenges ORDER BY id').pluck().all() as string[];
const counterKeys = (): string[] =>
  storage.db.prepare('SELECT key FROM counters ORDER BY key').pluck().all() as string[];

describe('the expired-row prune job', () => {
  it('drops expired challenges and counters at start and on every tick, until stopped', async () => {
    await challengeStartedNow();
    await counterUntil('second_factor', 'stale', clock.now() + 1);
    clock.advance(CHALLENGE_TTL_MS);
    const live = await challengeStartedNow();
    await counterUntil('second_factor', 'live', clock.now() + 60_000);

    const timers = manualTimers();
    const job = createExpiryPruneJob({ storage, clock, logger }, { timers });
    await job.start();
    expect(challengeIds()).toEqual([live]);
    expect(counterKeys()).toEqual(['live']);
    expect(timers.ms).toBe(EXPIRY_PRUNE_INTERVAL_MS);
    expect(timers.unref).toHaveBeenCalled();

    // No login needs to start for the next generation to go: the timer does it.
    clock.advance(CHALLENGE_TTL_MS);
    timers.fire();
    // runOnce joins the run the tick started.
    expect(await job.runOnce()).toEqual({ challenges: 1, counters: 1 });
    expect(challengeIds()).toEqual([]);
    expect(counterKeys()).toEqual([]);

    await job.stop();
    await challengeStartedNow();
    clock.advance(CHALLENGE_TTL_MS);
    timers.fire();
    expect(challengeIds()).toHaveLength(1);
  });

  it('works through more counter rows than one batch', async () => {
    for (let i = 0; i < 5_003; i += 1) {
      await counterUntil('login_ip', `198.51.${i >> 8}.${i & 255}`, 1);
    }
    const result = await createExpiryPruneJob({ storage, clock, logger }).runOnce();
    expect(result).toEqual({ challenges: 0, counters: 5_003 });
    expect(counterKeys()).toEqual([]);
  });
});
