import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { openVault, type Vault } from '../vault/vault.js';
import { AppLockService } from './app-lock.service.js';
import type { Argon2Params } from './passcode-hasher.js';

/** Real Argon2id at a low cost, so the many checks below stay quick. */
const LIGHT: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const NOW = Date.UTC(2025, 2, 15, 12);

let temp: TempVault;
let clock: { now: number };
let opened: Vault[];

beforeEach(async () => {
  clock = { now: NOW };
  opened = [];
  temp = await createTempVault({ now: () => clock.now });
});

afterEach(() => {
  for (const vault of opened) vault.close();
  temp.cleanup();
});

const passcode = () => `pc-${randomUUID()}`;
/** Provably not `right`: it is `right` with a suffix. */
const wrongFor = (right: string) => `${right}-wrong`;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CofferError);
    return (error as CofferError).code;
  }
  return 'ok';
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => {
      expect(error).toBeInstanceOf(CofferError);
      return (error as CofferError).code;
    },
  );
}

/** A lock with a passcode, OS unlock turned on, and engaged. */
async function lockedWithOsUnlock(vault: Vault = temp.vault) {
  const secret = passcode();
  const lock = new AppLockService(vault, { hashParams: LIGHT });
  await lock.setPasscode(secret);
  await lock.setOsUnlock(true, secret);
  lock.lock();
  return { lock, secret };
}

describe('AppLockService: turning OS unlock on and off', () => {
  it('is off by default, needs the right passcode to turn on, and none to turn off', async () => {
    const secret = passcode();
    const lock = new AppLockService(temp.vault, { hashParams: LIGHT });
    expect(await codeOf(lock.setOsUnlock(true, secret))).toBe('PASSCODE_NOT_SET');
    await lock.setPasscode(secret);
    expect(lock.status().osUnlock).toBe(false);

    expect(await codeOf(lock.setOsUnlock(true, wrongFor(secret)))).toBe('PASSCODE_WRONG');
    expect(await codeOf(lock.setOsUnlock(true))).toBe('PASSCODE_WRONG');
    expect(lock.status()).toMatchObject({ osUnlock: false, failedAttempts: 2 });

    await lock.setOsUnlock(true, secret);
    expect(lock.status()).toMatchObject({ osUnlock: true, failedAttempts: 0 });
    await lock.setOsUnlock(false);
    expect(lock.status().osUnlock).toBe(false);
  });

  it('cannot be changed while locked', async () => {
    const { lock, secret } = await lockedWithOsUnlock();
    expect(await codeOf(lock.setOsUnlock(false))).toBe('APP_LOCKED');
    expect(await codeOf(lock.setOsUnlock(true, secret))).toBe('APP_LOCKED');
    expect(lock.status().osUnlock).toBe(true);
  });

  it('goes with the passcode: removing it or a Recovery Key reset turns it off for good', async () => {
    const { lock, secret } = await lockedWithOsUnlock();
    await lock.unlock(secret);
    await lock.removePasscode(secret);
    expect(lock.status().osUnlock).toBe(false);
    // A new passcode starts with OS unlock off again.
    await lock.setPasscode(secret);
    expect(lock.status().osUnlock).toBe(false);

    await lock.setOsUnlock(true, secret);
    lock.lock();
    lock.resetWithRecoveryKey(temp.recoveryKey);
    await lock.setPasscode(secret);
    lock.lock();
    expect(code(() => lock.beginOsUnlock())).toBe('OS_UNLOCK_OFF');
    expect(lock.isLocked()).toBe(true);
  });

  it('survives a restart, which starts locked as before', async () => {
    await lockedWithOsUnlock();
    temp.vault.close();
    const vault = await openVault({ dir: temp.dir, keyStore: temp.keyStore, now: () => clock.now });
    opened.push(vault);
    const lock = new AppLockService(vault, { hashParams: LIGHT });
    expect(lock.status()).toMatchObject({ locked: true, osUnlock: true });
  });
});

