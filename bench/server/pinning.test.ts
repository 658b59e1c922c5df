import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHandshake,
  normaliseFingerprint,
  pinnedIdentityCheck,
  readPinnedCertificate,
  type PinnedCertificate,
} from './pinning.js';

const HEX = '0123456789abcdef'.repeat(4);

async function certificate(): Promise<{ cert: string; key: string; pin: PinnedCertificate }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const fingerprint = normaliseFingerprint(new X509Certificate(pems.cert).fingerprint256);
  return { cert: pems.cert, key: pems.private, pin: { pem: pems.cert, fingerprint } };
}

async function listen(options: tls.TlsOptions): Promise<{ url: string; server: tls.Server }> {
  const server = tls.createServer(options, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('normaliseFingerprint', () => {
  it('accepts the printed, the colon and the plain forms', () => {
    expect(normaliseFingerprint(`sha256:${HEX}`)).toBe(HEX);
    expect(normaliseFingerprint(HEX.toUpperCase().match(/../g)?.join(':') ?? '')).toBe(HEX);
    expect(() => normaliseFingerprint('sha256:abcd')).toThrow();
  });
});

describe('pinning against a real TLS server', () => {
  let ours: Awaited<ReturnType<typeof certificate>>;
  let other: Awaited<ReturnType<typeof certificate>>;
  let tls13: { url: string; server: tls.Server };
  let tls12: { url: string; server: tls.Server };
  let dataDir: string;

  beforeAll(async () => {
    [ours, other] = await Promise.all([certificate(), certificate()]);
    tls13 = await listen({ cert: ours.cert, key: ours.key, minVersion: 'TLSv1.3' });
    tls12 = await listen({ cert: ours.cert, key: ours.key, maxVersion: 'TLSv1.2' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-bench-pin-'));
    fs.mkdirSync(path.join(dataDir, 'tls'));
    fs.writeFileSync(path.join(dataDir, 'tls', 'server.crt'), ours.cert);
  });

  afterAll(() => {
    tls13.server.close();
    tls12.server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the certificate from the data dir only if it matches the printed fingerprint', () => {
    expect(readPinnedCertificate(dataDir, `sha256:${ours.pin.fingerprint}`)).toEqual(ours.pin);
    expect(() => readPinnedCertificate(dataDir, other.pin.fingerprint)).toThrow(/does not match/);
  });

  it('completes a TLS 1.3 handshake with the pinned certificate', async () => {
    await expect(checkHandshake(tls13.url, ours.pin)).resolves.toMatchObject({
      protocol: 'TLSv1.3',
    });
  });

  it('refuses a server with another certificate', async () => {
    await expect(checkHandshake(tls13.url, other.pin)).rejects.toThrow();
  });

  it('refuses a server that only speaks TLS 1.2', async () => {
    await expect(checkHandshake(tls12.url, ours.pin)).rejects.toThrow();
  });

  it('the identity check rejects another certificate even when its chain verified', () => {
    const check = pinnedIdentityCheck(ours.pin);
    const presented = {
      fingerprint256: other.pin.fingerprint.toUpperCase().match(/../g)?.join(':'),
      subjectaltname: 'IP Address:127.0.0.1',
      subject: { CN: '127.0.0.1' },
    } as unknown as PeerCertificate;
    expect(check('127.0.0.1', presented)).toBeInstanceOf(Error);
    const pinned: PeerCertificate = { ...presented, fingerprint256: ours.pin.fingerprint };
    expect(check('127.0.0.1', pinned)).toBeUndefined();
  });
});
