import { randomBytes } from 'node:crypto';

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseServerConfig } from '../config/server-config.js';
import { createDeps } from '../deps.js';
import { createLogger } from '../logger.js';
import { createSecretBox } from '../secrets/secret-box.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { EXPECTED_SECURITY_HEADERS } from '../test/support/expected-headers.js';
import { buildApp } from './app.js';
import { HttpError, tooMany } from './errors.js';

// The error contract, checked with inject() on routes made for the test.
let app: FastifyInstance;
let storage: Storage;

beforeAll(async () => {
  storage = openSqliteStorage(':memory:');
  const config = {
    ...parseServerConfig(['--data-dir', '/tmp/coffer-app-test'], {}),
    logLevel: 'silent' as const,
  };
  const deps = createDeps(config, {
    storage,
    secrets: createSecretBox(randomBytes(32)),
    logger: createLogger('silent'),
    mailer: { send: async () => undefined },
  });
  app = await buildApp(deps);
  app.post(
    '/t/echo',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'count'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', maxLength: 10 },
            count: { type: 'integer' },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    async (request) => request.body,
  );
  app.get(
    '/t/query',
    {
      schema: {
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } } },
      },
    },
    async (request) => request.query,
  );
  app.get('/t/boom', async () => {
    throw new Error('database at /var/secret/path exploded: password=hunter2');
  });
  app.get('/t/conflict', async () => {
    throw new HttpError(409, 'EMAIL_TAKEN', 'An account with this email already exists.');
  });
  app.get('/t/slow-down', async () => {
    throw tooMany('TOO_MANY_ATTEMPTS', 'Try again later.', 12.2);
  });
  app.get('/t/teapot', async () => {
    throw Object.assign(new Error('internal text'), { statusCode: 418 });
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await storage.close();
});

async function post(payload: string, contentType = 'application/json') {
  return app.inject({
    method: 'POST',
    url: '/t/echo',
    payload,
    headers: { 'content-type': contentType },
  });
}

function errorOf(response: { json(): unknown }): { code: string; message: string } {
  const body = response.json() as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  return body.error;
}

describe('error responses', () => {
  it('accepts a valid body unchanged', async () => {
    const response = await post(JSON.stringify({ name: 'ok', count: 2 }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'ok', count: 2 });
  });

  it.each([
    ['{"name": "x", ', 'truncated'],
    ['{name: 1}', 'unquoted key'],
    ["{'a': 1}", 'single quotes'],
    ['[1, 2', 'open array'],
    ['\u0000', 'NUL'],
    ['{"__proto__": {"admin": true}, "name": "x", "count": 1}', 'prototype poisoning'],
    [
      '{"constructor": {"prototype": {"admin": true}}, "name": "x", "count": 1}',
      'constructor poisoning',
    ],
  ])('answers 400 INVALID_JSON to malformed JSON (%s: %s)', async (payload) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('INVALID_JSON');
  });

  it('answers 400 INVALID_JSON to an empty JSON body', async () => {
    const response = await post('');
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('INVALID_JSON');
  });

  it.each([
    [{ count: 1 }, 'body.name is required'],
    [{ name: 'x', count: 1, admin: true }, 'body.admin is not allowed'],
    [{ name: 'x', count: '1' }, 'body.count must be integer'],
    [{ name: 5, count: 1 }, 'body.name must be string'],
    [{ name: 'x'.repeat(11), count: 1 }, 'body.name must NOT have more than 10 characters'],
    [{ name: 'x', count: 1, tags: [1] }, 'body.tags.0 must be string'],
    [[], 'body must be object'],
    ['text', 'body must be object'],
    [null, 'body must be object'],
  ])('answers 400 INVALID_REQUEST naming the field (%j)', async (body, message) => {
    const response = await post(JSON.stringify(body));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'INVALID_REQUEST', message });
  });

  it('coerces query strings (they are text) but not bodies', async () => {
    const ok = await app.inject({ method: 'GET', url: '/t/query?limit=5' });
    expect(ok.json()).toEqual({ limit: 5 });
    const bad = await app.inject({ method: 'GET', url: '/t/query?limit=zero' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad)).toEqual({
      code: 'INVALID_REQUEST',
      message: 'querystring.limit must be integer',
    });
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ])('answers 415 UNSUPPORTED_MEDIA_TYPE to %s', async (contentType) => {
    const response = await post('name=x&count=1', contentType);
    expect(response.statusCode).toBe(415);
    expect(errorOf(response).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 BODY_TOO_LARGE past the body limit', async () => {
    const response = await post(
      JSON.stringify({ name: 'x', count: 1, tags: ['y'.repeat(70 * 1024)] }),
    );
    expect(response.statusCode).toBe(413);
    expect(errorOf(response).code).toBe('BODY_TOO_LARGE');
  });

  it('answers 404 NOT_FOUND to unknown routes and unknown methods', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['DELETE', '/v1/health'],
      ['POST', '/v1/health'],
      ['GET', '/v1/health/../../etc/passwd'],
      ['GET', `/${'a'.repeat(5000)}`],
    ] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode).toBe(404);
      expect(errorOf(response)).toEqual({ code: 'NOT_FOUND', message: 'No such route.' });
    }
  });

  it('passes HttpError status, code, message and headers through', async () => {
    const conflict = await app.inject({ method: 'GET', url: '/t/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(errorOf(conflict)).toEqual({
      code: 'EMAIL_TAKEN',
      message: 'An account with this email already exists.',
    });
    const limited = await app.inject({ method: 'GET', url: '/t/slow-down' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('13');
    expect(errorOf(limited).code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('answers 500 INTERNAL to unexpected errors without leaking anything', async () => {
    const response = await app.inject({ method: 'GET', url: '/t/boom' });
    expect(response.statusCode).toBe(500);
    expect(errorOf(response)).toEqual({ code: 'INTERNAL', message: 'Internal server error.' });
    expect(response.body).not.toMatch(/secret|hunter2|exploded|at .*\.ts/);
  });

  it('never shows the message of a foreign 4xx error', async () => {
    const response = await app.inject({ method: 'GET', url: '/t/teapot' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({
      code: 'BAD_REQUEST',
      message: 'The request is not valid.',
    });
  });

  it('sends the security headers on every answer, errors included', async () => {
    const answers = await Promise.all([
      app.inject({ method: 'GET', url: '/v1/health' }),
      app.inject({ method: 'GET', url: '/nope' }),
      app.inject({ method: 'GET', url: '/t/boom' }),
      post('{'),
      post('x', 'text/plain'),
      post(JSON.stringify({ tags: ['y'.repeat(70 * 1024)] })),
    ]);
    for (const answer of answers) {
      for (const [name, value] of Object.entries(EXPECTED_SECURITY_HEADERS)) {
        expect(answer.headers[name], `${name} on ${answer.statusCode}`).toBe(value);
      }
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
