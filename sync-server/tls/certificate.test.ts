import { createHash, X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { certificatePaths, formatFingerprint, loadOrCreateCertificate } from './certificate.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'coffer-cert-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

describe('loadOrCreateCertificate', () => {
  it('makes a self-signed certificate for the host, localhost and loopback, key 0600', async () => {
    const made = await loadOrCreateCertificate(dataDir, 'coffer.example.test');
    expect(made.created).toBe(true);
    const paths = certificatePaths(dataDir);
    expect((await stat(paths.key)).mode & 0o777).toBe(0o600);
    const x509 = new X509Certificate(await readFile(paths.cert));
    expect(x509.subject).toBe('CN=coffer.example.test');
    expect(x509.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:coffer.example.test',
    );
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.checkHost('coffer.example.test')).toBe('coffer.example.test');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(made.fingerprint).toBe(createHash('sha256').update(x509.raw).digest('hex'));
    expect(formatFingerprint(made.fingerprint)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reuses the stored certificate on the next start', async () => {
    const first = await loadOrCreateCertificate(dataDir, '127.0.0.1');
    const second = await loadOrCreateCertificate(dataDir, '127.0.0.1');
    expect(second.created).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it('refuses a private key others can read, and a half-present pair', async () => {
    await loadOrCreateCertificate(dataDir, '127.0.0.1');
    const paths = certificatePaths(dataDir);
    await chmod(paths.key, 0o644);
    await expect(loadOrCreateCertificate(dataDir, '127.0.0.1')).rejects.toThrow(
      /accessible by other users/,
    );
    await chmod(paths.key, 0o600);
    await unlink(paths.cert);
    await expect(loadOrCreateCertificate(dataDir, '127.0.0.1')).rejects.toThrow(/Only one of/);
  });
});
