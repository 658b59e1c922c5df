import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import type { MfaRepository } from './mfa.repository.js';

let db: StorageUnderTest;
let repo: MfaRepository;

async function insertUser(id: string): Promise<void> {
  await db.rows(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
     VALUES (?, ?, 'sealed', 'hash', 1, 1, 1)`,
    id,
    `lookup-${id}`,
  );
}

describeStorage('MfaRepository', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    repo = db.storage.mfa;
    await insertUser('u1');
    await insertUser('u2');
  });
  afterEach(async () => db.storage.close());

  it('TOTP: pending secrets are replaceable, a confirmed one is not; steps only move forward', async () => {
    await repo.putPendingTotp('u1', 'sealed-a', 1);
    await repo.putPendingTotp('u1', 'sealed-b', 2);
    expect(await repo.getTotp('u1')).toMatchObject({ secretSealed: 'sealed-b', confirmedAt: null });
    expect(await repo.confirmTotp('u1', 100, 3)).toBe(true);
    expect(await repo.confirmTotp('u1', 101, 4)).toBe(false);
    await repo.putPendingTotp('u1', 'sealed-c', 5);
    expect(await repo.getTotp('u1')).toMatchObject({ secretSealed: 'sealed-b', lastStep: 100 });

    expect(await repo.advanceTotpStep('u1', 100)).toBe(false);
    expect(await repo.advanceTotpStep('u1', 99)).toBe(false);
    expect(await repo.advanceTotpStep('u1', 101)).toBe(true);
    expect(await repo.advanceTotpStep('u1', 101)).toBe(false);
    expect(await repo.deleteTotp('u1')).toBe(true);
    expect(await repo.getTotp('u1')).toBeNull();
  });

  it('backup codes: single use, replaced as a set', async () => {
    await repo.replaceBackupCodes('u1', 'salt-1', ['h1', 'h2'], 1);
    expect(await repo.backupCodeSalt('u1')).toBe('salt-1');
    expect(await repo.consumeBackupCode('u1', 'h1', 2)).toBe(true);
    expect(await repo.consumeBackupCode('u1', 'h1', 3)).toBe(false);
    expect(await repo.consumeBackupCode('u2', 'h2', 3)).toBe(false);
    expect(await repo.countUnusedBackupCodes('u1')).toBe(1);
    await repo.replaceBackupCodes('u1', 'salt-2', ['h3'], 4);
    expect(await repo.consumeBackupCode('u1', 'h2', 5)).toBe(false);
    expect(await repo.countUnusedBackupCodes('u1')).toBe(1);
    await repo.deleteBackupCodes('u1');
    expect(await repo.backupCodeSalt('u1')).toBeNull();
  });

  it('email codes: a new one withdraws the previous one for the same purpose; all count for the limit', async () => {
    const code = (id: string, challengeId: string | null, createdAt: number) => ({
      id,
      userId: 'u1',
      challengeId,
      codeHash: `hash-${id}`,
      createdAt,
      expiresAt: createdAt + 600_000,
      consumedAt: null,
    });
    await repo.putEmailCode(code('a', null, 1));
    await repo.putEmailCode(code('b', null, 2));
    expect((await repo.latestEmailCode('u1', null))?.id).toBe('b');
    expect(await repo.consumeEmailCode('a', 3)).toBe(false);
    expect(await repo.consumeEmailCode('b', 3)).toBe(true);
    expect(await repo.consumeEmailCode('b', 4)).toBe(false);
    expect(await repo.countEmailCodesSince('u1', 0)).toBe(2);
    expect(await repo.countEmailCodesSince('u1', 2)).toBe(1);
  });

  it('login challenges: attempts are reserved up to the limit; ending is once', async () => {
    await repo.createLoginChallenge({
      id: 'c1',
      tokenHash: 'th',
      userId: 'u1',
      context: { deviceName: 'd', platform: 'p', ip: '127.0.0.1', userAgent: 'ua' },
      createdAt: 1,
      expiresAt: 2,
      attempts: 0,
      endedAt: null,
    });
    const reserved = [];
    for (let i = 0; i < 7; i += 1) reserved.push(await repo.reserveChallengeAttempt('c1', 5));
    expect(reserved).toEqual([true, true, true, true, true, false, false]);
    expect(await repo.getLoginChallengeByTokenHash('th')).toMatchObject({
      attempts: 5,
      endedAt: null,
    });
    expect(await repo.endLoginChallenge('c1', 3)).toBe(true);
    expect(await repo.endLoginChallenge('c1', 4)).toBe(false);
  });

  it('WebAuthn: challenges are taken once; counters move by compare-and-set; one handle per user', async () => {
    await repo.putWebauthnChallenge({
      challengeHash: 'ch',
      ceremony: 'login',
      userId: null,
      loginChallengeId: null,
      createdAt: 1,
      expiresAt: 2,
    });
    expect((await repo.takeWebauthnChallenge('ch'))?.ceremony).toBe('login');
    expect(await repo.takeWebauthnChallenge('ch')).toBeNull();

    await repo.addCredential({
      id: 'cred',
      userId: 'u1',
      publicKey: new Uint8Array([1, 2, 3]),
      counter: 0,
      transports: ['internal'],
      name: 'key',
      createdAt: 1,
      lastUsedAt: null,
    });
    expect(await repo.advanceCredentialCounter('cred', 0, 1, 2)).toBe(true);
    expect(await repo.advanceCredentialCounter('cred', 0, 2, 3)).toBe(false);
    expect(await repo.getCredential('cred')).toMatchObject({
      counter: 1,
      lastUsedAt: 2,
      transports: ['internal'],
      publicKey: new Uint8Array([1, 2, 3]),
    });
    expect(await repo.renameCredential('u2', 'cred', 'stolen')).toBe(false);
    expect(await repo.renameCredential('u1', 'cred', 'Work laptop')).toBe(true);
    expect((await repo.getCredential('cred'))?.name).toBe('Work laptop');
    expect(await repo.deleteCredential('u2', 'cred')).toBe(false);

    expect(await repo.ensureUserHandle('u1', 'first')).toBe('first');
    expect(await repo.ensureUserHandle('u1', 'second')).toBe('first');
    expect(await repo.getUserHandle('u2')).toBeNull();
  });

  it('prunes expired rows and deletes all of one user', async () => {
    await repo.putWebauthnChallenge({
      challengeHash: 'old',
      ceremony: 'register',
      userId: 'u1',
      loginChallengeId: null,
      createdAt: 1,
      expiresAt: 10,
    });
    expect(await repo.pruneExpired(9)).toBe(0);
    expect(await repo.pruneExpired(10)).toBe(1);
    expect(await repo.takeWebauthnChallenge('old')).toBeNull();

    await repo.putPendingTotp('u1', 's', 1);
    await repo.putPendingTotp('u2', 's', 1);
    await repo.setEmailOtpEnabled('u1', true, 1);
    await repo.deleteUserData('u1');
    expect(await repo.getTotp('u1')).toBeNull();
    expect(await repo.isEmailOtpEnabled('u1')).toBe(false);
    expect(await repo.getTotp('u2')).not.toBeNull();
  });
});
