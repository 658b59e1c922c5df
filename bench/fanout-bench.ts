/**
 * A row of the "sync" section: how long a push taken by one server instance takes to be
 * announced on a WebSocket held by another instance on the same PostgreSQL database
 * (NOTIFY → LISTEN → the socket), against the same push announced by the instance that took
 * it. Both instances are `sync-server/main.ts` processes over TLS 1.3 on 127.0.0.1, on a
 * throw-away PostgreSQL cluster.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import pg from 'pg';

import { COPY_TLS, INSTANCE_ARGS, instanceEnv } from '../build/nginx/testing/deployment.js';
import { startPostgresCluster } from '../sync-server/test/support/postgres-cluster.js';
import { spawnServerProcess } from '../sync-server/test/support/spawn-server-process.js';
import type { RowInput } from './report.js';
import { median } from './timing.js';

const execFileAsync = promisify(execFile);

interface WsClient {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}
type WsClientClass = new (
  url: string,
  options: { headers: Record<string, string>; ca: string },
) => WsClient;
const WebSocket = createRequire(import.meta.url)('ws') as WsClientClass;

function post<T>(url: string, ca: string, body: unknown, token?: string): Promise<T> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: 'POST',
        ca,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 300) reject(new Error(`${url}: ${status} ${text}`));
          else resolve(JSON.parse(text) as T);
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export async function runFanoutBench(options: {
  samples: number;
  dataDir: string;
  log: (line: string) => void;
}): Promise<RowInput[]> {
  const root = await mkdtemp(path.join(options.dataDir, 'fanout-'));
  const cluster = await startPostgresCluster();
  const stops: (() => Promise<unknown>)[] = [() => cluster.stop()];
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE coffer_bench');
    await admin.end();
    const env = instanceEnv(cluster.urlFor('coffer_bench'), path.join(root, 'master-key'));
    const spawn = (name: string) =>
      spawnServerProcess({
        dataDir: path.join(root, name),
        args: [...INSTANCE_ARGS],
        env,
        timeoutMs: 120_000,
      });
    const holder = await spawn('a');
    stops.unshift(() => holder.stop());
    await mkdir(path.join(root, 'b'), { mode: 0o700 });
    const [program, ...flags] = COPY_TLS;
    await execFileAsync(program, [
      ...flags,
      path.join(root, 'a', 'tls'),
      path.join(root, 'b', 'tls'),
    ]);
    const other = await spawn('b');
    stops.unshift(() => other.stop());
    const ca = await readFile(path.join(root, 'a', 'tls', 'server.crt'), 'utf8');

    const grant = await post<{ token: string }>(`${holder.url}/v1/auth/register`, ca, {
      email: `fanout-${Date.now()}@example.test`,
      password: 'copper lantern harbour 64',
      deviceName: 'bench',
    });
    const workspace = await post<{ id: string }>(
      `${holder.url}/v1/workspaces`,
      ca,
      { nameBlob: randomBytes(16).toString('base64') },
      grant.token,
    );
    const socket = new WebSocket(
      `${holder.url.replace(/^https:/, 'wss:')}/v1/workspaces/${workspace.id}/sync/ws`,
      { headers: { authorization: `Bearer ${grant.token}` }, ca },
    );
    const waiting = new Map<number, () => void>();
    socket.on('message', (data) => {
      const { seq } = JSON.parse(data.toString('utf8')) as { seq: number };
      waiting.get(seq)?.();
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });

    let seq = 0;
    const timePush = async (url: string): Promise<number> => {
      seq += 1;
      const heard = new Promise<void>((resolve) => waiting.set(seq, resolve));
      const started = performance.now();
      await post(
        `${url}/v1/workspaces/${workspace.id}/sync/push`,
        ca,
        {
          changes: [
            {
              id: randomUUID(),
              collection: 'transactions',
              keyVersion: 1,
              nonce: randomBytes(12).toString('base64url'),
              ciphertext: randomBytes(64).toString('base64url'),
            },
          ],
        },
        grant.token,
      );
      await heard;
      return performance.now() - started;
    };
    const across: number[] = [];
    const same: number[] = [];
    // Interleaved, so load on the machine falls on both alike; the first of each is warm-up.
    for (let i = 0; i <= options.samples; i += 1) {
      const a = await timePush(other.url);
      const b = await timePush(holder.url);
      if (i > 0) {
        across.push(a);
        same.push(b);
      }
    }
    socket.close();
    const row: RowInput = {
      name: 'push → announcement on a socket of another instance (PostgreSQL NOTIFY)',
      ours_ms: median(across),
      baseline: 'the same push announced by the instance that took it',
      baseline_ms: median(same),
      target: 'informational',
      notes:
        `median of ${options.samples} pushes each, interleaved; both include the push's ` +
        'durable commit and its HTTP answer',
    };
    options.log(
      `fan-out: across instances ${row.ours_ms.toFixed(1)} ms, same instance ${row.baseline_ms.toFixed(1)} ms`,
    );
    return [row];
  } finally {
    for (const stop of stops) await stop();
    await rm(root, { recursive: true, force: true });
  }
}
