import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { makeTestCertificate } from './test-certificate.js';

export interface RangeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface RangeServer {
  /** `https://127.0.0.1:PORT`, for config `hibp.baseUrl`. */
  url: string;
  /** PEM file of its test certificate, for the server's --trust-ca (config `trustCaFile`). */
  caFile: string;
  caPem: string;
  /** Every request received, in order. */
  requests: RangeRequest[];
  close(): Promise<void>;
}

export const sha1Hex = (value: string): string =>
  createHash('sha1').update(value, 'utf8').digest('hex').toUpperCase();

/**
 * A stand-in for api.pwnedpasswords.com speaking its documented range protocol over https
 * with a certificate made at start: `GET /range/<5 hex>` answers `SUFFIX:COUNT` lines for
 * every hash under the prefix, with count-0 padding lines; anything else is a 404.
 */
export async function startRangeServer(breached: readonly string[]): Promise<RangeServer> {
  const hashes = breached.map(sha1Hex);
  const certificate = await makeTestCertificate(['127.0.0.1', 'localhost']);
  const dir = await mkdtemp(path.join(tmpdir(), 'coffer-range-ca-'));
  const caFile = path.join(dir, 'range-ca.pem');
  await writeFile(caFile, certificate.certPem);
  const requests: RangeRequest[] = [];
  const server = createServer(
    { key: certificate.keyPem, cert: certificate.certPem },
    (request, response) => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
      });
      const prefix = /^\/range\/([0-9A-F]{5})$/.exec(request.url ?? '')?.[1];
      if (request.method !== 'GET' || prefix === undefined) {
        response.writeHead(404).end();
        return;
      }
      const lines = [
        '0018A45C4D1DEF81644B54AB7F969B88D65:3',
        '00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0',
      ];
      for (const hash of hashes) if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:1234`);
      response.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile,
    caPem: certificate.certPem,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
