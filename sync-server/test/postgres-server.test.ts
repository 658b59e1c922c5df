import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EPOCH_ID_META } from '../storage/change-log.repository.js';
import { openPostgresStorage } from '../storage/postgres/postgres-storage.js';
import type { PostgresStorage } from '../storage/postgres/postgres-storage.js';
import { login, register } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { freshPostgresUrl } from './support/postgres-test-database.js';
import { runServerCommand, spawnServerProcess } from './support/spawn-server-process.js';
import {
  getChunk,
  latestSnapshot,
  manifest as snapshotManifest,
  putChunk,
  startSnapshot,
  uploadSnapshot,
} from './snapshot-support.js';
import { pull, push, randomEnvelope } from './sync-support.js';
import { startTwoPostgresInstances, type TwoInstances } from './support/postgres-instances.js';
import { adminWithWorkspace, joinAs } from './workspaces-support.js';

describe('the server on PostgreSQL, in process, two instances on one database', () => {
  let instances: TwoInstances;
  let first: AccountsTestServer;
  let second: AccountsTestServer;

  beforeAll(async () => {
    // Instances of one deployment share the database and the master key, nothing else.
    instances = await startTwoPostgresInstances();
    ({ first, second } = instances);
  });
  afterAll(() => instances?.close());

  it('register -> login -> push -> pull over TLS 1.3, across instances', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'pg');
    // The account made on one instance signs in on the other.
    const again = await login(second, admin.email, admin.password);
    const envelopes = [randomEnvelope(), randomEnvelope('clients')];
    const pushed = await push(first, admin.token, workspaceId, envelopes);
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json.results).toEqual(
      envelopes.map((e, i) => ({ id: e.id, status: 'accepted', seq: i + 1 })),
    );
    const pulled = await pull(second, again.token, workspaceId);
    expect(pulled.status, pulled.text).toBe(200);
    expect(pulled.json.changes).toEqual(envelopes.map((e, i) => ({ ...e, seq: i + 1 })));
    expect(pulled.json.epoch).toBe(pushed.json.epoch);
  });

  it('numbers concurrent pushes to both instances without gaps or repeats', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(second, 'concurrent');
    const member = await joinAs(second, admin.token, workspaceId, 'member');
    const pushes = Array.from({ length: 16 }, (_, i) =>
      push(i % 2 === 0 ? first : second, i % 3 === 0 ? admin.token : member.token, workspaceId, [
        randomEnvelope(),
        randomEnvelope(),
      ]),
    );
    const seqs = (await Promise.all(pushes)).flatMap((response) => {
      expect(response.status, response.text).toBe(200);
      return response.json.results.map((result) => result.seq);
    });
    expect([...seqs].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    const pulled = await pull(first, member.token, workspaceId, 'limit=100');
    expect(pulled.json.changes.map((c) => c.seq)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
  });

  it('stores no email address or password in the clear, in any table', async () => {
    const email = `pg-at-rest-${process.pid}@marker.example.test`;
    const password = 'lantern quarry velvet 9071';
    const user = await register(first, { email, password });
    await login(second, email, password);
    const db = (first.deps.storage as PostgresStorage).db;
    const tables = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.rows.length).toBeGreaterThan(10);
    let rowsWithUser = 0;
    for (const { name } of tables.rows) {
      const found = await db.query<{ text: string }>(
        `SELECT row_to_json(t)::text AS text FROM ${name} t`,
      );
      for (const { text } of found.rows) {
        if (text.includes(user.user.id)) rowsWithUser += 1;
        expect(text.toLowerCase()).not.toContain('marker.example.test');
        expect(text).not.toContain(password);
      }
    }
    // The scan did look at the account's rows.
    expect(rowsWithUser).toBeGreaterThan(2);
  });

  it('serves a snapshot uploaded through one instance from the other, and one upload of many at once', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'snapshots');
    await push(first, admin.token, workspaceId, [randomEnvelope(), randomEnvelope()]);
    const { manifest: uploaded, chunks } = await uploadSnapshot(first, admin.token, workspaceId, {
      seq: 2,
    });
    const latest = await latestSnapshot(second, admin.token, workspaceId);
    expect(latest.status, latest.text).toBe(200);
    expect(latest.json).toMatchObject({ snapshotId: uploaded.snapshotId, seq: 2 });
    const chunk = await getChunk(second, admin.token, workspaceId, uploaded.snapshotId, 1);
    expect(chunk.bytes.equals(chunks[1] ?? Buffer.alloc(0))).toBe(true);

    // The same chunk sent to both instances at once is stored once; other bytes conflict.
    const next = snapshotManifest({ seq: 2, chunkCount: 1, byteLength: 32 });
    expect((await startSnapshot(first, admin.token, workspaceId, next)).status).toBe(201);
    const bytes = randomBytes(32);
    const statuses = await Promise.all(
      [first, second, first, second].map((server) =>
        putChunk(server, admin.token, workspaceId, next.snapshotId, 0, bytes),
      ),
    );
    expect(statuses.map((r) => r.status)).toEqual([204, 204, 204, 204]);
    const other = await putChunk(
      second,
      admin.token,
      workspaceId,
      next.snapshotId,
      0,
      randomBytes(32),
    );
    expect(other.status).toBe(409);
  });

  it('keeps a workspace’s log from another user, whichever instance is asked', async () => {
    const { workspaceId } = await adminWithWorkspace(first, 'private');
    const outsider = await register(second);
    for (const server of [first, second]) {
      const response = await pull(server, outsider.token, workspaceId);
      expect(response.status).toBe(404);
    }
  });
});

