import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { parseFingerprint } from '../../../electron/core/sync/client/pinned-agent.js';
import { nonLoopbackHost } from '../../../sync-server/test/support/network.js';
import { freshPostgresUrl } from '../../../sync-server/test/support/postgres-test-database.js';
import { spawnServerProcess } from '../../../sync-server/test/support/spawn-server-process.js';
import type { ServerProcess } from '../../../sync-server/test/support/spawn-server-process.js';
import { makeTestCertificate } from '../../../sync-server/test/support/test-certificate.js';
import { startNginxFront } from './start-nginx.js';
import type { NginxFront } from './start-nginx.js';

const execFileAsync = promisify(execFile);

export interface Deployment {
  /** The instances, `npm run server` processes on one PostgreSQL database. */
  instances: ServerProcess[];
  front: NginxFront;
  /** nginx's certificate, which clients pin. */
  certPem: string;
  /** Its SHA-256, as the sync client takes it. */
  fingerprint: string;
  /** The non-loopback address nginx listens on, which clients connect from. */
  clientHost: string;
  stop(): Promise<void>;
}

/** The flags each instance runs with, as docs/self-hosting.md shows them. */
export const INSTANCE_ARGS = [
  '--storage',
  'postgres',
  '--host',
  '127.0.0.1',
  '--port',
  '0',
  '--trust-proxy',
  '127.0.0.1',
] as const;

/** The environment each instance gets, as docs/self-hosting.md shows it. */
export function instanceEnv(databaseUrl: string, keyFile: string): Record<string, string> {
  return { COFFER_SERVER_DATABASE_URL: databaseUrl, COFFER_SERVER_KEY_FILE: keyFile };
}

/** How the certificate is given to each further instance, as docs/self-hosting.md shows it. */
export const COPY_TLS = ['cp', '-a'] as const;

/**
 * A deployment as docs/self-hosting.md describes it: `count` instances on one PostgreSQL
 * database (a fresh schema of the test cluster), sharing a master key, behind Debian's
 * nginx running the shipped build/nginx/coffer-sync.conf. nginx listens on a non-loopback
 * address of this machine, so the address the instances record tells whether
 * X-Forwarded-For was used.
 */
export async function startDeployment(count = 2): Promise<Deployment> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-deployment-'));
  const instances: ServerProcess[] = [];
  let front: NginxFront | undefined;
  const stop = async (): Promise<void> => {
    await front?.stop();
    for (const instance of instances.splice(0)) await instance.stop();
    await rm(root, { recursive: true, force: true });
  };
  try {
    const env = instanceEnv(await freshPostgresUrl(), path.join(root, 'master-key'));
    const names = Array.from({ length: count }, (_, n) => `instance-${n + 1}`);
    // One after the other: the first makes the master key and the certificate, which the
    // others are given (nginx trusts that one certificate for every instance).
    for (const [n, name] of names.entries()) {
      if (n > 0) {
        // The command docs/self-hosting.md gives the operator.
        await mkdir(path.join(root, name), { mode: 0o700 });
        await execFileAsync('cp', [
          '-a',
          path.join(root, names[0] ?? '', 'tls'),
          path.join(root, name, 'tls'),
        ]);
      }
      instances.push(
        await spawnServerProcess({
          dataDir: path.join(root, name),
          args: [...INSTANCE_ARGS],
          env,
          timeoutMs: 120_000,
        }),
      );
    }
    const instancesPem = await readFile(
      path.join(root, names[0] ?? '', 'tls', 'server.crt'),
      'utf8',
    );
    const { listenOn } = await nonLoopbackHost();
    const certificate = await makeTestCertificate([listenOn, 'localhost']);
    front = await startNginxFront({
      upstreamPorts: instances.map((instance) => instance.port),
      certPem: certificate.certPem,
      keyPem: certificate.keyPem,
      instancesPem,
      listenOn,
    });
    return {
      instances,
      front,
      certPem: certificate.certPem,
      fingerprint: parseFingerprint(
        `sha256:${new X509Certificate(certificate.certPem).fingerprint256}`,
      ),
      clientHost: listenOn,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
