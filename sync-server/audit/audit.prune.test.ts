import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { createLogger } from '../logger.js';
import type { AuditRecord } from '../storage/audit.repository.js';
import type { Storage } from '../storage/storage.js';
import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import {
  AUDIT_RETENTION_MS,
  PRUNE_INTERVAL_MS,
  PruneJob,
  createPruneJob,
  pruneAuditLog,
} from './audit.prune.js';
import { manualTimers } from '../test/support/manual-timers.js';

const DAY = 24 * 60 * 60_000;
const logger = createLogger('silent');
let db: StorageUnderTest;
let storage: Storage;
let clock: ManualClock;

let counter = 0;
async function entryAt(at: number): Promise<void> {
  counter += 1;
  const record: AuditRecord = {
    id: `id-${counter}`,
    at: Math.round(at),
    requestId: `r-${counter}`,
    action: 'GET /v1/health',
    statusCode: 200,
    errorCode: null,
    outcome: 'success',
    ip: '127.0.0.1',
    userId: null,
    sessionId: null,
    workspaceId: null,
    subjectUserId: null,
    factor: null,
    deviceName: null,
    userAgent: null,
  };
  await storage.audit.append(record);
}

/** Age in days of every entry, oldest first (to 3 decimals). */
const ages = async (): Promise<number[]> =>
  (await db.column<number>('SELECT at FROM audit_log ORDER BY at')).map(
    (at) => Math.round(((clock.now() - at) / DAY) * 1000) / 1000,
  );

describeStorage('audit pruning', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    storage = db.storage;
    clock = new ManualClock(Date.UTC(2030, 5, 1));
  });
  afterEach(async () => storage.close());

  describe('pruneAuditLog', () => {
    it('removes entries older than 90 days and keeps newer ones', async () => {
      for (const days of [200, 91, 90.001, 89.999, 30, 0]) await entryAt(clock.now() - days * DAY);
      await entryAt(clock.now() - AUDIT_RETENTION_MS);
      expect(await pruneAuditLog(storage.audit, clock)).toBe(3);
      expect(await ages()).toEqual([90, 89.999, 30, 0]);
    });

    it('follows the injected clock', async () => {
      await entryAt(clock.now());
      clock.advance(89 * DAY);
      expect(await pruneAuditLog(storage.audit, clock)).toBe(0);
      clock.advance(DAY + 1);
      expect(await pruneAuditLog(storage.audit, clock)).toBe(1);
    });

    it('works through more rows than one batch', async () => {
      for (let i = 0; i < 12; i += 1) await entryAt(clock.now() - 100 * DAY - i);
      await entryAt(clock.now());
      expect(await pruneAuditLog(storage.audit, clock, 5)).toBe(12);
      expect(await ages()).toEqual([0]);
    });
  });

  describe('PruneJob', () => {
    it('runs at start, then daily on an unref’d timer, until stopped', async () => {
      const timers = manualTimers();
      const job = createPruneJob({ storage, clock, logger }, { timers });
      await entryAt(clock.now() - 100 * DAY);
      await job.start();
      expect(await ages()).toEqual([]);
      expect(timers.ms).toBe(PRUNE_INTERVAL_MS);
      expect(timers.unref).toHaveBeenCalled();

      await entryAt(clock.now() - 89 * DAY);
      clock.advance(2 * DAY);
      timers.fire();
      await job.runOnce();
      expect(await ages()).toEqual([]);

      await job.stop();
      await entryAt(clock.now() - 100 * DAY);
      timers.fire();
      expect(await ages()).toHaveLength(1);
    });

    it('also drops sessions that ended more than 90 days ago', async () => {
      await db.rows(
        `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
       VALUES ('u1', 'l1', 's', 'h', 1, 1, 1)`,
      );
      const insert = (...values: unknown[]) =>
        db.rows(
          `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent, created_at, last_seen_at, revoked_at)
         VALUES (?, 'u1', ?, 'd', 'linux', '127.0.0.1', '', ?, ?, ?)`,
          ...values,
        );
      const now = clock.now();
      await insert('old', 'h1', now - 200 * DAY, now - 200 * DAY, now - 180 * DAY);
      await insert('live', 'h2', now - DAY, now, null);
      const result = await createPruneJob({ storage, clock, logger }).runOnce();
      expect(result).toEqual({ audit: 0, sessions: 1, 'change-log': 0, 'snapshot-uploads': 0 });
      expect(await db.column('SELECT id FROM sessions')).toEqual(['live']);
    });

    it('logs a failing task and still runs the others', async () => {
      const errors: unknown[] = [];
      const job = new PruneJob({
        tasks: [
          { name: 'broken', run: () => Promise.reject(new Error('disk on fire')) },
          { name: 'fine', run: async () => 2 },
        ],
        logger: {
          ...logger,
          error: (...args: unknown[]) => errors.push(args),
          info: () => undefined,
        } as never,
      });
      expect(await job.runOnce()).toEqual({ fine: 2 });
      expect(errors).toHaveLength(1);
    });

    it('skips a task another instance is running, and runs the rest', async () => {
      const ran: string[] = [];
      const job = new PruneJob({
        tasks: ['audit', 'sessions'].map((name) => ({
          name,
          run: async () => {
            ran.push(name);
            return 1;
          },
        })),
        exclusive: async (name, run) =>
          name === 'audit' ? { ran: false } : storage.runExclusive(name, run),
        logger,
      });
      expect(await job.runOnce()).toEqual({ sessions: 1 });
      expect(ran).toEqual(['sessions']);
    });

    it('storage.runExclusive runs a job nobody else is running and gives back its result', async () => {
      expect(await storage.runExclusive('audit', async () => 'done')).toEqual({
        ran: true,
        value: 'done',
      });
    });
  });
});
