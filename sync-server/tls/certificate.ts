import { createHash, X509Certificate } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

import { generate } from 'selfsigned';

/**
 * The server's self-signed TLS certificate, made on the first start and reused after, so
 * its fingerprint — which clients pin — stays the same. Stored in `<dataDir>/tls/`
 * (`server.crt`, and `server.key` with mode 0600).
 */
export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, 64 lowercase hex characters. */
  fingerprint: string;
}

export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

const VALIDITY_YEARS = 10;

export function certificatePaths(dataDir: string): { dir: string; cert: string; key: string } {
  const dir = path.join(dataDir, 'tls');
  return { dir, cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
}

export function certificateFingerprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/** `fingerprint: sha256:<hex>` as start-up prints it and clients pin it. */
export function formatFingerprint(fingerprint: string): string {
  return `sha256:${fingerprint}`;
}

export async function loadOrCreateCertificate(
  dataDir: string,
  host: string,
): Promise<ServerCertificate & { created: boolean }> {
  const paths = certificatePaths(dataDir);
  const existing = await readExisting(paths);
  if (existing !== null) return { ...existing, created: false };

  await fs.mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const generated = await generateCertificate(host);
  // Key first and exclusively: two starts racing must not end with mismatched files.
  await writeExclusive(paths.key, generated.keyPem, 0o600);
  await writeExclusive(paths.cert, generated.certPem, 0o644);
  return { ...generated, created: true };
}

/** A fresh certificate for `host` (also valid for localhost, 127.0.0.1 and ::1). */
export async function generateCertificate(host: string): Promise<ServerCertificate> {
  const wildcard = host === '0.0.0.0' || host === '::';
  const commonName = wildcard ? 'localhost' : host;
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (!wildcard && host !== 'localhost' && host !== '127.0.0.1' && host !== '::1') {
    altNames.push(isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host });
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + VALIDITY_YEARS);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return {
    certPem: pems.cert,
    keyPem: pems.private,
    fingerprint: certificateFingerprint(pems.cert),
  };
}

async function readExisting(paths: {
  cert: string;
  key: string;
}): Promise<ServerCertificate | null> {
  const [certPem, keyPem] = await Promise.all([readIfPresent(paths.cert), readKey(paths.key)]);
  if (certPem === null && keyPem === null) return null;
  if (certPem === null || keyPem === null) {
    throw new CertificateError(
      `Only one of ${paths.cert} and ${paths.key} exists; restore the other or remove both ` +
        'to make a new certificate (clients will have to pin its new fingerprint).',
    );
  }
  let fingerprint: string;
  try {
    fingerprint = certificateFingerprint(certPem);
  } catch (_error) {
    throw new CertificateError(`${paths.cert} is not a valid PEM certificate.`);
  }
  return { certPem, keyPem, fingerprint };
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readKey(file: string): Promise<string | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & 0o077) !== 0) {
      throw new CertificateError(
        `The TLS private key ${file} is accessible by other users; run: chmod 600 ${file}`,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function writeExclusive(file: string, content: string, mode: number): Promise<void> {
  const handle = await fs.open(file, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