describe('AppLockService: unlocking by the OS check', () => {
  it('a verified check after begin unlocks and clears the attempt count', async () => {
    const { lock, secret } = await lockedWithOsUnlock();
    for (let i = 0; i < 2; i++) expect(await codeOf(lock.unlock(wrongFor(secret)))).not.toBe('ok');
    lock.beginOsUnlock();
    expect(lock.status()).toMatchObject({ locked: true, failedAttempts: 3 });
    lock.finishOsUnlock(true);
    expect(lock.status()).toMatchObject({ locked: false, failedAttempts: 0, retryAfter: null });
    expect(code(() => lock.assertUnlocked())).toBe('ok');
  });

  it('is refused when the setting is off, even with a verified outcome', async () => {
    const secret = passcode();
    const lock = new AppLockService(temp.vault, { hashParams: LIGHT });
    await lock.setPasscode(secret);
    lock.lock();
    expect(code(() => lock.beginOsUnlock())).toBe('OS_UNLOCK_OFF');
    expect(code(() => lock.finishOsUnlock(true))).toBe('OS_CHECK_NOT_STARTED');
    expect(lock.status()).toMatchObject({ locked: true, failedAttempts: 0 });
  });

  it('a verified outcome with no begin before it releases nothing', async () => {
    const { lock } = await lockedWithOsUnlock();
    expect(code(() => lock.finishOsUnlock(true))).toBe('OS_CHECK_NOT_STARTED');
    lock.beginOsUnlock();
    expect(code(() => lock.finishOsUnlock(false))).toBe('OS_CHECK_FAILED');
    // The begin is used up by its outcome: a second outcome is not a second chance.
    expect(code(() => lock.finishOsUnlock(true))).toBe('OS_CHECK_NOT_STARTED');
    expect(lock.isLocked()).toBe(true);
  });

  it('a cancelled or failed check stays locked and counts like a wrong passcode', async () => {
    const { lock, secret } = await lockedWithOsUnlock();
    for (let i = 1; i <= 4; i++) {
      lock.beginOsUnlock();
      expect(code(() => lock.finishOsUnlock(false))).toBe('OS_CHECK_FAILED');
      expect(lock.status()).toMatchObject({ locked: true, failedAttempts: i, retryAfter: null });
    }
    lock.beginOsUnlock();
    expect(code(() => lock.finishOsUnlock(false))).toBe('OS_CHECK_FAILED');
    expect(lock.status()).toMatchObject({ failedAttempts: 5, retryAfter: NOW + 30_000 });

    // While the wait runs, neither another OS check nor the passcode is tried.
    expect(code(() => lock.beginOsUnlock())).toBe('PASSCODE_ATTEMPTS_EXCEEDED');
    expect(await codeOf(lock.unlock(secret))).toBe('PASSCODE_ATTEMPTS_EXCEEDED');
    clock.now = NOW + 30_000;
    lock.beginOsUnlock();
    lock.finishOsUnlock(true);
    expect(lock.status()).toMatchObject({ locked: false, failedAttempts: 0 });
  });

  it('wrong passcodes and failed OS checks share one count', async () => {
    const { lock, secret } = await lockedWithOsUnlock();
    for (let i = 0; i < 2; i++) expect(await codeOf(lock.unlock(wrongFor(secret)))).not.toBe('ok');
    for (let i = 0; i < 3; i++) {
      lock.beginOsUnlock();
      code(() => lock.finishOsUnlock(false));
    }
    expect(lock.status()).toMatchObject({ failedAttempts: 5, retryAfter: NOW + 30_000 });
  });

  it('a begin is charged before the prompt, so a check that never reports back still counts', async () => {
    const { lock } = await lockedWithOsUnlock();
    lock.beginOsUnlock();
    lock.beginOsUnlock();
    expect(lock.status().failedAttempts).toBe(2);
    expect(lock.isLocked()).toBe(true);
  });

  it('is refused when not locked, and releases nothing once the passcode has replaced it', async () => {
    const { lock, secret } = await lockedWithOsUnlock();
    lock.beginOsUnlock();
    await lock.unlock(secret);
    expect(code(() => lock.beginOsUnlock())).toBe('APP_NOT_LOCKED');
    lock.lock();
    // The check started before the passcode unlock is gone with it.
    expect(code(() => lock.finishOsUnlock(true))).toBe('OS_CHECK_NOT_STARTED');
    expect(lock.isLocked()).toBe(true);
  });
});
