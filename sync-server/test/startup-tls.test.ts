import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

import { describe, expect, it } from 'vitest';

import { nonLoopbackHost } from './support/network.js';
import { runServerCommand, spawnServerProcess } from './support/spawn-server-process.js';
import { startTestServer } from './support/start-test-server.js';

// `npm run server` as an operator runs it (main.ts in a child process), for what only the
// command shows: the printed fingerprint and certificate lines, and exit status 2.

const SLOW = { timeoutMs: 90_000 };

async function scratch(onFinished: (fn: () => Promise<void>) => void): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-startup-tls-'));
  onFinished(() => rm(root, { recursive: true, force: true }));
  return path.join(root, 'data');
}

/** The SHA-256 fingerprint and certificate a TLS client sees at host:port (pinned CA). */
function presented(host: string, port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host, port, ca, ...(isIP(host) ? {} : { servername: host }) },
      () => {
        const raw = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(raw.replaceAll(':', '').toLowerCase());
      },
    );
    socket.once('error', reject);
  });
}

describe('the TLS certificate follows --host', { timeout: 300_000 }, () => {
  it('refuses a host the stored certificate does not name (exit 2); new-certificate makes one', async ({
    onTestFinished,
  }) => {
    const dataDir = await scratch(onTestFinished);
    const other = (await nonLoopbackHost()).urlHost;
    const certFile = path.join(dataDir, 'tls', 'server.crt');

    // First start on 127.0.0.1 (also: an https --hibp-url is accepted).
    const first = await spawnServerProcess({
      dataDir,
      args: ['--port', '0', '--host', '127.0.0.1', '--hibp-url', 'https://127.0.0.1:1'],
      ...SLOW,
    });
    onTestFinished(async () => {
      await first.stop('SIGKILL');
    });
    expect(first.stdout).toContain(`fingerprint: sha256:${first.fingerprint}`);
    expect(first.stdout).toContain(
      'certificate: new, for localhost, 127.0.0.1, ::1; clients must pin the fingerprint above',
    );
    expect((await first.stop()).code).toBe(0);
    const firstCert = await readFile(certFile, 'utf8');

    // Restarted on another host: a clear error, status 2, the certificate untouched.
    const refused = await runServerCommand({
      dataDir,
      args: ['--port', '0', '--host', other],
      ...SLOW,
    });
    expect(refused.code).toBe(2);
    expect(refused.stdout).not.toMatch(/listening on/);
    expect(refused.stderr).toContain(
      `(sha256:${first.fingerprint}) is for localhost, 127.0.0.1, ::1`,
    );
    expect(refused.stderr).toContain(`not for ${other}`);
    expect(refused.stderr).toContain('new-certificate');
    expect(await readFile(certFile, 'utf8')).toBe(firstCert);

    // The operator makes a new one on purpose; it prints the old and the new fingerprint.
    const made = await runServerCommand({
      dataDir,
      args: ['new-certificate', '--host', other],
      ...SLOW,
    });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const lines = made.stdout.trim().split('\n');
    expect(lines[0]).toBe(`replaced: sha256:${first.fingerprint}`);
    const newFingerprint = /^fingerprint: sha256:([0-9a-f]{64})$/.exec(lines[1] ?? '')?.[1];
    expect(newFingerprint).toBeDefined();
    expect(newFingerprint).not.toBe(first.fingerprint);
    expect(lines[2]).toBe(`certificate: new, for localhost, 127.0.0.1, ::1, ${other}`);

    const newCert = await readFile(certFile, 'utf8');
    const san = new X509Certificate(newCert).subjectAltName ?? '';
    expect(san).toContain(isIP(other) === 0 ? `DNS:${other}` : `IP Address:${other}`);

    // It starts on the new host with that fingerprint, and a client checking the host name
    // against the certificate accepts it.
    const second = await spawnServerProcess({
      dataDir,
      args: ['--port', '0', '--host', other],
      ...SLOW,
    });
    onTestFinished(async () => {
      await second.stop('SIGKILL');
    });
    expect(second.fingerprint).toBe(newFingerprint);
    expect(second.stdout).toContain(`certificate: for localhost, 127.0.0.1, ::1, ${other}`);
    expect(await presented(other, second.port, newCert)).toBe(newFingerprint);
    expect((await second.stop()).code).toBe(0);
  });

  it('names the --public-url host in the certificate', async () => {
    const server = await startTestServer({
      config: { publicUrl: 'https://coffer.example.test:8443' },
    });
    try {
      const x509 = new X509Certificate(server.ca);
      expect(x509.subjectAltName).toBe(
        'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:coffer.example.test',
      );
      expect(x509.checkHost('coffer.example.test')).toBe('coffer.example.test');
    } finally {
      await server.close();
    }
  });
});

describe('outgoing TLS settings', { timeout: 120_000 }, () => {
  it('refuses a plain-http --hibp-url and an unreadable --trust-ca with status 2', async ({
    onTestFinished,
  }) => {
    const dataDir = await scratch(onTestFinished);
    const http = await runServerCommand({
      dataDir,
      args: ['--port', '0', '--hibp-url', 'http://api.pwnedpasswords.com'],
      ...SLOW,
    });
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('--hibp-url must be a URL starting with https://');

    const viaEnv = await runServerCommand({
      dataDir,
      args: ['--port', '0'],
      env: { COFFER_SERVER_HIBP_URL: 'http://127.0.0.1:9999' },
      ...SLOW,
    });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('--hibp-url must be a URL starting with https://');

    const missing = path.join(path.dirname(dataDir), 'no-such-ca.pem');
    const trust = await runServerCommand({
      dataDir,
      args: ['--port', '0', '--trust-ca', missing],
      ...SLOW,
    });
    expect(trust.code).toBe(2);
    expect(trust.stderr).toContain(`--trust-ca ${missing} cannot be read (ENOENT)`);
    expect(trust.stdout).not.toMatch(/listening on/);
  });
});
