import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { rootCertificates } from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sha1Hex, startRangeServer } from '../test/support/range-server.js';
import type { RangeServer } from '../test/support/range-server.js';
import { HibpClient, rangeContains } from './hibp.client.js';

const BREACHED = 'hunter2 but longer';

let range: RangeServer;
let trust: { ca: string[] };
beforeAll(async () => {
  range = await startRangeServer([BREACHED]);
  trust = { ca: [...rootCertificates, range.caPem] };
});
afterAll(async () => range.close());

describe('HibpClient', () => {
  it('finds a breached password and sends only the 5-character prefix, with padding', async () => {
    const client = new HibpClient({ baseUrl: range.url, trust });
    const before = range.requests.length;
    expect(await client.isBreached(BREACHED)).toBe(true);
    expect(range.requests.length).toBe(before + 1);
    const request = range.requests.at(-1);
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`/range/${sha1Hex(BREACHED).slice(0, 5)}`);
    expect(request?.headers['add-padding']).toBe('true');
    expect(JSON.stringify(range.requests)).not.toContain(sha1Hex(BREACHED).slice(5));
  });

  it('answers false for a password not in the range', async () => {
    const client = new HibpClient({ baseUrl: `${range.url}/`, trust });
    const password = 'a password nobody has used 5c1e';
    expect(await client.isBreached(password)).toBe(false);
    expect(range.requests.at(-1)?.path).toBe(`/range/${sha1Hex(password).slice(0, 5)}`);
  });

  it('refuses a plain-http URL outright', () => {
    expect(() => new HibpClient({ baseUrl: 'http://api.pwnedpasswords.com' })).toThrow(
      /must start with https/,
    );
  });

  it('does not accept a certificate it cannot verify: fails open, reports it, sends nothing', async () => {
    const reasons: string[] = [];
    const client = new HibpClient({
      baseUrl: range.url,
      onUnavailable: (reason) => reasons.push(reason),
    });
    const before = range.requests.length;
    expect(await client.isBreached(BREACHED)).toBeNull();
    expect(reasons).toHaveLength(1);
    expect(range.requests.length).toBe(before);
  });

  it('fails open (null) and reports when the service is unreachable', async () => {
    const reasons: string[] = [];
    const client = new HibpClient({
      baseUrl: 'https://127.0.0.1:1',
      timeoutMs: 2000,
      onUnavailable: (reason) => reasons.push(reason),
    });
    expect(await client.isBreached(BREACHED)).toBeNull();
    expect(reasons).toHaveLength(1);
  });

  it('gives up after its timeout on a service that never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const reasons: string[] = [];
      const client = new HibpClient({
        baseUrl: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        timeoutMs: 200,
        onUnavailable: (reason) => reasons.push(reason),
      });
      expect(await client.isBreached(BREACHED)).toBeNull();
      expect(reasons).toEqual(['TimeoutError']);
    } finally {
      silent.close();
    }
  });
});

describe('rangeContains', () => {
  it('treats padding lines (count 0) as not breached', () => {
    expect(rangeContains('ABC:0\r\nDEF:5', 'ABC')).toBe(false);
    expect(rangeContains('ABC:0\r\nDEF:5', 'DEF')).toBe(true);
    expect(rangeContains('', 'DEF')).toBe(false);
  });
});
