import { afterEach, beforeEach, expect, it } from 'vitest';

import { manualTimers } from '../test/support/manual-timers.js';
import { ManualClock } from '../clock.js';
import { createLogger } from '../logger.js';
import type { Storage } from '../storage/storage.js';
import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import { EXPIRY_PRUNE_INTERVAL_MS, createExpiryPruneJob } from './expiry.prune.js';
import { CHALLENGE_TTL_MS } from './mfa-gate.js';

const logger = createLogger('silent');
let db: StorageUnderTest;
let storage: Storage;
let clock: ManualClock;

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

const challengeIds = (): Promise<string[]> =>
  db.column<string>('SELECT id FROM mfa_login_challenges ORDER BY id');
const counterKeys = (): Promise<string[]> =>
  db.column<string>('SELECT key FROM counters ORDER BY key');

describeStorage('the expired-row prune job', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    storage = db.storage;
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

  it('drops expired challenges and counters at start and on every tick, until stopped', async () => {
    await challengeStartedNow();
    await counterUntil('second_factor', 'stale', clock.now() + 1);
    clock.advance(CHALLENGE_TTL_MS);
    const live = await challengeStartedNow();
    await counterUntil('second_factor', 'live', clock.now() + 60_000);

    const timers = manualTimers();
    const job = createExpiryPruneJob({ storage, clock, logger }, { timers });
    await job.start();
    expect(await challengeIds()).toEqual([live]);
    expect(await counterKeys()).toEqual(['live']);
    expect(timers.ms).toBe(EXPIRY_PRUNE_INTERVAL_MS);
    expect(timers.unref).toHaveBeenCalled();

    // No login needs to start for the next generation to go: the timer does it.
    clock.advance(CHALLENGE_TTL_MS);
    timers.fire();
    // runOnce joins the run the tick started.
    expect(await job.runOnce()).toEqual({ challenges: 1, counters: 1 });
    expect(await challengeIds()).toEqual([]);
    expect(await counterKeys()).toEqual([]);

    await job.stop();
    await challengeStartedNow();
    clock.advance(CHALLENGE_TTL_MS);
    timers.fire();
    expect(await challengeIds()).toHaveLength(1);
  });

  it('works through more counter rows than one batch', async () => {
    // One statement for the rows (5,003 updates one by one would only test the network).
    await db.rows(
      `WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 5002)
       INSERT INTO counters (scope, key, state, version, expires_at)
       SELECT 'login_ip', 'key-' || i, '{}', 1, 1 FROM n`,
    );
    const result = await createExpiryPruneJob({ storage, clock, logger }).runOnce();
    expect(result).toEqual({ challenges: 0, counters: 5_003 });
    expect(await counterKeys()).toEqual([]);
  });
});
