import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage, seedSession, seedUser } from '../test/support/storage-backends.js';
import type { DeviceApprovalRecord } from './device-approval.repository.js';
import type { Storage } from './storage.js';

let storage: Storage;
const ID = '01900000-0000-4000-8000-00000000000a';
const OTHER_ID = '01900000-0000-4000-8000-00000000000b';

const request = (overrides: Partial<DeviceApprovalRecord> = {}): DeviceApprovalRecord => ({
  id: ID,
  userId: 'u1',
  sessionId: 'new',
  devicePublicKey: Buffer.alloc(32, 7),
  createdAt: 1_000,
  expiresAt: 2_000,
  state: 'pending',
  decidedAt: null,
  decidedBySession: null,
  userKeyVersion: null,
  sealedUserKey: null,
  ...overrides,
});

describeStorage('DeviceApprovalRepository', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
    await seedUser(storage, 'u1');
    await seedSession(storage, 'old', 'u1');
    await seedSession(storage, 'new', 'u1');
  });
  afterEach(async () => storage.close());

  it('creates a request once: the same bytes again are "same", others a conflict', async () => {
    expect(await storage.deviceApprovals.create(request())).toBe('created');
    expect(await storage.deviceApprovals.create(request())).toBe('same');
    expect(
      await storage.deviceApprovals.create(request({ devicePublicKey: Buffer.alloc(32, 8) })),
    ).toBe('conflict');
    expect(await storage.deviceApprovals.create(request({ sessionId: 'old' }))).toBe('conflict');
    expect(await storage.deviceApprovals.find(ID)).toEqual(request());
  });

  it('is decided once, before it expires, with the box exactly when approved', async () => {
    await storage.deviceApprovals.create(request());
    await storage.deviceApprovals.create(request({ id: OTHER_ID }));
    const approve = {
      state: 'approved' as const,
      at: 1_500,
      bySession: 'old',
      userKeyVersion: 1,
      sealedUserKey: Buffer.alloc(81, 1),
    };
    expect(await storage.deviceApprovals.decide(ID, approve)).toBe(true);
    expect(
      await storage.deviceApprovals.decide(ID, { state: 'denied', at: 1_600, bySession: 'old' }),
    ).toBe(false);
    expect(await storage.deviceApprovals.find(ID)).toMatchObject({
      state: 'approved',
      decidedAt: 1_500,
      userKeyVersion: 1,
      sealedUserKey: Buffer.alloc(81, 1),
    });
    expect(await storage.deviceApprovals.decide(OTHER_ID, { ...approve, at: 2_000 })).toBe(false);
    expect((await storage.deviceApprovals.find(OTHER_ID))?.state).toBe('pending');
  });

  it('lists pending requests of live sessions with their device, counts and deletes by age', async () => {
    await storage.deviceApprovals.create(request());
    await storage.deviceApprovals.create(request({ id: OTHER_ID, createdAt: 1_100 }));
    const pending = await storage.deviceApprovals.listPending('u1', 1_500);
    expect(pending.map((p) => [p.id, p.deviceName, p.platform])).toEqual([
      [ID, 'device new', 'linux'],
      [OTHER_ID, 'device new', 'linux'],
    ]);
    expect(await storage.deviceApprovals.listPending('u1', 2_000)).toEqual([]);
    expect(await storage.deviceApprovals.countCreatedSince('u1', 1_050)).toBe(1);
    expect(await storage.deviceApprovals.deleteExpired('u1', 2_001)).toBe(2);
    expect(await storage.deviceApprovals.find(ID)).toBeNull();
    await storage.deviceApprovals.create(request());
    await storage.sessions.revoke('new', 1_200, 'logout');
    expect(await storage.deviceApprovals.listPending('u1', 1_500)).toEqual([]);
  });
});
