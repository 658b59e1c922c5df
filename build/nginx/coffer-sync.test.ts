import https from 'node:https';
import { connect as tlsConnect } from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AccountApiClient } from '../../electron/core/sync/client/account-api.client.js';
import { SyncApiClient } from '../../electron/core/sync/client/sync-api.client.js';
import { SyncHttpClient } from '../../electron/core/sync/client/sync-http.client.js';
import { openSyncSocket } from '../../electron/core/sync/client/sync-socket.client.js';
import type { SeqAnnouncement } from '../../electron/core/sync/client/sync-socket.client.js';
import { decryptChange, encryptChange } from '../../electron/core/sync/crypto/change-cipher.js';
import { generateWorkspaceKey } from '../../electron/core/sync/crypto/workspace-key.js';
import { WorkspaceKeyring } from '../../electron/core/sync/crypto/workspace-keyring.js';
import { plainChange } from '../../sync-server/test/sync-support.js';
import { startDeployment } from './testing/deployment.js';
import type { Deployment } from './testing/deployment.js';
import type { NginxFront } from './testing/start-nginx.js';

const PASSWORD = 'harbour lantern quarry 61';

let deployment: Deployment;
let front: NginxFront;
let frontFingerprint: string;
let frontCertPem: string;
let clientHost: string;

beforeAll(async () => {
  deployment = await startDeployment(2);
  ({ front, fingerprint: frontFingerprint, certPem: frontCertPem, clientHost } = deployment);
}, 300_000);
afterAll(async () => deployment?.stop());

/** A sign-in through nginx that sends its own X-Forwarded-For; resolves with the status. */
function loginClaimingAddress(email: string, claimed: string): Promise<number> {
  const body = JSON.stringify({ email, password: PASSWORD, deviceName: 'Tablet' });
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${front.url}/v1/auth/login`,
      {
        method: 'POST',
        ca: frontCertPem,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'x-forwarded-for': claimed,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const client = (): SyncHttpClient =>
  new SyncHttpClient({ url: front.url, fingerprint: frontFingerprint });

describe(
  'nginx in front of two instances (build/nginx/coffer-sync.conf)',
  { timeout: 120_000 },
  () => {
    it('signs in, pushes through the proxy, and the other device hears it on the proxied WebSocket', async () => {
      const http = client();
      try {
        const accounts = new AccountApiClient(http);
        const email = `nginx-${process.pid}@example.test`;
        const laptop = await accounts.register(email, PASSWORD, 'Laptop');
        const phoneLogin = await accounts.login(email, PASSWORD, 'Phone');
        if (!('token' in phoneLogin)) throw new Error('login asked for a second factor');
        const workspace = await accounts.createWorkspace(
          laptop.token,
          Buffer.from('sealed name').toString('base64'),
        );
        const key = generateWorkspaceKey(workspace.id, 1);

        const heard: SeqAnnouncement[] = [];
        let announced: (announcement: SeqAnnouncement) => void = () => undefined;
        const firstAnnouncement = new Promise<SeqAnnouncement>((resolve) => (announced = resolve));
        let opened: () => void = () => undefined;
        const open = new Promise<void>((resolve) => (opened = resolve));
        const socket = openSyncSocket(
          { url: front.url, fingerprint: frontFingerprint },
          workspace.id,
          phoneLogin.token,
          {
            onOpen: () => opened(),
            onSeq: (announcement) => {
              heard.push(announcement);
              announced(announcement);
            },
            onEnd: (end) => {
              if (end.error !== undefined) opened();
            },
          },
        );
        try {
          await open;
          const change = plainChange('transactions', 'through nginx');
          const answer = await new SyncApiClient(http, laptop.token).push(workspace.id, [
            encryptChange(change, key),
          ]);
          expect(answer.results).toEqual([{ id: change.id, status: 'accepted', seq: 1 }]);

          const announcement = await firstAnnouncement;
          expect(announcement).toEqual({ seq: 1, epoch: answer.epoch });
          const page = await new SyncApiClient(http, phoneLogin.token).pull(workspace.id, 0);
          expect(page.changes).toHaveLength(1);
          const [pulled] = page.changes;
          if (pulled === undefined) throw new Error('no change pulled');
          expect(decryptChange(pulled, new WorkspaceKeyring(workspace.id, [key]))).toEqual(change);
        } finally {
          socket.close();
        }

        // The instances recorded the client's address from X-Forwarded-For (nginx is on
        // loopback; the client is not), and not the one the client claimed for itself.
        const claimed = await loginClaimingAddress(email, '203.0.113.9');
        expect(claimed).toBe(200);
        const sessions = await accounts.sessions(laptop.token);
        expect(sessions.map((session) => session.ip)).toEqual(sessions.map(() => clientHost));
        expect(sessions).toHaveLength(3);
        // nginx reached and trusted every instance: none was set aside as failing.
        expect(await front.errorLog()).not.toMatch(/upstream|verify/);
      } finally {
        http.close();
      }
    });

    it('refuses a TLS 1.2 client and speaks TLS 1.3', async () => {
      const attempt = (version: 'TLSv1.2' | 'TLSv1.3'): Promise<string> =>
        new Promise((resolve) => {
          const socket = tlsConnect({
            host: front.host,
            port: front.port,
            minVersion: version,
            maxVersion: version,
            rejectUnauthorized: false,
            servername: 'localhost',
          });
          socket.once('secureConnect', () => {
            resolve(socket.getProtocol() ?? 'none');
            socket.destroy();
          });
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code}`));
        });
      expect(await attempt('TLSv1.3')).toBe('TLSv1.3');
      expect(await attempt('TLSv1.2')).toMatch(/^refused: /);
    });
  },
);
