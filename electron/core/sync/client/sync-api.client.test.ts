import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Change } from '../../../../shared/sync/change.js';
import { decryptChange, encryptChange } from '../crypto/change-cipher.js';
import { generateWorkspaceKey } from '../crypto/workspace-key.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { parseFingerprint } from './pinned-agent.js';
import { SyncApiClient } from './sync-api.client.js';
import { SyncHttpClient } from './sync-http.client.js';
import { startSyncServerProcess } from './testing/sync-server-process.js';
import type { SyncServerProcess } from './testing/sync-server-process.js';

let server: SyncServerProcess;
beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const change = (payee: string): Change => ({
  id: randomUUID(),
  collection: 'transactions',
  recordId: randomUUID(),
  op: 'upsert',
  fields: { payee, amount: 12_34 },
  base: {},
  hlc: '001764950000000:000001:device-a',
  deviceId: 'device-a',
});

describe('SyncApiClient', () => {
  it('pushes encrypted changes and pulls them back in seq order, over the pinned client', async () => {
    const http = new SyncHttpClient({
      url: server.url,
      fingerprint: parseFingerprint(server.fingerprint),
    });
    try {
      const grant = await http.request<{ token: string }>('POST', '/v1/auth/register', {
        body: {
          email: `push-${process.pid}@example.test`,
          password: 'violet anchor meadow 42',
          deviceName: 'Laptop',
        },
      });
      const workspace = await http.request<{ id: string }>('POST', '/v1/workspaces', {
        token: grant.token,
        body: { nameBlob: Buffer.from('sealed').toString('base64') },
      });
      const key = generateWorkspaceKey(workspace.id, 1);
      const sent = [change('Bakery'), change('Garage')];
      const envelopes = sent.map((c) => encryptChange(c, key));
      const api = new SyncApiClient(http, grant.token);

      const pushed = await api.push(workspace.id, envelopes);
      expect(pushed.results.map((r) => [r.status, r.seq])).toEqual([
        ['accepted', 1],
        ['accepted', 2],
      ]);
      // A retry of the same bytes is answered with the same seqs.
      expect((await api.push(workspace.id, envelopes)).results.map((r) => r.seq)).toEqual([1, 2]);

      const first = await api.pull(workspace.id, 0, 1);
      expect([first.changes.map((c) => c.seq), first.more, first.nextAfter]).toEqual([
        [1],
        true,
        1,
      ]);
      const rest = await api.pull(workspace.id, first.nextAfter);
      expect(rest.more).toBe(false);
      const keyring = new WorkspaceKeyring(workspace.id, [key]);
      const received = [...first.changes, ...rest.changes].map(({ seq: _seq, ...envelope }) =>
        decryptChange(envelope, keyring),
      );
      expect(received).toEqual(sent);
    } finally {
      http.close();
    }
  });
});
