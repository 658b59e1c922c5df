import { execFile } from 'node:child_process';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EXPECTED_SECURITY_HEADERS } from './support/expected-headers.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestServer } from './support/start-test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

function connect(options: tls.ConnectionOptions): Promise<{ protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: server.port, ca: server.ca, ...options },
      () => {
        const protocol = socket.getProtocol();
        socket.end();
        resolve({ protocol });
      },
    );
    socket.once('error', reject);
  });
}

function openssl(version: '-tls1_2' | '-tls1_3'): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', version, '-connect', `127.0.0.1:${server.port}`, '-servername', 'localhost'],
      { timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: stdout + stderr });
      },
    );
    child.stdin?.end();
  });
}

describe('TLS', () => {
  it('speaks TLS 1.3 with the pinned certificate', async () => {
    expect(await connect({})).toEqual({ protocol: 'TLSv1.3' });
  });

  it('refuses a TLS 1.2 client (node:tls)', async () => {
    await expect(connect({ maxVersion: 'TLSv1.2' })).rejects.toThrow(
      /protocol version|wrong version|alert/i,
    );
  });

  it('refuses openssl s_client -tls1_2 and accepts -tls1_3', async () => {
    const old = await openssl('-tls1_2');
    expect(old.code).not.toBe(0);
    expect(old.output).toMatch(
      /alert protocol version|no protocols available|unsupported protocol/i,
    );
    const current = await openssl('-tls1_3');
    expect(current.code).toBe(0);
    expect(current.output).toMatch(/TLSv1\.3/);
  });

  it('presents a certificate whose SHA-256 is the printed fingerprint', async () => {
    const fingerprint = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: server.ca }, () => {
        const raw = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(raw.replaceAll(':', '').toLowerCase());
      });
      socket.once('error', reject);
    });
    expect(fingerprint).toBe(server.fingerprint);
  });
});

describe('HTTPS responses', () => {
  it('carry the security headers on 200, 400, 404, 413 and 415 alike', async () => {
    const postRoute = server.routes.find(
      (route) => route.method === 'POST' && route.schema?.body !== undefined,
    );
    expect(postRoute, 'some POST route with a body schema').toBeDefined();
    const url = postRoute?.url ?? '/';
    const answers = [
      await server.request('GET', '/v1/health'),
      await server.request('GET', '/no/such/route'),
      await server.request('POST', url, {
        rawBody: '{"oops',
        headers: { 'content-type': 'application/json' },
      }),
      await server.request('POST', url, {
        rawBody: 'a=b',
        headers: { 'content-type': 'text/plain' },
      }),
      await server.request('POST', url, {
        rawBody: JSON.stringify({ filler: 'x'.repeat(server.config.bodyLimit) }),
        headers: { 'content-type': 'application/json' },
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 400, 415, 413]);
    expect(answers.slice(1).map((a) => (a.json as { error: { code: string } }).error.code)).toEqual(
      ['NOT_FOUND', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'],
    );
    for (const answer of answers) {
      for (const [name, value] of Object.entries(EXPECTED_SECURITY_HEADERS))
        expect(answer.headers[name], `${name} on ${answer.status}`).toBe(value);
      // The five the architecture names, spelled out once more where they are checked.
      expect(answer.headers['strict-transport-security']).toBe(
        'max-age=31536000; includeSubDomains',
      );
      expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
    // The server still serves after all that.
    expect((await server.request('GET', '/v1/health')).json).toMatchObject({ status: 'ok' });
  });

  it('answers requests the HTTP parser rejects in the same format, and keeps serving', async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: server.ca }, () => {
          socket.write(request);
        });
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    const garbage = await raw('GARBAGE \u0001 HTTP/9\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('strict-transport-security: max-age=31536000; includeSubDomains\r\n');
    expect(garbage).toContain('x-frame-options: DENY\r\n');
    expect(garbage).toContain('x-content-type-options: nosniff\r\n');
    expect(garbage).toContain('referrer-policy: no-referrer\r\n');
    expect(garbage).toContain('{"error":{"code":"BAD_REQUEST"');
    const huge = await raw(
      `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('"HEADERS_TOO_LARGE"');
    expect((await server.request('GET', '/v1/health')).status).toBe(200);
  });

  it('GET /v1/health answers { status: "ok", version }', async () => {
    const response = await server.request('GET', '/v1/health');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
    });
  });
});

describe('/v1/openapi.json', () => {
  const toOpenApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

  it('is an OpenAPI 3 document that lists every registered route', async () => {
    const response = await server.request<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.json.openapi).toMatch(/^3\./);
    const missing: string[] = [];
    for (const route of server.routes) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        const operation = response.json.paths[toOpenApiPath(route.url)]?.[method.toLowerCase()];
        if (operation === undefined) missing.push(`${method} ${route.url}`);
      }
    }
    expect(missing).toEqual([]);
    expect(server.routes.length).toBeGreaterThanOrEqual(2);
  });

  it('every route declares a schema, and every body schema rejects unknown properties', () => {
    const problems: string[] = [];
    for (const route of server.routes) {
      const name = `${String(route.method)} ${route.url}`;
      if (route.schema === undefined) {
        problems.push(`${name}: no schema`);
        continue;
      }
      const body = route.schema.body as
        { type?: string; additionalProperties?: unknown } | undefined;
      if (body !== undefined && body.type === 'object' && body.additionalProperties !== false) {
        problems.push(`${name}: body schema allows additional properties`);
      }
      if (route.schema.response === undefined) problems.push(`${name}: no response schema`);
    }
    expect(problems).toEqual([]);
  });
});
