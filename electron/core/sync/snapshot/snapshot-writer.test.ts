import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import { setMeta } from '../../vault/vault-meta.js';
import { T0, createDevice, type Device } from '../apply/apply-test-kit.js';
import { packSettledSnapshot } from './snapshot-writer.js';

const WORKSPACE = uuidv7(T0);
const KEY = { workspaceId: WORKSPACE, version: 1, key: randomBytes(32) };

let devices: Device[] = [];
afterEach(() => {
  for (const d of devices) d.cleanup();
  devices = [];
});

async function syncedDevice(seq: number): Promise<Device> {
  const d = await createDevice();
  devices.push(d);
  d.accounts.create({ name: 'Checking', currency: 'EUR' });
  d.drain();
  d.vault.transaction(() => setMeta(d.vault.db, 'sync_pulled_seq', String(seq)));
  return d;
}

describe('packSettledSnapshot: only the state that is exactly the log through seq', () => {
  it('packs when the outbox is empty and the vault pulled through that seq', async () => {
    const d = await syncedDevice(12);
    const packed = packSettledSnapshot(d.vault, KEY, 12);
    expect(packed?.manifest).toMatchObject({ seq: 12, keyVersion: 1, chunkCount: 1 });
  });

  it('writes nothing while a change waits in the outbox', async () => {
    const d = await syncedDevice(12);
    d.accounts.create({ name: 'Savings', currency: 'EUR' });
    expect(packSettledSnapshot(d.vault, KEY, 12)).toBeNull();
  });

  it('writes nothing when the vault pulled to another seq, or an upload is unfinished', async () => {
    const d = await syncedDevice(12);
    expect(packSettledSnapshot(d.vault, KEY, 13)).toBeNull();
    d.vault.transaction(() => setMeta(d.vault.db, 'sync_upload', '{"from":null}'));
    expect(packSettledSnapshot(d.vault, KEY, 12)).toBeNull();
  });
});
