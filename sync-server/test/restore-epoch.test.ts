import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EPOCH_ID_META } from '../storage/change-log.repository.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { ChangeLogService } from '../sync/change-log.service.js';
import { markRestored } from '../sync/restore-epoch.js';

let dir: string;
let storage: SqliteStorage;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'coffer-restore-epoch-'));
  storage = openSqliteStorage(path.join(dir, 'coffer-server.db'));
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe('mark-restored', () => {
  it('gives the database a new epoch id, which push and pull answer from then on', async () => {
    const log = new ChangeLogService({ storage, clock: { now: () => 0 } });
    const before = await log.epoch();
    const marked = await markRestored(storage);
    expect(marked.previous).toBe(before);
    expect(marked.epoch).not.toBe(before);
    expect(await log.epoch()).toBe(marked.epoch);
    expect((await log.pull('no-such-workspace', 0, 10)).epoch).toBe(marked.epoch);
    // Each restore is a new epoch, never one seen before.
    expect((await markRestored(storage)).epoch).not.toBe(marked.epoch);
    expect(await storage.meta.get(EPOCH_ID_META)).not.toBe(before);
  });
});
