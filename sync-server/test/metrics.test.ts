import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAccountsServer, uniqueEmail } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { plainChange, pull, push, sealed, workspaceKey } from './sync-support.js';
import { openSyncSocket } from './support/sync-socket-client.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestServer } from './support/start-test-server.js';
import { adminWithWorkspace } from './workspaces-support.js';

interface Scrape {
  status: number;
  body: string;
  contentType: string | undefined;
}

function scrape(port: number, token?: string, urlPath = '/metrics'): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, contentType: res.headers['content-type'] }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The value of one series in a Prometheus text scrape, 0 when absent. */
function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('operator metrics on their own port', () => {
  let server: AccountsTestServer;
  let metricsPort: number;

  beforeAll(async () => {
    server = await startAccountsServer({
      config: { metrics: { host: '127.0.0.1', port: 0, tokenFile: undefined } },
    });
    metricsPort = server.metricsPort as number;
  });
  afterAll(async () => server.close());

  it('counts requests by route pattern and status, never by raw URL', async () => {
    await server.request('GET', '/v1/health');
    await server.request('GET', `/v1/workspaces/${randomBytes(8).toString('hex')}/members`);
    const { status, body, contentType } = await scrape(metricsPort);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain/);
    expect(
      sample(body, 'coffer_http_requests_total{route="/v1/health",method="GET",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(body).toContain('route="/v1/workspaces/:id/members"');
    expect(body).toContain('coffer_http_request_duration_seconds_bucket');
    // The id sent in the URL never becomes a label.
    expect(body).not.toMatch(/route="\/v1\/workspaces\/[0-9a-f]{16}/);
  });

  it('counts refused sign-ins and second-factor steps', async () => {
    const before = sample((await scrape(metricsPort)).body, 'coffer_sign_in_failures_total');
    const wrong = await server.request('POST', '/v1/auth/login', {
      body: { email: uniqueEmail('nobody'), password: 'not the password 1', deviceName: 'x' },
    });
    expect(wrong.status).toBe(401);
    const after = sample((await scrape(metricsPort)).body, 'coffer_sign_in_failures_total');
    expect(after).toBe(before + 1);
  });

  it('counts pushed and pulled changes and open sync sockets', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server, 'metrics');
    const key = workspaceKey(workspaceId);
    const envelopes = [1, 2].map((n) => sealed(plainChange('transactions', `m${n}`), key));
    const accepted = 'coffer_sync_pushed_changes_total{outcome="accepted"}';
    const pulled = 'coffer_sync_pulled_changes_total';
    const first = (await scrape(metricsPort)).body;

    expect((await push(server, admin.token, workspaceId, envelopes)).status).toBe(200);
    expect((await pull(server, admin.token, workspaceId, 'after=0')).status).toBe(200);
    const attempt = await openSyncSocket(server, workspaceId, admin.token);
    if (!('socket' in attempt)) throw new Error(`socket refused: ${attempt.status}`);
    try {
      const second = (await scrape(metricsPort)).body;
      expect(sample(second, accepted)).toBe(sample(first, accepted) + 2);
      expect(sample(second, pulled)).toBeGreaterThanOrEqual(sample(first, pulled) + 2);
      expect(sample(second, 'coffer_sync_websockets')).toBe(1);
    } finally {
      attempt.socket.client.close();
      await attempt.socket.closed;
    }
  });

  it('is not served on the API port, and answers nothing else on its own', async () => {
    expect((await server.request('GET', '/metrics')).status).toBe(404);
    expect((await scrape(metricsPort, undefined, '/v1/health')).status).toBe(404);
  });

  it('tells readiness (the database answers) from liveness', async () => {
    const ready = await server.request('GET', '/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready' });
  });
});

describe('metrics behind a token', () => {
  let dir: string;
  let tokenFile: string;
  let token: string;
  let server: TestServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'coffer-metrics-'));
    tokenFile = path.join(dir, 'metrics-token');
    token = randomBytes(32).toString('base64url');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    server = await startTestServer({
      config: { metrics: { host: '127.0.0.1', port: 0, tokenFile } },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the token, and refuses a scrape without it or with another one', async () => {
    const port = server.metricsPort as number;
    expect((await scrape(port, token)).status).toBe(200);
    const missing = await scrape(port);
    expect(missing.status).toBe(401);
    expect(missing.body).not.toContain('coffer_');
    // Another token of the same length, differing in its last character.
    const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await scrape(port, other)).status).toBe(401);
  });

  it('will not start with a token shorter than 32 characters', async () => {
    const short = path.join(dir, 'short-token');
    await writeFile(short, 'too-short\n', { mode: 0o600 });
    await expect(
      startTestServer({ config: { metrics: { host: '127.0.0.1', port: 0, tokenFile: short } } }),
    ).rejects.toThrow(/at least 32 characters/);
  });
});

describe('readiness without a database', () => {
  it('answers 503 unavailable while liveness still answers ok', async () => {
    const server = await startTestServer();
    try {
      await server.deps.storage.close();
      const ready = await server.request('GET', '/v1/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ status: 'unavailable' });
      expect((await server.request('GET', '/v1/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
