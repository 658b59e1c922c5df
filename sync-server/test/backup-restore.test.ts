import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { login, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { keyEncodings, startPushing, storageFlags } from './backup-support.js';
import { createTestDatabase, freshPostgresUrl } from './support/postgres-test-database.js';
import { runServerCommand } from './support/spawn-server-process.js';
import { pull } from './sync-support.js';
import { adminWithWorkspace } from './workspaces-support.js';

/**
 * `backup` run as its own process against a live server (in process, over TLS 1.3) while
 * a device keeps pushing; `restore` into an empty data dir (and, on PostgreSQL, an empty
 * database); the restored server started: it has every change acknowledged before the
 * backup began, its old certificate, and a new epoch.
 */
const BACKENDS = [
  {
    name: 'SQLite',
    storage: 'sqlite' as const,
    source: async () => undefined,
    target: async () => undefined,
  },
  // A schema of its own restored into a new database's public schema (renamed on the way).
  {
    name: 'PostgreSQL, a schema of its own',
    storage: 'postgres' as const,
    source: freshPostgresUrl,
    target: createTestDatabase,
  },
  // The usual deployment: the public schema of one database into that of another.
  {
    name: 'PostgreSQL, the public schema',
    storage: 'postgres' as const,
    source: createTestDatabase,
    target: createTestDatabase,
  },
];

describe.each(BACKENDS)('backup and restore on $name', { timeout: 300_000 }, (backend) => {
  let root: string;
  let keyRoot: string;
  let server: AccountsTestServer;
  let restored: AccountsTestServer | undefined;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'coffer-backup-'));
    keyRoot = await mkdtemp(path.join(tmpdir(), 'coffer-backup-key-'));
    const databaseUrl = await backend.source();
    server = await startAccountsServer({
      config: {
        storage: backend.storage,
        databaseUrl,
        keyFile: path.join(keyRoot, 'master-key'),
      },
    });
  });
  afterAll(async () => {
    await restored?.close();
    await server?.close();
    await rm(root, { recursive: true, force: true });
    await rm(keyRoot, { recursive: true, force: true });
  });

  it('backs up while pushes run; the restored server has every change acknowledged before, and a new epoch', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server, 'backup');
    const before = await pull(server, admin.token, workspaceId);
    const pushing = startPushing(server, admin.token, workspaceId);
    let backup;
    let acknowledgedBefore: string[];
    const out = path.join(root, 'server.backup');
    try {
      await pushing.waitFor(5);
      acknowledgedBefore = [...pushing.acknowledged];
      const answeredBefore = pushing.answered();
      backup = await runServerCommand({
        dataDir: server.dataDir,
        args: ['backup', '--out', out, ...storageFlags(server.config)],
        timeoutMs: 120_000,
      });
      // The pushes ran on while the backup was taken.
      expect(pushing.answered()).toBeGreaterThan(answeredBefore);
    } finally {
      await pushing.stop();
    }
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^backup: .* \(\d+ bytes, sha256 [0-9a-f]{64}\)$/m);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(out);
    for (const encoding of await keyEncodings(server.keyFile)) {
      expect(bytes.includes(encoding)).toBe(false);
    }

    // An empty folder made ready for it (a data dir that does not exist yet is the other case:
    // backup-docs.test.ts and the two-device test).
    const dataDir = path.join(root, 'restored');
    await mkdir(dataDir, { mode: 0o700 });
    const databaseUrl = await backend.target();
    const restore = await runServerCommand({
      dataDir,
      args: [
        'restore',
        '--from',
        out,
        '--key-file',
        server.keyFile,
        ...storageFlags({ storage: backend.storage, databaseUrl }),
      ],
      timeoutMs: 120_000,
    });
    expect(restore.code, restore.stderr).toBe(0);
    const epochs = /^epoch: (\S+) -> (\S+)$/m.exec(restore.stdout);
    expect(epochs?.[1]).toBe(before.json.epoch);
    expect(epochs?.[2]).not.toBe(before.json.epoch);

    restored = await startAccountsServer({
      config: { dataDir, storage: backend.storage, databaseUrl, keyFile: server.keyFile },
    });
    // Its request counters were copied too: its clock goes on from the first one's.
    restored.clock.set(server.clock.now() + 120_000);
    // The same certificate: clients' pinned fingerprint still matches.
    expect(restored.fingerprint).toBe(server.fingerprint);
    const again = await login(restored, admin.email, admin.password);
    const ids = new Set<string>();
    let after = 0;
    let epoch = '';
    for (;;) {
      const page = await pull(restored, again.token, workspaceId, `after=${after}&limit=1000`);
      expect(page.status, page.text).toBe(200);
      for (const change of page.json.changes) ids.add(change.id);
      epoch = page.json.epoch;
      after = page.json.nextAfter;
      if (!page.json.more) break;
    }
    expect(epoch).toBe(epochs?.[2]);
    expect(acknowledgedBefore.length).toBeGreaterThanOrEqual(10);
    for (const id of acknowledgedBefore) expect(ids.has(id), id).toBe(true);
    // Nothing but what was pushed.
    for (const id of ids) expect(pushing.acknowledged.includes(id), id).toBe(true);
  });
});
