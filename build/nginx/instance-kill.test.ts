import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isCofferError } from '../../shared/errors/coffer-error.js';
import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import { AccountApiClient } from '../../electron/core/sync/client/account-api.client.js';
import { SyncApiClient } from '../../electron/core/sync/client/sync-api.client.js';
import type { PullPage } from '../../electron/core/sync/client/sync-api.client.js';
import { SyncHttpClient } from '../../electron/core/sync/client/sync-http.client.js';
import { encryptChange } from '../../electron/core/sync/crypto/change-cipher.js';
import { generateWorkspaceKey } from '../../electron/core/sync/crypto/workspace-key.js';
import { plainChange } from '../../sync-server/test/sync-support.js';
import { startDeployment } from './testing/deployment.js';
import type { Deployment } from './testing/deployment.js';

/**
 * One of two instances behind nginx killed with SIGKILL while three devices push through
 * nginx with the app's sync client. A device whose push failed (the connection broke, or
 * nginx answered 502 for the dead instance) sends the same batch again, and nginx takes it
 * to the instance still running. Deterministic: the kill follows the Nth acknowledged push.
 */
const PASSWORD = 'meadow cobalt lantern 73';
const DEVICES = 3;
const BATCHES_PER_DEVICE = 12;
const CHANGES_PER_BATCH = 20;
const KILL_AFTER_ACKED_PUSHES = 4;

let deployment: Deployment;
beforeAll(async () => {
  deployment = await startDeployment(2);
}, 300_000);
afterAll(async () => deployment?.stop());

const connect = (): SyncHttpClient =>
  new SyncHttpClient({ url: deployment.front.url, fingerprint: deployment.fingerprint });

/** A refusal the device waits out and retries; anything else fails the test. */
const isTransient = (error: unknown): boolean =>
  isCofferError(error) && (error.code === 'SERVER_UNREACHABLE' || error.code === 'SERVER_ERROR');

interface Device {
  token: string;
  batches: ChangeEnvelope[][];
  failedAttempts: number;
}

describe('an instance killed during pushes', { timeout: 300_000 }, () => {
  it('loses and doubles nothing: the devices retry through nginx to the other instance', async () => {
    const http = connect();
    const accounts = new AccountApiClient(http);
    const email = `kill-${process.pid}@example.test`;
    const owner = await accounts.register(email, PASSWORD, 'device 0');
    const workspace = await accounts.createWorkspace(
      owner.token,
      Buffer.from('sealed name').toString('base64'),
    );
    const key = generateWorkspaceKey(workspace.id, 1);
    const devices: Device[] = [];
    for (let n = 0; n < DEVICES; n++) {
      let token = owner.token;
      if (n > 0) {
        const answer = await accounts.login(email, PASSWORD, `device ${n}`);
        if (!('token' in answer)) throw new Error('login asked for a second factor');
        token = answer.token;
      }
      devices.push({
        token,
        batches: Array.from({ length: BATCHES_PER_DEVICE }, (_, b) =>
          Array.from({ length: CHANGES_PER_BATCH }, (_, c) =>
            encryptChange(plainChange('transactions', `d${n} b${b} c${c}`), key),
          ),
        ),
        failedAttempts: 0,
      });
    }

    const [victim] = deployment.instances;
    if (victim === undefined) throw new Error('no instance');
    const acknowledged = new Map<string, number>();
    let ackedPushes = 0;
    let killed: Promise<unknown> | undefined;
    const push = async (device: Device): Promise<void> => {
      const client = connect();
      try {
        const api = new SyncApiClient(client, device.token);
        for (const batch of device.batches) {
          for (;;) {
            try {
              const answer = await api.push(workspace.id, batch);
              for (const result of answer.results) {
                expect(result.status).toBe('accepted');
                const known = acknowledged.get(result.id);
                // A change sent again is answered with the seq it got the first time.
                if (known !== undefined) expect(result.seq).toBe(known);
                acknowledged.set(result.id, result.seq ?? -1);
              }
              ackedPushes += 1;
              if (ackedPushes === KILL_AFTER_ACKED_PUSHES) killed = victim.stop('SIGKILL');
              break;
            } catch (error) {
              if (!isTransient(error)) throw error;
              device.failedAttempts += 1;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
        }
      } finally {
        client.close();
      }
    };
    await Promise.all(devices.map(push));
    expect(await killed).toMatchObject({ signal: 'SIGKILL' });

    const all: PullPage['changes'] = [];
    const reader = new SyncApiClient(http, owner.token);
    for (let after = 0; ;) {
      const page = await reader.pull(workspace.id, after);
      all.push(...page.changes);
      after = page.nextAfter;
      if (!page.more) break;
    }
    http.close();

    const written = devices.flatMap((device) => device.batches.flat());
    expect(all).toHaveLength(written.length);
    expect(all.map((change) => change.seq)).toEqual(all.map((_, n) => n + 1));
    // Each change once, byte for byte as its device sent it, at the seq it was told.
    const byId = new Map(all.map((change) => [change.id, change]));
    for (const envelope of written) {
      const stored = byId.get(envelope.id);
      expect(stored).toEqual({ ...envelope, seq: acknowledged.get(envelope.id) });
    }
  });
});
