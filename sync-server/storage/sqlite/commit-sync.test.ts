import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { withoutCommitSync } from './commit-sync.js';
import { openSqliteStorage } from './sqlite-storage.js';
import type { SqliteStorage } from './sqlite-storage.js';

// SQLite's numbers for PRAGMA synchronous: 1 NORMAL, 2 FULL.
const NORMAL = 1;
const FULL = 2;

let dir: string;
let storage: SqliteStorage;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'coffer-commit-sync-'));
  storage = openSqliteStorage(path.join(dir, 'coffer-server.db'));
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const synchronous = (): unknown => storage.db.pragma('synchronous', { simple: true });

describe('withoutCommitSync', () => {
  it('commits its one write under NORMAL and puts the connection back to FULL', () => {
    storage.db.exec('CREATE TABLE probe (n INTEGER)');
    const during = withoutCommitSync(storage.db, () => {
      storage.db.prepare('INSERT INTO probe (n) VALUES (1)').run();
      return synchronous();
    });
    expect(during).toBe(NORMAL);
    expect(synchronous()).toBe(FULL);
    expect(storage.db.prepare('SELECT count(*) FROM probe').pluck().get()).toBe(1);
  });

  it('leaves a connection that is already at NORMAL as it is', () => {
    storage.db.pragma('synchronous = NORMAL');
    expect(withoutCommitSync(storage.db, synchronous)).toBe(NORMAL);
    expect(synchronous()).toBe(NORMAL);
  });

  it('puts FULL back when the write throws, and lets the error through', () => {
    expect(() =>
      withoutCommitSync(storage.db, () => {
        throw new RangeError('refused');
      }),
    ).toThrow(RangeError);
    expect(synchronous()).toBe(FULL);
  });

  it('inside a transaction, changes nothing: the write joins it and its commit decides', () => {
    storage.db.exec('CREATE TABLE probe (n INTEGER)');
    const insertThenFail = storage.db.transaction(() => {
      const during = withoutCommitSync(storage.db, () => {
        storage.db.prepare('INSERT INTO probe (n) VALUES (1)').run();
        return synchronous();
      });
      expect(during).toBe(FULL);
      throw new Error('roll back');
    });
    expect(() => insertThenFail()).toThrow('roll back');
    expect(storage.db.prepare('SELECT count(*) FROM probe').pluck().get()).toBe(0);
    expect(synchronous()).toBe(FULL);
  });

  it('the audit row and the request counter leave the connection at FULL', async () => {
    await storage.audit.append({
      id: '0190f5c2-0000-7000-8000-000000000001',
      at: Date.UTC(2030, 0, 1),
      requestId: 'req-1',
      action: 'GET /v1/health',
      statusCode: 200,
      errorCode: null,
      outcome: 'success',
      ip: '192.0.2.1',
      userId: null,
      sessionId: null,
      workspaceId: null,
      subjectUserId: null,
      factor: null,
      deviceName: null,
      userAgent: null,
    });
    expect(synchronous()).toBe(FULL);
    expect(
      await storage.counters.takeRequest('user-1', Date.UTC(2030, 0, 1), {
        limit: 10,
        windowMs: 60_000,
      }),
    ).toBe(0);
    expect(synchronous()).toBe(FULL);
  });
});
