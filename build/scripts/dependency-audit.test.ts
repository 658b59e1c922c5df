import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runAudit, type AuditResult } from './dependency-audit.js';

type Advisories = Record<string, { severity: string; title: string; range: string }[]>;

/**
 * A stand-in for the npm registry's advisory service, following its documented protocol:
 * `POST /-/npm/v1/security/advisories/bulk` with a (gzipped) `{ name: [versions] }` body,
 * answered with advisories keyed by package name. Packuments are not served (404): npm
 * then cannot say which upgrade fixes an advisory, which the audit does not need.
 */
let server: Server;
let registry: string;
let answer: { status: number; advisories: Advisories } = { status: 200, advisories: {} };
const asked: Record<string, string[]>[] = [];
const caches: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      if (request.method !== 'POST' || !request.url?.endsWith('/security/advisories/bulk')) {
        response.writeHead(404).end();
        return;
      }
      const plain =
        request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : Buffer.from(body);
      asked.push(JSON.parse(plain.toString('utf8')) as Record<string, string[]>);
      if (answer.status !== 200) {
        response.writeHead(answer.status).end();
        return;
      }
      let id = 1000;
      const out = Object.fromEntries(
        Object.entries(answer.advisories).map(([name, list]) => [
          name,
          list.map((advisory) => ({
            id: id++,
            url: `https://github.com/advisories/GHSA-test-${id}`,
            title: advisory.title,
            severity: advisory.severity,
            vulnerable_versions: advisory.range,
            cwe: ['CWE-400'],
          })),
        ]),
      );
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  for (const cache of caches) rmSync(cache, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function audit(
  advisories: Advisories,
  options: { status?: number; require?: boolean } = {},
): Promise<AuditResult> {
  answer = { status: options.status ?? 200, advisories };
  // A cache of its own per run: npm keeps advisory answers, and each test asks anew.
  const cache = mkdtempSync(path.join(tmpdir(), 'coffer-audit-cache-'));
  caches.push(cache);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COFFER_AUDIT_REGISTRY: registry,
    npm_config_cache: cache,
  };
  delete env.COFFER_REQUIRE_AUDIT;
  if (options.require === true) env.COFFER_REQUIRE_AUDIT = '1';
  return runAudit(env);
}

describe(
  'dependency audit (npm audit against a stand-in advisory service)',
  { timeout: 120_000 },
  () => {
    it('asks about runtime dependencies only, and passes when none has an advisory', async () => {
      const result = await audit({});
      expect(result.status).toBe(0);
      expect(result.lines.join('\n')).toMatch(/no high or critical advisory/);
      const names = Object.keys(asked.at(-1) ?? {});
      expect(names).toContain('zod');
      expect(names).toContain('fastify');
      expect(names).not.toContain('vitest');
      expect(names).not.toContain('eslint');
    });

    it('fails on a high advisory for a runtime dependency, naming it', async () => {
      const result = await audit({
        zod: [{ severity: 'high', title: 'Schema bypass', range: '>=0.0.0' }],
      });
      expect(result.status).toBe(1);
      expect(result.lines.join('\n')).toMatch(/zod: high, Schema bypass/);
    });

    it('passes a moderate advisory, and counts what it touches', async () => {
      const result = await audit({
        zod: [{ severity: 'moderate', title: 'Slow regex', range: '>=0.0.0' }],
      });
      expect(result.status).toBe(0);
      // zod and the package that depends on it: npm counts both.
      expect(result.lines.join('\n')).toMatch(/\([1-9]\d* moderate/);
    });

    it('passes an advisory for versions the lock file does not hold', async () => {
      const result = await audit({
        zod: [{ severity: 'critical', title: 'Old bug', range: '<0.0.1' }],
      });
      expect(result.status).toBe(0);
    });

    it('says plainly when the service refuses, and fails then only when required to', async () => {
      const relaxed = await audit({}, { status: 405 });
      expect(relaxed.status).toBe(0);
      expect(relaxed.lines.join('\n')).toMatch(/could not be asked \(405[^)]*\)[\s\S]*NOT CHECKED/);
      expect((await audit({}, { status: 405, require: true })).status).toBe(3);
    });
  },
);