/** `method url` over TLS with the server's certificate pinned as the only CA. */
function requestJson(
  method: string,
  url: string,
  ca: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = https.request(
      url,
      { method, ca, headers: payload === undefined ? {} : { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        const protocol = (response.socket as import('node:tls').TLSSocket).getProtocol();
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), protocol }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

describe('npm run server --storage postgres', { timeout: 180_000 }, () => {
  it('serves, and rotate-master-key and mark-restored work on the database', async ({
    onTestFinished,
  }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'coffer-pg-server-'));
    const dataDir = path.join(root, 'data');
    const databaseUrl = await freshPostgresUrl();
    const password = new URL(databaseUrl).password;
    const env = { COFFER_SERVER_STORAGE: 'postgres', COFFER_SERVER_DATABASE_URL: databaseUrl };
    const flags = ['--port', '0'];
    const started: { stop(): Promise<unknown> }[] = [];
    onTestFinished(async () => {
      for (const server of started) await server.stop();
      await rm(root, { recursive: true, force: true });
    });

    const server = await spawnServerProcess({ dataDir, args: flags, env });
    started.push(server);
    // The start-up names the database, never its password.
    expect(server.stdout.some((line) => line.startsWith('storage: postgres postgres://'))).toBe(
      true,
    );
    expect(server.stdout.join('\n')).not.toContain(password);
    expect(server.stderr()).not.toContain(password);

    const cert = await readFile(path.join(dataDir, 'tls', 'server.crt'), 'utf8');
    const account = {
      email: 'pg-rotate@example.test',
      password: 'violet anchor meadow 42',
      deviceName: 'Test',
    };
    const registered = await requestJson('POST', `${server.url}/v1/auth/register`, cert, account);
    expect(registered.status).toBe(201);
    expect(registered.protocol).toBe('TLSv1.3');
    // Not while an instance runs: it would go on with the old key.
    const refused = await runServerCommand({
      dataDir: `${dataDir}-other`,
      args: ['rotate-master-key'],
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('A Coffer server is running on this database');
    await server.stop();
    started.pop();

    const rotation = await runServerCommand({ dataDir, args: ['rotate-master-key'], env });
    expect(rotation.stderr).toBe('');
    expect(rotation.code).toBe(0);
    expect(rotation.stdout).toMatch(/^rotated master key [0-9a-f]{16} -> [0-9a-f]{16} \(1 rows/);

    const storage = await openPostgresStorage(databaseUrl);
    const epochBefore = await storage.meta.get(EPOCH_ID_META);
    const restored = await runServerCommand({ dataDir, args: ['mark-restored'], env });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`epoch: ${epochBefore ?? 'none'} -> `);
    expect(await storage.meta.get(EPOCH_ID_META)).not.toBe(epochBefore);
    await storage.close();

    const next = await spawnServerProcess({ dataDir, args: flags, env });
    started.push(next);
    // The email was re-encrypted and its lookup recomputed under the new key, in PostgreSQL.
    const signedIn = await requestJson('POST', `${next.url}/v1/auth/login`, cert, account);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ user: { email: account.email } });
  });

  it('exits 2 when --storage postgres has no database URL, and 1 naming no password when it cannot connect', async ({
    onTestFinished,
  }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'coffer-pg-server-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    const missing = await runServerCommand({ dataDir, args: ['--storage', 'postgres'] });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--storage postgres needs --database-url');

    const secret = 'not-the-password-anywhere';
    // Port 1 on loopback: nothing listens there.
    const unreachable = await runServerCommand({
      dataDir,
      args: ['--storage', 'postgres', '--port', '0'],
      env: { COFFER_SERVER_DATABASE_URL: `postgres://coffer:${secret}@127.0.0.1:1/coffer` },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('could not open the PostgreSQL database');
    expect(unreachable.stderr).toContain('postgres://coffer:***@127.0.0.1:1/coffer');
    expect(`${unreachable.stdout}${unreachable.stderr}`).not.toContain(secret);
  });
});
