/**
 * Certificate pinning for every connection the bench makes: the server's self-signed
 * certificate is read from its data dir (`tls/server.crt`), its SHA-256 must equal the
 * fingerprint the server printed at start, it is the only CA trusted, and each handshake
 * must present exactly that certificate over TLS 1.3.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import https from 'node:https';
import * as path from 'node:path';
import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';

export interface PinnedCertificate {
  pem: string;
  /** SHA-256 of the DER certificate, 64 lowercase hex. */
  fingerprint: string;
}

/** `sha256:AB…`, `AB:CD:…` or plain hex → 64 lowercase hex characters. */
export function normaliseFingerprint(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha256:/i, '')
    .replace(/:/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('not a SHA-256 fingerprint');
  return hex;
}

export function certificatePath(dataDir: string): string {
  return path.join(dataDir, 'tls', 'server.crt');
}

/** Reads the certificate and checks it is the one whose fingerprint the server printed. */
export function readPinnedCertificate(
  dataDir: string,
  printedFingerprint: string,
): PinnedCertificate {
  const pem = fs.readFileSync(certificatePath(dataDir), 'utf8');
  const fingerprint = normaliseFingerprint(new X509Certificate(pem).fingerprint256);
  if (fingerprint !== normaliseFingerprint(printedFingerprint)) {
    throw new Error(
      `the certificate in ${certificatePath(dataDir)} does not match the fingerprint the server printed`,
    );
  }
  return { pem, fingerprint };
}

/**
 * A `checkServerIdentity` that accepts only the pinned certificate (and a matching host
 * name, as Node's default check does).
 */
export function pinnedIdentityCheck(
  pin: PinnedCertificate,
): (host: string, cert: PeerCertificate) => Error | undefined {
  return (host, cert) => {
    const presented = cert.fingerprint256 ? normaliseFingerprint(cert.fingerprint256) : '';
    if (presented !== pin.fingerprint) {
      return new Error('the server presented a certificate other than the pinned one');
    }
    return tls.checkServerIdentity(host, cert);
  };
}

/** TLS options for clients: TLS 1.3 only, the pinned certificate as the only CA. */
export function pinnedTlsOptions(pin: PinnedCertificate): tls.ConnectionOptions {
  return {
    ca: pin.pem,
    minVersion: 'TLSv1.3',
    rejectUnauthorized: true,
    checkServerIdentity: pinnedIdentityCheck(pin),
  };
}

/** A keep-alive agent that only talks to the pinned server over TLS 1.3. */
export function pinnedAgent(pin: PinnedCertificate, maxSockets: number): https.Agent {
  return new https.Agent({ ...pinnedTlsOptions(pin), keepAlive: true, maxSockets });
}

/** One handshake: proves the server speaks TLS 1.3 with the pinned certificate. */
export function checkHandshake(
  url: string,
  pin: PinnedCertificate,
): Promise<{ protocol: string; cipher: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...pinnedTlsOptions(pin), host: hostname, port: Number(port) });
    socket.once('secureConnect', () => {
      const protocol = socket.getProtocol() ?? 'unknown';
      const cipher = socket.getCipher().name;
      socket.end();
      if (protocol !== 'TLSv1.3')
        reject(new Error(`the server negotiated ${protocol}, not TLSv1.3`));
      else resolve({ protocol, cipher });
    });
    socket.once('error', reject);
  });
}
