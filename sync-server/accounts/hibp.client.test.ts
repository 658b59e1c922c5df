import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HibpClient, rangeContains } from './hibp.client.js';

const BREACHED = 'hunter2 but longer';

function sha1(value: string): string {
  return createHash('sha1').update(value, 'utf8').digest('hex').toUpperCase();
}

/** A local stand-in for api.pwnedpasswords.com speaking the range protocol. */
function startRangeServer(): Promise<{
  server: Server;
  url: string;
  seen: { path: string; headers: IncomingHttpHeaders }[];
}> {
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  const breached = sha1(BREACHED);
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
    if (prefix === undefined) {
      res.writeHead(400).end();
      return;
    }
    const lines = [
      '0018A45C4D1DEF81644B54AB7F969B88D65:3',
      '00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0',
    ];
    if (breached.startsWith(prefix)) lines.push(`${breached.slice(5)}:42`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, seen });
    });
  });
}

describe('HibpClient', () => {
  let range: Awaited<ReturnType<typeof startRangeServer>>;
  beforeAll(async () => {
    range = await startRangeServer();
  });
  afterAll(() => {
    range.server.close();
  });

  it('finds a breached password and sends only the 5-character prefix, with padding', async () => {
    const client = new HibpClient({ baseUrl: range.url });
    expect(await client.isBreached(BREACHED)).toBe(true);
    const request = range.seen.at(-1);
    expect(request?.path).toBe(`/range/${sha1(BREACHED).slice(0, 5)}`);
    expect(request?.headers['add-padding']).toBe('true');
    expect(JSON.stringify(range.seen)).not.toContain(sha1(BREACHED).slice(5));
  });

  it('answers false for a password not in the range', async () => {
    const client = new HibpClient({ baseUrl: `${range.url}/` });
    expect(await client.isBreached('a password nobody has used 5c1e')).toBe(false);
  });

  it('fails open (null) and reports when the service is unreachable', async () => {
    const reasons: string[] = [];
    const client = new HibpClient({
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 2000,
      onUnavailable: (reason) => reasons.push(reason),
    });
    expect(await client.isBreached(BREACHED)).toBeNull();
    expect(reasons).toHaveLength(1);
  });
});

describe('rangeContains', () => {
  it('treats padding lines (count 0) as not breached', () => {
    expect(rangeContains('ABC:0\r\nDEF:5', 'ABC')).toBe(false);
    expect(rangeContains('ABC:0\r\nDEF:5', 'DEF')).toBe(true);
    expect(rangeContains('', 'DEF')).toBe(false);
  });
});
