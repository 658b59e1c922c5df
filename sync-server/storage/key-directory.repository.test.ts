import { afterEach, beforeEach, expect, it } from 'vitest';

import {
  describeStorage,
  seedSession,
  seedUser,
  seedWorkspace,
} from '../test/support/storage-backends.js';
import type {
  DeviceKeyRecord,
  UserKeyRecord,
  WorkspaceKeyRecord,
} from './key-directory.repository.js';
import type { Storage } from './storage.js';

let storage: Storage;
const bytes = (length: number, fill: number): Buffer => Buffer.alloc(length, fill);

const userKey = (version: number, fill = version): UserKeyRecord => ({
  userId: 'u1',
  version,
  publicKey: bytes(32, fill),
  recoveryPublicKey: bytes(32, 100 + fill),
  recoveryBlob: bytes(81, 150 + fill),
  createdAt: version,
  statement:
    version === 1
      ? null
      : {
          signingPublicKey: bytes(32, 200),
          selfSignature: bytes(64, fill),
          previousSignature: bytes(64, 9),
        },
});

const deviceKey = (sessionId: string, version: number, fill = 1): DeviceKeyRecord => ({
  sessionId,
  userId: 'u1',
  publicKey: bytes(32, fill),
  userKeyVersion: version,
  sealedUserKey: bytes(81, fill),
  createdAt: 1,
  certificate: version === 1 ? null : bytes(64, fill),
});

const workspaceKey = (
  userId: string,
  keyVersion: number,
  fill = 1,
  userKeyVersion = 1,
): WorkspaceKeyRecord => ({
  workspaceId: 'w1',
  keyVersion,
  userId,
  userKeyVersion,
  sealedKey: bytes(81, fill),
  createdBy: 'u1',
  createdAt: 1,
});

describeStorage('KeyDirectoryRepository', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
    await seedUser(storage, 'u1');
    await seedUser(storage, 'u2');
    await seedSession(storage, 's1', 'u1');
    await seedSession(storage, 's2', 'u1');
    await seedWorkspace(storage, 'w1', 'u1');
  });
  afterEach(async () => storage.close());

  it('keeps a user key version once: the same bytes again are "same", others a conflict', async () => {
    const { keys } = storage;
    expect(await keys.putUserKey(userKey(1))).toBe('created');
    expect(await keys.putUserKey(userKey(1))).toBe('same');
    expect(await keys.putUserKey(userKey(1, 7))).toBe('conflict');
    expect(await keys.currentUserKey('u1')).toEqual(userKey(1));
    expect(await keys.currentUserKey('u2')).toBeNull();
  });

  it('rotates the user key with its device boxes all at once, or not at all', async () => {
    const { keys } = storage;
    await keys.putUserKey(userKey(1));
    expect(await keys.putDeviceKey(deviceKey('s1', 1))).toBe('created');
    await keys.putDeviceKey(deviceKey('s2', 2, 5));
    // s2 already holds another box under version 2: nothing of this rotation stays.
    expect(await keys.rotateUserKey(userKey(2), [deviceKey('s1', 2), deviceKey('s2', 2)])).toBe(
      'conflict',
    );
    expect((await keys.userKeyChain('u1')).map((k) => k.version)).toEqual([1]);
    expect((await keys.findDeviceKey('s1'))?.userKeyVersion).toBe(1);

    expect(await keys.rotateUserKey(userKey(2), [deviceKey('s1', 2), deviceKey('s2', 2, 5)])).toBe(
      'created',
    );
    expect(await keys.rotateUserKey(userKey(2), [deviceKey('s1', 2)])).toBe('same');
    expect(await keys.userKeyChain('u1')).toEqual([userKey(1), userKey(2)]);
    expect(await keys.findDeviceKey('s1')).toEqual(deviceKey('s1', 2));
    expect(
      (await keys.deviceKeysForUser('u1')).map((d) => [d.sessionId, d.userKeyVersion]),
    ).toEqual([
      ['s1', 1],
      ['s1', 2],
      ['s2', 2],
    ]);
  });

  it('stores a workspace key version for its members all at once, or not at all', async () => {
    const { keys, workspaces } = storage;
    await workspaces.createInvite({
      id: 'i1',
      workspaceId: 'w1',
      tokenHash: 'th',
      emailLookup: 'lookup-u2',
      role: 'member',
      createdBy: 'u1',
      createdAt: 1,
      expiresAt: 100,
      usedAt: null,
      usedBy: null,
    });
    await workspaces.acceptInvite('i1', 'u2', 2);
    await keys.putUserKey(userKey(1));
    expect(await keys.putWorkspaceKeys([workspaceKey('u1', 1), workspaceKey('u2', 1)])).toBe(
      'created',
    );
    expect(await keys.putWorkspaceKeys([workspaceKey('u1', 1)])).toBe('same');
    expect(await keys.putWorkspaceKeys([workspaceKey('u1', 2), workspaceKey('u2', 1, 9)])).toBe(
      'conflict',
    );
    expect(await keys.newestWorkspaceKeyVersion('w1')).toBe(1);
    expect(await keys.listWorkspaceKeys('w1', 'u2')).toEqual([workspaceKey('u2', 1)]);

    const members = await keys.memberKeys('w1');
    expect(members).toEqual([
      {
        userId: 'u1',
        userKey: { version: 1, publicKey: bytes(32, 1) },
        keyVersions: [1],
        newestSealedToUserKeyVersion: 1,
      },
      { userId: 'u2', userKey: null, keyVersions: [1], newestSealedToUserKeyVersion: 1 },
    ]);
    expect(await keys.formerMembersHoldingNewest('w1')).toBe(0);
    await workspaces.removeMember('w1', 'u2');
    expect(await keys.formerMembersHoldingNewest('w1')).toBe(1);
  });
});
