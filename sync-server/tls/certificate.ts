import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

import { generate } from 'selfsigned';

import { ConfigError } from '../config/server-config.js';

/**
 * The server's self-signed TLS certificate, made on the first start and reused after, so
 * its fingerprint — which clients pin — stays the same. Stored in `<dataDir>/tls/`
 * (`server.crt`, and `server.key` with mode 0600).
 *
 * It names every host clients may use: localhost, 127.0.0.1 and ::1, `--host` (unless it
 * is a wildcard such as 0.0.0.0) and the host of `--public-url`; IP addresses as IP SANs,
 * names as DNS SANs. When the host changes the stored certificate no longer fits, and the
 * server refuses to start rather than replace it: a new certificate has a new fingerprint,
 * which every client must pin again, so that is for the operator to do on purpose with
 * `new-certificate` (which prints the old and new fingerprints).
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

/** The stored certificate does not name the configured host: a configuration error (exit 2). */
export class CertificateHostError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateHostError';
  }
}

const ALWAYS_NAMED = ['localhost', '127.0.0.1', '::1'] as const;
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

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

/**
 * The names the certificate must carry for this configuration: the loopback names, the
 * listening host unless it is a wildcard, and the public URL's host. IPv6 without brackets.
 */
export function certificateNames(host: string, publicUrl?: string): string[] {
  const names: string[] = [...ALWAYS_NAMED];
  const add = (name: string): void => {
    const bare = name.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (bare !== '' && !WILDCARD_HOSTS.has(bare) && !names.includes(bare)) names.push(bare);
  };
  add(host);
  if (publicUrl !== undefined) add(new URL(publicUrl).hostname);
  return names;
}

/** The names of `names` the certificate does not cover (DNS by host name, IPs by IP SAN). */
export function uncoveredNames(certPem: string, names: readonly string[]): string[] {
  const x509 = new X509Certificate(certPem);
  return names.filter((name) =>
    isIP(name) === 0
      ? x509.checkHost(name, { subject: 'never' }) === undefined
      : x509.checkIP(name) === undefined,
  );
}

/** The subject alternative names as `DNS:…` / `IP:…` text would list them, for messages. */
export function describeNames(certPem: string): string {
  const alt = new X509Certificate(certPem).subjectAltName ?? '';
  return alt
    .split(', ')
    .map((entry) => entry.replace(/^DNS:/, '').replace(/^IP Address:/, ''))
    .map((entry) => (entry === '0:0:0:0:0:0:0:1' ? '::1' : entry))
    .join(', ');
}

/**
 * The stored certificate, or a new one on the first start. Throws CertificateHostError when
 * the stored one does not name every one of `names` (see the file comment for why).
 */
export async function loadOrCreateCertificate(
  dataDir: string,
  names: readonly string[],
): Promise<ServerCertificate & { created: boolean }> {
  const paths = certificatePaths(dataDir);
  const existing = await readExisting(paths);
  if (existing !== null) {
    const missing = uncoveredNames(existing.certPem, names);
    if (missing.length > 0) {
      throw new CertificateHostError(
        `The TLS certificate ${paths.cert} (${formatFingerprint(existing.fingerprint)}) is for ` +
          `${describeNames(existing.certPem)}, not for ${missing.join(', ')} (--host, ` +
          '--public-url). Clients pin its fingerprint, so it is not replaced on its own. To ' +
          'make one for the new host, stop the server and run: npm run server -- ' +
          'new-certificate with the same --data-dir, --host and --public-url; then give ' +
          'every client the new fingerprint it prints.',
      );
    }
    return { ...existing, created: false };
  }

  await fs.mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const generated = await generateCertificate(names);
  // Key first and exclusively: two starts racing must not end with mismatched files.
  await writeExclusive(paths.key, generated.keyPem, 0o600);
  await writeExclusive(paths.cert, generated.certPem, 0o644);
  return { ...generated, created: true };
}

/**
 * `new-certificate`: a new key and certificate for `names`, replacing the stored pair (each
 * file written aside, synced, then renamed over the old one). Returns the old fingerprint
 * (null when there was none) with the new certificate.
 */
export async function replaceCertificate(
  dataDir: string,
  names: readonly string[],
): Promise<{ previous: string | null; current: ServerCertificate }> {
  const paths = certificatePaths(dataDir);
  let previous: string | null = null;
  try {
    previous = (await readExisting(paths))?.fingerprint ?? null;
  } catch (_error) {
    // A broken or half-present pair is what a replacement is for.
  }
  await fs.mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const current = await generateCertificate(names);
  const staged = { key: `${paths.key}.new`, cert: `${paths.cert}.new` };
  await fs.rm(staged.key, { force: true });
  await fs.rm(staged.cert, { force: true });
  await writeExclusive(staged.key, current.keyPem, 0o600);
  await writeExclusive(staged.cert, current.certPem, 0o644);
  await fs.rename(staged.key, paths.key);
  await fs.rename(staged.cert, paths.cert);
  return { previous, current };
}

/** A fresh self-signed certificate naming `names` (see certificateNames). */
export async function generateCertificate(names: readonly string[]): Promise<ServerCertificate> {
  const commonName =
    names.find((n) => !(ALWAYS_NAMED as readonly string[]).includes(n)) ?? 'localhost';
  const altNames = names.map((name) =>
    isIP(name) === 0 ? { type: 2 as const, value: name } : { type: 7 as const, ip: name },
  );
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
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
    fingerprint = certificateFingerprint(certPem);
  } catch (_error) {
    throw new CertificateError(`${paths.cert} is not a valid PEM certificate.`);
  }
  let matches = false;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(keyPem));
  } catch (_error) {
    matches = false;
  }
  if (!matches) {
    throw new CertificateError(
      `${paths.key} is not the key of ${paths.cert}; restore the matching pair, or make a ` +
        'new one with new-certificate (clients will have to pin its new fingerprint).',
    );
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
