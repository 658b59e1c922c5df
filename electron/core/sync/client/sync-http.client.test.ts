import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { parseFingerprint } from './pinned-agent.js';
import { SyncHttpClient } from './sync-http.client.js';
import { startSyncServerProcess } from './testing/sync-server-process.js';
import type { SyncServerProcess } from './testing/sync-server-process.js';

let serverA: SyncServerProcess;
let serverB: SyncServerProcess;

beforeAll(async () => {
  [serverA, serverB] = await Promise.all([startSyncServerProcess(), startSyncServerProcess()]);
}, 180_000);
afterAll(async () => {
  await Promise.all([serverA?.stop(), serverB?.stop()]);
});

async function certificateOf(server: SyncServerProcess): Promise<{ cert: string; key: string }> {
  const dir = path.join(server.dataDir, 'tls');
  return {
    cert: await readFile(path.join(dir, 'server.crt'), 'utf8'),
    key: await readFile(path.join(dir, 'server.key'), 'utf8'),
  };
}

/** A TLS server with server A's certificate that records every byte a client sends it. */
async function recordingServer(
  options: tls.TlsOptions,
): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = tls.createServer({ ...(await certificateOf(serverA)), ...options }, (socket) => {
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function failure(promise: Promise<unknown>): Promise<CofferError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CofferError);
  return error as CofferError;
}

describe('the pinned sync HTTPS client', () => {
  it('talks TLS 1.3 to the server whose fingerprint it pins', async () => {
    const client = new SyncHttpClient({
      url: serverA.url,
      fingerprint: parseFingerprint(serverA.fingerprint),
    });
    try {
      const health = await client.request<{ status: string }>('GET', '/v1/health');
      expect(health.status).toBe('ok');
      // A second request on a new connection is checked again and still passes.
      client.close();
      expect((await client.request<{ status: string }>('GET', '/v1/health')).status).toBe('ok');
    } finally {
      client.close();
    }
  });

  it('refuses a server whose certificate is not the pinned one, before sending a byte', async () => {
    // Two real servers made two certificates: provably different fingerprints.
    expect(serverB.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(serverB.fingerprint).not.toBe(serverA.fingerprint);
    const wrongPin = new SyncHttpClient({
      url: serverA.url,
      fingerprint: parseFingerprint(serverB.fingerprint),
    });
    const refused = await failure(
      wrongPin.request('POST', '/v1/auth/logout', { token: 'a'.repeat(43), body: {} }),
    );
    wrongPin.close();
    expect(refused.code).toBe('CERT_PIN_MISMATCH');
    expect(refused.details).toEqual({ pinned: serverB.fingerprint, served: serverA.fingerprint });

    // The same against a server that counts what reaches it: nothing, not even the headers.
    const recorder = await recordingServer({ minVersion: 'TLSv1.3' });
    const token = 'secret-bearer-token-that-must-not-leave';
    const client = new SyncHttpClient({
      url: recorder.url,
      fingerprint: parseFingerprint(serverB.fingerprint),
    });
    try {
      const error = await failure(client.request('GET', '/v1/me', { token }));
      expect(error.code).toBe('CERT_PIN_MISMATCH');
      expect(error.message).not.toContain(token);
      expect(recorder.received()).toBe(0);
    } finally {
      client.close();
      await recorder.close();
    }
  });

  it('refuses a TLS 1.2-only server even with the right pin', async () => {
    const old = await recordingServer({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const client = new SyncHttpClient({
      url: old.url,
      fingerprint: parseFingerprint(serverA.fingerprint),
    });
    try {
      const error = await failure(client.request('GET', '/v1/health', { token: 'x'.repeat(43) }));
      expect(error.code).toBe('TLS_FAILED');
      expect(old.received()).toBe(0);
    } finally {
      client.close();
      await old.close();
    }
  });

  it("maps the server's errors to codes, SESSION_REVOKED apart", async () => {
    const client = new SyncHttpClient({
      url: serverA.url,
      fingerprint: parseFingerprint(serverA.fingerprint),
    });
    try {
      const noSession = await failure(client.request('GET', '/v1/me', { token: 'b'.repeat(43) }));
      expect([noSession.code, noSession.details?.serverCode]).toEqual([
        'SESSION_ENDED',
        'UNAUTHENTICATED',
      ]);
      const bad = await failure(
        client.request('POST', '/v1/auth/register', { body: { email: 1 } }),
      );
      expect([bad.code, bad.details?.status]).toEqual(['SERVER_REFUSED', 400]);

      const email = `revoked@${Date.now()}.example.test`;
      const password = 'violet anchor meadow 42';
      const grant = await client.request<{ token: string; sessionId: string }>(
        'POST',
        '/v1/auth/register',
        { body: { email, password, deviceName: 'Laptop' } },
      );
      const wrong = await failure(
        client.request('POST', '/v1/auth/login', {
          body: { email, password: `${password} not`, deviceName: 'Phone' },
        }),
      );
      expect(wrong.code).toBe('AUTH_FAILED');
      // The first device signs the second out (a lost phone): its next request is refused.
      const phone = await client.request<{ token: string; sessionId: string }>(
        'POST',
        '/v1/auth/login',
        { body: { email, password, deviceName: 'Phone' } },
      );
      await client.request('POST', '/v1/auth/step-up', { token: grant.token, body: { password } });
      await client.request('DELETE', `/v1/me/sessions/${phone.sessionId}`, { token: grant.token });
      const after = await failure(client.request('GET', '/v1/me', { token: phone.token }));
      expect([after.code, after.details]).toEqual([
        'SESSION_REVOKED',
        { status: 401, serverCode: 'SESSION_REVOKED' },
      ]);
      expect(after.message).not.toContain(phone.token);
    } finally {
      client.close();
    }
  });

  it("hands a 429's Retry-After to the caller, for the sync loop to wait it out", async () => {
    const client = new SyncHttpClient({
      url: serverA.url,
      fingerprint: parseFingerprint(serverA.fingerprint),
    });
    try {
      // The login backoff forgives 10 failures of one address, then answers 429.
      const body = {
        email: `throttled-${process.pid}@example.test`,
        password: 'wrong horse battery staple',
        deviceName: 'Laptop',
      };
      let limited: CofferError | undefined;
      for (let i = 0; i < 20 && limited === undefined; i += 1) {
        const error = await failure(client.request('POST', '/v1/auth/login', { body }));
        if (error.code === 'RATE_LIMITED') limited = error;
        else expect(error.code).toBe('AUTH_FAILED');
      }
      expect(limited?.details?.status).toBe(429);
      const retryAfterMs = Number(limited?.details?.retryAfterMs);
      // Whole seconds, at least one, and no more than the login backoff's first step here.
      expect(retryAfterMs % 1_000).toBe(0);
      expect(retryAfterMs).toBeGreaterThanOrEqual(1_000);
      expect(retryAfterMs).toBeLessThanOrEqual(30_000);
    } finally {
      client.close();
    }
  });
});
