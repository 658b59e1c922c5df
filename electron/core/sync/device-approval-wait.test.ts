import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AccountApiClient } from './client/account-api.client.js';
import type { SessionGrant } from './client/account-api.client.js';
import { DeviceApprovalApiClient } from './client/device-approval-api.client.js';
import { parseFingerprint } from './client/pinned-agent.js';
import { SyncHttpClient } from './client/sync-http.client.js';
import type { SyncServerProcess } from './client/testing/sync-server-process.js';
import { startSyncServerProcess } from './client/testing/sync-server-process.js';
import { generateUserKey, sealUserKeyToDevice, sealUserKeyToRecovery } from './crypto/user-key.js';
import type { UserKey, UserKeyLabel } from './crypto/user-key.js';
import { generateX25519KeyPair } from './crypto/x25519-key-pair.js';
import { awaitDeviceApproval } from './device-approval-wait.js';
import { DeviceApprovals } from './device-approvals.js';

/**
 * Device approval against a server that misbehaves: the real server in a child process, the
 * new device's and the approving device's code in this process, and the server's database
 * altered between the two, as a malicious or broken server would.
 */
const PASSWORD = 'cobalt meadow lantern 31';

let server: SyncServerProcess;
let http: SyncHttpClient;
let approvalsApi: DeviceApprovalApiClient;
let laptop: SessionGrant;
let desktop: SessionGrant;
let userKey: UserKey;
let expected: UserKeyLabel;

function onServer<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(server.dataDir, 'coffer-server.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const stateOf = (id: string): string =>
  onServer(
    (db) => db.prepare('SELECT state FROM device_approvals WHERE id = ?').pluck().get(id) as string,
  );

beforeAll(async () => {
  server = await startSyncServerProcess();
  http = new SyncHttpClient({ url: server.url, fingerprint: parseFingerprint(server.fingerprint) });
  const api = new AccountApiClient(http);
  approvalsApi = new DeviceApprovalApiClient(http);
  const email = `approval-wait-${process.pid}@example.test`;
  laptop = await api.register(email, PASSWORD, 'Laptop');
  userKey = generateUserKey(laptop.user.id, 1);
  const recovery = generateX25519KeyPair();
  await api.putUserKey(laptop.token, {
    version: 1,
    publicKey: userKey.pair.publicKey.toString('base64url'),
    recoveryPublicKey: recovery.publicKey.toString('base64url'),
    recoveryBlob: sealUserKeyToRecovery(userKey, recovery.publicKey).toString('base64url'),
  });
  const device = generateX25519KeyPair();
  await api.putDeviceKey(laptop.token, {
    publicKey: device.publicKey.toString('base64url'),
    userKeyVersion: 1,
    sealedUserKey: sealUserKeyToDevice(userKey, laptop.sessionId, device.publicKey).toString(
      'base64url',
    ),
  });
  const second = await api.login(email, PASSWORD, 'Desktop');
  if ('mfaRequired' in second) throw new Error('the account has no second factor');
  desktop = second;
  expected = { userId: laptop.user.id, version: 1, publicKey: userKey.pair.publicKey };
}, 120_000);
afterAll(async () => {
  http?.close();
  await server?.stop();
});

const approver = () => new DeviceApprovals(approvalsApi, laptop.token, userKey, Date.now);
const stepUp = () => new AccountApiClient(http).stepUp(laptop.token, PASSWORD);

describe('device approval with a server that alters what it relays', { timeout: 120_000 }, () => {
  it('a device key the server swaps in gives the approving device another code; sealed to it anyway, the box opens nowhere on the new device', async () => {
    let mismatch: unknown;
    const waited = awaitDeviceApproval(approvalsApi, desktop.token, expected, {
      pollMs: 20,
      async onCode({ id, code }) {
        const swapped = generateX25519KeyPair();
        onServer((db) =>
          db
            .prepare('UPDATE device_approvals SET device_public_key = ? WHERE id = ?')
            .run(swapped.publicKey, id),
        );
        const listed = (await approver().pending()).find((r) => r.id === id);
        expect(listed?.code).toBeDefined();
        expect(listed?.code).not.toBe(code);
        // The user types the code the new device shows: refused, nothing sent.
        mismatch = await approver()
          .approve(id, code, stepUp)
          .catch((error: unknown) => error);
        expect(stateOf(id)).toBe('pending');
        // A user who types the approving device's own code seals to the server's key.
        await approver().approve(id, listed?.code ?? '', stepUp);
        expect(stateOf(id)).toBe('approved');
      },
    });
    await expect(waited).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    expect(mismatch).toMatchObject({ code: 'APPROVAL_CODE_MISMATCH' });
  });

  it('a box the server alters after an honest approval is refused, never opened to a key', async () => {
    const waited = awaitDeviceApproval(approvalsApi, desktop.token, expected, {
      pollMs: 20,
      async onCode({ id, code }) {
        await approver().approve(id, code, stepUp);
        onServer((db) => {
          const box = db
            .prepare('SELECT sealed_user_key FROM device_approvals WHERE id = ?')
            .pluck()
            .get(id) as Buffer;
          const altered = Buffer.from(box);
          altered[altered.length - 1] = (altered.at(-1) ?? 0) ^ 0x01;
          db.prepare('UPDATE device_approvals SET sealed_user_key = ? WHERE id = ?').run(
            altered,
            id,
          );
        });
      },
    });
    await expect(waited).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
  });

  it('an honest approval opens to the user key the server lists', async () => {
    const result = await awaitDeviceApproval(approvalsApi, desktop.token, expected, {
      pollMs: 20,
      async onCode({ id, code }) {
        await approver().approve(id, code, stepUp);
      },
    });
    expect(result.userKey.pair.publicKey.equals(userKey.pair.publicKey)).toBe(true);
  });

  it('a cancelled wait ends with SIGN_IN_CANCELLED while the request is still pending, and keeps nothing', async () => {
    const cancel = new AbortController();
    let requestId = '';
    const waited = awaitDeviceApproval(approvalsApi, desktop.token, expected, {
      // A long pause between looks: only the signal can end this wait within the test.
      pollMs: 600_000,
      signal: cancel.signal,
      onCode({ id }) {
        requestId = id;
      },
      onWaiting() {
        cancel.abort();
      },
    });
    await expect(waited).rejects.toMatchObject({ code: 'SIGN_IN_CANCELLED' });
    expect(stateOf(requestId)).toBe('pending');
  });
});
