import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestServer } from './support/start-test-server.js';

// SQLite's numbers for PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
const FULL = 2;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('server database durability', () => {
  it('the running server commits with synchronous=FULL on its WAL database', () => {
    const storage = server.deps.storage;
    expect(storage).toBeInstanceOf(SqliteStorage);
    const db = (storage as SqliteStorage).db;
    expect(db.name).toBe(server.databaseFile);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('keeps FULL after requests have used the connection', async () => {
    expect((await server.request('GET', '/v1/health')).status).toBe(200);
    const db = (server.deps.storage as SqliteStorage).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
  });
});
