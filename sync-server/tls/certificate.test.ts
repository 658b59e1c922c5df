import { createHash, X509Certificate } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, readdir, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError } from '../config/server-config.js';
import {
  CertificateHostError,
  certificateNames,
  certificatePaths,
  formatFingerprint,
  loadOrCreateCertificate,
  replaceCertificate,
} from './certificate.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'coffer-cert-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

describe('certificateNames', () => {
  it('names loopback, the listening host and the public URL host, once each', () => {
    expect(certificateNames('127.0.0.1')).toEqual(LOOPBACK);
    expect(certificateNames('Coffer.Example.Test')).toEqual([...LOOPBACK, 'coffer.example.test']);
    expect(certificateNames('192.0.2.10', 'https://coffer.example.test:8443/')).toEqual([
      ...LOOPBACK,
      '192.0.2.10',
      'coffer.example.test',
    ]);
    expect(certificateNames('fd00::5', 'https://[fd00::6]:8443')).toEqual([
      ...LOOPBACK,
      'fd00::5',
      'fd00::6',
    ]);
  });

  it('leaves out wildcard listen addresses, which no client connects to', () => {
    expect(certificateNames('0.0.0.0')).toEqual(LOOPBACK);
    expect(certificateNames('::', 'https://coffer.example.test')).toEqual([
      ...LOOPBACK,
      'coffer.example.test',
    ]);
  });
});

describe('loadOrCreateCertificate', () => {
  it('makes a self-signed certificate for the host, localhost and loopback, key 0600', async () => {
    const made = await loadOrCreateCertificate(dataDir, certificateNames('coffer.example.test'));
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

  it('puts an IP host in an IP SAN, not a DNS one', async () => {
    const made = await loadOrCreateCertificate(dataDir, certificateNames('192.0.2.10'));
    const x509 = new X509Certificate(made.certPem);
    expect(x509.subjectAltName).toContain('IP Address:192.0.2.10');
    expect(x509.subjectAltName).not.toContain('DNS:192.0.2.10');
    expect(x509.checkIP('192.0.2.10')).toBe('192.0.2.10');
  });

  it('reuses the stored certificate on the next start', async () => {
    const first = await loadOrCreateCertificate(dataDir, LOOPBACK);
    const second = await loadOrCreateCertificate(dataDir, LOOPBACK);
    expect(second.created).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it('refuses to start on a certificate that does not name the new host, and changes nothing', async () => {
    const first = await loadOrCreateCertificate(dataDir, certificateNames('127.0.0.1'));
    const paths = certificatePaths(dataDir);
    const before = await readFile(paths.cert, 'utf8');
    for (const names of [
      certificateNames('192.0.2.10'),
      certificateNames('coffer.example.test'),
      certificateNames('127.0.0.1', 'https://coffer.example.test'),
    ]) {
      const attempt = loadOrCreateCertificate(dataDir, names);
      await expect(attempt).rejects.toThrow(CertificateHostError);
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(
        `(sha256:${first.fingerprint}) is for localhost, 127.0.0.1, ::1, not for ${names.at(-1) ?? ''}`,
      );
      await expect(attempt).rejects.toThrow(/new-certificate/);
    }
    expect(await readFile(paths.cert, 'utf8')).toBe(before);
  });

  it('accepts a certificate that names more than is asked (e.g. after --public-url is dropped)', async () => {
    const first = await loadOrCreateCertificate(
      dataDir,
      certificateNames('192.0.2.10', 'https://coffer.example.test'),
    );
    const again = await loadOrCreateCertificate(dataDir, certificateNames('192.0.2.10'));
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it('refuses a private key others can read, a half-present pair and a key of another certificate', async () => {
    await loadOrCreateCertificate(dataDir, LOOPBACK);
    const paths = certificatePaths(dataDir);
    await chmod(paths.key, 0o644);
    await expect(loadOrCreateCertificate(dataDir, LOOPBACK)).rejects.toThrow(
      /accessible by other users/,
    );
    await chmod(paths.key, 0o600);

    const other = await mkdtemp(path.join(tmpdir(), 'coffer-cert-other-'));
    try {
      await loadOrCreateCertificate(other, LOOPBACK);
      await copyFile(certificatePaths(other).key, paths.key);
      await expect(loadOrCreateCertificate(dataDir, LOOPBACK)).rejects.toThrow(/is not the key of/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }

    await unlink(paths.cert);
    await expect(loadOrCreateCertificate(dataDir, LOOPBACK)).rejects.toThrow(/Only one of/);
  });
});

describe('replaceCertificate (new-certificate)', () => {
  it('makes a new pair for the new names and reports the old fingerprint', async () => {
    const old = await loadOrCreateCertificate(dataDir, certificateNames('127.0.0.1'));
    const names = certificateNames('192.0.2.10');
    const { previous, current } = await replaceCertificate(dataDir, names);
    expect(previous).toBe(old.fingerprint);
    expect(current.fingerprint).not.toBe(old.fingerprint);

    const loaded = await loadOrCreateCertificate(dataDir, names);
    expect(loaded.created).toBe(false);
    expect(loaded.fingerprint).toBe(current.fingerprint);
    const paths = certificatePaths(dataDir);
    expect((await stat(paths.key)).mode & 0o777).toBe(0o600);
    expect((await readdir(paths.dir)).sort()).toEqual(['server.crt', 'server.key']);
  });

  it('also works where there was no certificate yet', async () => {
    const { previous, current } = await replaceCertificate(dataDir, LOOPBACK);
    expect(previous).toBeNull();
    expect((await loadOrCreateCertificate(dataDir, LOOPBACK)).fingerprint).toBe(
      current.fingerprint,
    );
  });
});
