import { randomBytes, randomUUID } from 'node:crypto';

import { afterEach, beforeEach, expect, it } from 'vitest';

import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import { describeStorage } from '../test/support/storage-backends.js';
import { EPOCH_ID_META } from './change-log.repository.js';
import type { Storage } from './storage.js';

let storage: Storage;
const origin = { userId: 'u1', sessionId: 's1', receivedAt: 1_000 };

const envelope = (ciphertextBytes = 32): ChangeEnvelope => ({
  id: randomUUID(),
  collection: 'transactions',
  keyVersion: 1,
  nonce: randomBytes(12).toString('base64url'),
  ciphertext: randomBytes(ciphertextBytes).toString('base64url'),
});

describeStorage('ChangeLogRepository', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
    await storage.users.create({
      id: 'u1',
      emailLookup: 'lookup-u1',
      emailSealed: 'sealed',
      passwordHash: 'hash',
      createdAt: 1,
      updatedAt: 1,
      passwordChangedAt: 1,
    });
    await storage.sessions.create({
      id: 's1',
      userId: 'u1',
      tokenHash: 'token-hash',
      deviceName: 'laptop',
      platform: 'linux',
      ip: '127.0.0.1',
      userAgent: 'test',
      createdAt: 1,
      lastSeenAt: 1,
      elevatedUntil: null,
      revokedAt: null,
      revokedReason: null,
    });
    for (const id of ['w1', 'w2']) {
      await storage.workspaces.create(
        {
          id,
          nameBlob: 'bmFtZQ==',
          createdAt: 1,
          policy: { requireMfa: false, forbidEmailOtp: false },
        },
        { userId: 'u1', joinedAt: 1 },
      );
    }
  });
  afterEach(async () => storage.close());

  it('numbers changes from 1 per workspace, in the order given', async () => {
    const a = envelope();
    const b = envelope();
    const c = envelope();
    expect(await storage.changeLog.headSeq('w1')).toBe(0);
    expect(await storage.changeLog.append('w1', [a, b], origin)).toEqual([
      { status: 'appended', seq: 1 },
      { status: 'appended', seq: 2 },
    ]);
    expect(await storage.changeLog.append('w2', [c], origin)).toEqual([
      { status: 'appended', seq: 1 },
    ]);
    expect(await storage.changeLog.headSeq('w1')).toBe(2);
    const page = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 10,
      maxCiphertextChars: 1_000_000,
    });
    expect(page).toEqual({
      changes: [
        { ...a, seq: 1 },
        { ...b, seq: 2 },
      ],
      more: false,
    });
  });

  it('reports a known id as duplicate with its seq, or as conflict when its bytes differ', async () => {
    const original = envelope();
    await storage.changeLog.append('w1', [original], origin);
    const otherCiphertext = { ...original, ciphertext: envelope().ciphertext };
    const otherNonce = { ...original, nonce: envelope().nonce };
    const otherVersion = { ...original, keyVersion: 2 };
    const otherCollection = { ...original, collection: 'clients' as const };
    expect(
      await storage.changeLog.append(
        'w1',
        [original, otherCiphertext, otherNonce, otherVersion, otherCollection],
        origin,
      ),
    ).toEqual([
      { status: 'duplicate', seq: 1 },
      { status: 'conflict' },
      { status: 'conflict' },
      { status: 'conflict' },
      { status: 'conflict' },
    ]);
    // The same id in another workspace is another change.
    expect(await storage.changeLog.append('w2', [original], origin)).toEqual([
      { status: 'appended', seq: 1 },
    ]);
    const page = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 10,
      maxCiphertextChars: 1_000_000,
    });
    expect(page.changes).toEqual([{ ...original, seq: 1 }]);
  });

  it('pages by count and by ciphertext characters, always at least one change', async () => {
    // 300 bytes are 400 base64url characters.
    const changes = Array.from({ length: 5 }, () => envelope(300));
    await storage.changeLog.append('w1', changes, origin);
    const byCount = await storage.changeLog.listAfter('w1', 1, {
      maxChanges: 2,
      maxCiphertextChars: 1_000_000,
    });
    expect(byCount.changes.map((c) => c.seq)).toEqual([2, 3]);
    expect(byCount.more).toBe(true);
    const byChars = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 10,
      maxCiphertextChars: 1_000,
    });
    expect(byChars.changes.map((c) => c.seq)).toEqual([1, 2]);
    expect(byChars.more).toBe(true);
    const oversized = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 10,
      maxCiphertextChars: 100,
    });
    expect(oversized.changes.map((c) => c.seq)).toEqual([1]);
    const tail = await storage.changeLog.listAfter('w1', 4, {
      maxChanges: 10,
      maxCiphertextChars: 400,
    });
    expect(tail).toEqual({ changes: [{ ...changes[4], seq: 5 }], more: false });
  });

  it('treats an id repeated within one batch as the duplicate or conflict it is', async () => {
    const first = envelope();
    const changed = { ...envelope(), id: first.id };
    expect(
      await storage.changeLog.append('w1', [first, first, changed, envelope()], origin),
    ).toEqual([
      { status: 'appended', seq: 1 },
      { status: 'duplicate', seq: 1 },
      { status: 'conflict' },
      { status: 'appended', seq: 2 },
    ]);
    expect(await storage.changeLog.headSeq('w1')).toBe(2);
  });

  it('keeps the highest key version an envelope may carry', async () => {
    const change = { ...envelope(), keyVersion: 0xffff_ffff };
    await storage.changeLog.append('w1', [change], origin);
    const page = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 10,
      maxCiphertextChars: 1e6,
    });
    expect(page.changes).toEqual([{ ...change, seq: 1 }]);
  });

  it('rolls back with the transaction it joins', async () => {
    await expect(
      storage.transaction(async () => {
        await storage.changeLog.append('w1', [envelope()], origin);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await storage.changeLog.headSeq('w1')).toBe(0);
    expect(await storage.changeLog.append('w1', [envelope()], origin)).toEqual([
      { status: 'appended', seq: 1 },
    ]);
  });

  it('keeps a workspace’s changes when the user who pushed them is deleted', async () => {
    await storage.changeLog.append('w1', [envelope()], origin);
    await storage.users.delete('u1');
    const page = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 10,
      maxCiphertextChars: 1e6,
    });
    expect(page.changes).toHaveLength(1);
  });

  it('has an epoch id made with the database', async () => {
    const epoch = await storage.meta.get(EPOCH_ID_META);
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    const other = (await backend.open()).storage;
    try {
      expect(await other.meta.get(EPOCH_ID_META)).not.toBe(epoch);
    } finally {
      await other.close();
    }
  });
});
