import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage, seedSession, seedUser } from '../test/support/storage-backends.js';
import type { Storage } from './storage.js';
import { EmailTakenError } from './user.repository.js';

let storage: Storage;

describeStorage('UserRepository and SessionRepository', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
    await seedUser(storage, 'u1');
    await seedUser(storage, 'u2');
  });
  afterEach(async () => storage.close());

  it('finds users by id and lookup, and refuses a second account for one lookup', async () => {
    expect(await storage.users.findByEmailLookup('lookup-u1')).toEqual({
      id: 'u1',
      emailLookup: 'lookup-u1',
      emailSealed: 'sealed-u1',
      passwordHash: 'hash-u1',
      createdAt: 1,
      updatedAt: 1,
      passwordChangedAt: 1,
    });
    expect(await storage.users.findById('nobody')).toBeNull();
    await expect(
      storage.users.create({
        id: 'u3',
        emailLookup: 'lookup-u1',
        emailSealed: 's',
        passwordHash: 'h',
        createdAt: 2,
        updatedAt: 2,
        passwordChangedAt: 2,
      }),
    ).rejects.toThrow(EmailTakenError);
  });

  it('replaces a password hash only from the hash it expects', async () => {
    expect(await storage.users.replacePasswordHash('u1', 'hash-u1', 'new', 5, false)).toBe(true);
    expect(await storage.users.findById('u1')).toMatchObject({
      passwordHash: 'new',
      updatedAt: 5,
      passwordChangedAt: 1,
    });
    expect(await storage.users.replacePasswordHash('u1', 'hash-u1', 'other', 6, true)).toBe(false);
    expect(await storage.users.replacePasswordHash('u1', 'new', 'newer', 7, true)).toBe(true);
    expect(await storage.users.findById('u1')).toMatchObject({ passwordChangedAt: 7 });
  });

  it('lists sessions newest first, revokes each once, and all but one', async () => {
    await seedSession(storage, 's1', 'u1', 10);
    await seedSession(storage, 's2', 'u1', 20);
    await seedSession(storage, 's3', 'u1', 30);
    await seedSession(storage, 'other', 'u2', 40);
    expect((await storage.sessions.listForUser('u1')).map((s) => s.id)).toEqual(['s3', 's2', 's1']);
    expect((await storage.sessions.findByTokenHash('token-s2'))?.id).toBe('s2');
    const many = await storage.sessions.findManyById(['s3', 'nobody', 'other', 's1', 's3']);
    expect(many.map((s) => s.id).sort()).toEqual(['other', 's1', 's3']);
    expect(many.find((s) => s.id === 'other')).toMatchObject({ userId: 'u2' });
    expect(await storage.sessions.findManyById([])).toEqual([]);
    await storage.sessions.setElevatedUntil('s1', 99);
    expect(await storage.sessions.revoke('s1', 50, 'logout')).toBe(true);
    expect(await storage.sessions.revoke('s1', 51, 'revoked')).toBe(false);
    expect(await storage.sessions.findById('s1')).toMatchObject({
      revokedAt: 50,
      revokedReason: 'logout',
      elevatedUntil: null,
    });
    expect(await storage.sessions.revokeAllForUser('u1', 60, 'password_changed', 's3')).toBe(1);
    expect((await storage.sessions.findById('s3'))?.revokedAt).toBeNull();
    expect(await storage.sessions.revokeAllForUser('u1', 61, 'revoked')).toBe(1);
    expect((await storage.sessions.findById('other'))?.revokedAt).toBeNull();
  });

  it('prunes ended, idle and too old sessions, and a deleted user takes theirs along', async () => {
    await seedSession(storage, 'live', 'u1', 1_000);
    await seedSession(storage, 'idle', 'u1', 100);
    await seedSession(storage, 'ended', 'u1', 1_000);
    await storage.sessions.touch('live', 1_900, '192.0.2.1');
    await storage.sessions.revoke('ended', 1_500, 'logout');
    expect(await storage.sessions.pruneEndedBefore(2_000, 500, 10_000)).toBe(2);
    expect(await storage.sessions.findById('live')).toMatchObject({
      lastSeenAt: 1_900,
      ip: '192.0.2.1',
    });
    await seedSession(storage, 'u2s', 'u2', 1_000);
    expect(await storage.users.delete('u2')).toBe(true);
    expect(await storage.users.delete('u2')).toBe(false);
    expect(await storage.sessions.findById('u2s')).toBeNull();
  });
});
