import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { scanDir, textNeedles } from '../vault/test-fixtures/scan-files.js';
import { openVault, type Vault } from '../vault/vault.js';
import { AppLockService } from './app-lock.service.js';
import { attemptDelayMs } from './attempt-delay.js';
import type { Argon2Params } from './passcode-hasher.js';

/** Real Argon2id at a low cost, so the many checks below stay quick; one test uses the default. */
const LIGHT: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const NOW = Date.UTC(2025, 2, 15, 12);
const MINUTE = 60_000;

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

/** A passcode no test value can equal by accident. */
const passcode = () => `pc-${randomUUID()}`;
/** A wrong passcode provably different from `right`: it is `right` with a suffix. */
const wrongFor = (right: string) => `${right}-wrong`;

function lockService(vault: Vault = temp.vault, hashParams: Argon2Params = LIGHT) {
  return new AppLockService(vault, { hashParams });
}

async function reopen(): Promise<Vault> {
  temp.vault.close();
  const vault = await openVault({ dir: temp.dir, keyStore: temp.keyStore, now: () => clock.now });
  opened.push(vault);
  return vault;
}

async function rejection(promise: Promise<unknown>, code: string): Promise<CofferError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CofferError);
  expect((error as CofferError).code).toBe(code);
  return error as CofferError;
}

function thrown(fn: () => unknown, code: string): CofferError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CofferError);
    expect((error as CofferError).code).toBe(code);
    return error as CofferError;
  }
  throw new Error(`expected ${code}`);
}

/** Every value of every row of every table, as text and as bytes. */
function everyStoredValue(vault: Vault): Buffer[] {
  const tables = vault.db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .all();
  const values: Buffer[] = [];
  for (const table of tables) {
    for (const row of vault.db.prepare(`SELECT * FROM "${table}"`).all() as Record<
      string,
      unknown
    >[]) {
      for (const value of Object.values(row)) {
        if (Buffer.isBuffer(value)) values.push(value);
        else if (
          typeof value === 'string' ||
          typeof value === 'number' ||
          typeof value === 'bigint'
        )
          values.push(Buffer.from(String(value), 'utf8'));
      }
    }
  }
  return values;
}

describe('AppLockService: the passcode at rest', () => {
  it('keeps only an Argon2id hash (m=64 MiB, t=3, p=1): no row, change or vault file holds the passcode', async () => {
    const secret = passcode();
    const lock = new AppLockService(temp.vault); // the default cost
    await lock.setPasscode(secret);
    const stored = temp.vault.db.prepare('SELECT passcode_hash FROM app_lock').pluck().get();
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=65536,p=1,t=3\$/);
    await lock.unlock(secret);

    const needles = textNeedles('passcode', secret);
    for (const value of everyStoredValue(temp.vault)) {
      for (const needle of needles) expect(value.includes(needle.bytes)).toBe(false);
    }
    expect(temp.vault.changes.pendingCount()).toBe(0); // device state: never synced
    expect(scanDir(temp.dir, needles).hits).toEqual([]); // open: database and WAL
    temp.vault.close();
    expect(scanDir(temp.dir, needles).hits).toEqual([]);
  });

  it('never puts the passcode in an error message or its details', async () => {
    const secret = passcode();
    const lock = lockService();
    await lock.setPasscode(secret);
    const errors: CofferError[] = [];
    errors.push(await rejection(lock.setPasscode(secret), 'PASSCODE_ALREADY_SET'));
    errors.push(await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG'));
    errors.push(
      await rejection(lock.changePasscode(wrongFor(secret), `${secret}x`), 'PASSCODE_WRONG'),
    );
    errors.push(
      await rejection(lock.changePasscode(secret, secret.slice(0, 5)), 'PASSCODE_TOO_WEAK'),
    );
    for (let i = 0; i < 3; i++) await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    errors.push(await rejection(lock.unlock(secret), 'PASSCODE_ATTEMPTS_EXCEEDED'));
    for (const error of errors) {
      const text = JSON.stringify({ ...error.toJSON(), stack: error.stack });
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 5));
    }
  });
});

describe('AppLockService: rules for a new passcode', () => {
  it('needs at least 6 characters, counted after NFKC, and text', async () => {
    const lock = lockService();
    await rejection(lock.setPasscode('12345'), 'PASSCODE_TOO_WEAK');
    await rejection(lock.setPasscode('ab😀cd'), 'PASSCODE_TOO_WEAK'); // 5 characters, 6 UTF-16 units
    await rejection(lock.setPasscode('x'.repeat(1025)), 'PASSCODE_TOO_WEAK');
    await rejection(lock.setPasscode(123456), 'INVALID_INPUT');
    await rejection(lock.setPasscode(passcode(), 0), 'INVALID_INPUT');
    await rejection(lock.setPasscode(passcode(), 241), 'INVALID_INPUT');
    expect(lock.status()).toMatchObject({ enabled: false, idleMinutes: null, locked: false });
    expect(temp.vault.db.prepare('SELECT count(*) FROM app_lock').pluck().get()).toBe(0);

    // "ｐａｓｓ１２" (full-width) is "pass12" after NFKC: either form unlocks.
    await lock.setPasscode('ｐａｓｓ１２');
    lock.lock();
    await lock.unlock('pass12');
    expect(lock.isLocked()).toBe(false);
  });
});

describe('AppLockService: locked and unlocked', () => {
  it('is off without a passcode: never locks, and lock or idle time need one first', async () => {
    const lock = lockService();
    expect(lock.status()).toEqual({
      enabled: false,
      locked: false,
      idleMinutes: null,
      failedAttempts: 0,
      retryAfter: null,
      osUnlock: false,
    });
    expect(lock.lockIfIdle(NOW + 1000 * MINUTE)).toBe(false);
    thrown(() => lock.lock(), 'PASSCODE_NOT_SET');
    thrown(() => lock.setIdleMinutes(10), 'PASSCODE_NOT_SET');
    await rejection(lock.unlock(passcode()), 'PASSCODE_NOT_SET');
    expect(lock.isLocked()).toBe(false);
  });

  it('locks after the idle time (5 minutes by default), counted from the last activity', async () => {
    const secret = passcode();
    const lock = lockService();
    await lock.setPasscode(secret);
    expect(lock.status()).toMatchObject({ enabled: true, locked: false, idleMinutes: 5 });
    lock.noteActivity(NOW + 4 * MINUTE);
    expect(lock.lockIfIdle(NOW + 9 * MINUTE - 1)).toBe(false);
    expect(lock.isLocked()).toBe(false);
    expect(lock.lockIfIdle(NOW + 9 * MINUTE)).toBe(true);
    expect(lock.isLocked()).toBe(true);
    thrown(() => lock.assertUnlocked(), 'APP_LOCKED');

    clock.now = NOW + 20 * MINUTE;
    await lock.unlock(secret);
    lock.setIdleMinutes(240);
    expect(lock.lockIfIdle(clock.now + 240 * MINUTE - 1)).toBe(false);
    expect(lock.lockIfIdle(clock.now + 240 * MINUTE)).toBe(true);
    await lock.unlock(secret);
    for (const bad of [0, 241, 1.5, Number.NaN]) {
      thrown(() => lock.setIdleMinutes(bad), 'INVALID_INPUT');
    }
    expect(lock.status().idleMinutes).toBe(240);
  });

  it('after a lock, nothing of the earlier unlock carries over', async () => {
    const secret = passcode();
    const lock = lockService();
    await lock.setPasscode(secret);
    await lock.unlock(secret);
    lock.lock();
    // Activity while locked neither unlocks nor counts.
    lock.noteActivity(NOW + MINUTE);
    expect(lock.isLocked()).toBe(true);
    thrown(() => lock.assertUnlocked(), 'APP_LOCKED');
    thrown(() => lock.setIdleMinutes(10), 'APP_LOCKED');
    await rejection(lock.changePasscode(secret, passcode()), 'APP_LOCKED');
    await rejection(lock.removePasscode(secret), 'APP_LOCKED');
    await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    expect(lock.isLocked()).toBe(true);
    await lock.unlock(secret);
    expect(lock.isLocked()).toBe(false);
  });

  it('starts locked when the vault is opened again, and unlocks only with the passcode', async () => {
    const secret = passcode();
    await lockService().setPasscode(secret);
    const lock = lockService(await reopen());
    expect(lock.isLocked()).toBe(true);
    thrown(() => lock.assertUnlocked(), 'APP_LOCKED');
    await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    await rejection(lock.unlock(''), 'PASSCODE_WRONG');
    await rejection(lock.unlock(null), 'PASSCODE_WRONG');
    expect(lock.isLocked()).toBe(true);
    await lock.unlock(secret);
    expect(lock.isLocked()).toBe(false);
    expect(lock.status().failedAttempts).toBe(0);
  });
});

describe('AppLockService: change and remove', () => {
  it('need the current passcode; the old one stops working after a change', async () => {
    const first = passcode();
    const second = passcode();
    const lock = lockService();
    await lock.setPasscode(first);
    await rejection(lock.changePasscode(wrongFor(first), second), 'PASSCODE_WRONG');
    await rejection(lock.removePasscode(wrongFor(first)), 'PASSCODE_WRONG');
    expect(lock.status().failedAttempts).toBe(2);
    await lock.changePasscode(first, second);
    expect(lock.status().failedAttempts).toBe(0);
    lock.lock();
    await rejection(lock.unlock(first), 'PASSCODE_WRONG');
    await lock.unlock(second);
    await lock.removePasscode(second);
    expect(lock.status()).toMatchObject({ enabled: false, locked: false, idleMinutes: null });
    expect(temp.vault.db.prepare('SELECT count(*) FROM app_lock').pluck().get()).toBe(0);
    // With the lock off, a new first passcode may be set again.
    await lock.setPasscode(first);
    expect(lock.status().enabled).toBe(true);
  });

  it('upgrades a hash made with weaker parameters when the passcode is next checked', async () => {
    const secret = passcode();
    await lockService().setPasscode(secret);
    const strict = new AppLockService(temp.vault, {
      hashParams: { memoryCost: 2048, timeCost: 2, parallelism: 1 },
    });
    await strict.unlock(secret);
    const stored = temp.vault.db.prepare('SELECT passcode_hash FROM app_lock').pluck().get();
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=2048,p=1,t=2\$/);
    strict.lock();
    await strict.unlock(secret);
  });
});

describe('AppLockService: forgotten passcode', () => {
  it('turns the lock off with the vault’s Recovery Key, even when locked or limited', async () => {
    const secret = passcode();
    const lock = lockService();
    await lock.setPasscode(secret);
    lock.lock();
    for (let i = 0; i < 5; i++) await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    await rejection(lock.unlock(secret), 'PASSCODE_ATTEMPTS_EXCEEDED');

    lock.resetWithRecoveryKey(temp.recoveryKey);
    expect(lock.status()).toEqual({
      enabled: false,
      locked: false,
      idleMinutes: null,
      failedAttempts: 0,
      retryAfter: null,
      osUnlock: false,
    });
  });

  it('refuses another vault’s Recovery Key or a malformed one, changing nothing', async () => {
    const other = await createTempVault();
    try {
      expect(other.recoveryKey).not.toBe(temp.recoveryKey);
      const secret = passcode();
      const lock = lockService();
      await lock.setPasscode(secret);
      lock.lock();
      const errors = [
        thrown(() => lock.resetWithRecoveryKey(other.recoveryKey), 'RECOVERY_KEY_INVALID'),
        thrown(() => lock.resetWithRecoveryKey('ABCD-EFGH'), 'RECOVERY_KEY_MALFORMED'),
        thrown(() => lock.resetWithRecoveryKey(42), 'INVALID_INPUT'),
      ];
      for (const error of errors) expect(error.message).not.toContain(other.recoveryKey);
      expect(lock.status()).toMatchObject({ enabled: true, locked: true });
      await lock.unlock(secret);
    } finally {
      other.cleanup();
    }
  });
});

describe('AppLockService: attempt limit', () => {
  it('grows the wait from the fifth wrong passcode: 30 s doubling, at most an hour', () => {
    expect([1, 2, 3, 4].map(attemptDelayMs)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(attemptDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(attemptDelayMs(12)).toBe(60 * MINUTE);
    expect(attemptDelayMs(1000)).toBe(60 * MINUTE);
  });

  it('refuses even the right passcode while the wait runs, across a restart', async () => {
    const secret = passcode();
    await lockService().setPasscode(secret);
    let lock = lockService(await reopen());
    for (let i = 1; i <= 4; i++) {
      const error = await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
      expect(error.details).toEqual({ failedAttempts: i, retryAfter: null });
    }
    const fifth = await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    expect(fifth.details).toEqual({ failedAttempts: 5, retryAfter: NOW + 30_000 });
    const limited = await rejection(lock.unlock(secret), 'PASSCODE_ATTEMPTS_EXCEEDED');
    expect(limited.details).toEqual({ failedAttempts: 5, retryAfter: NOW + 30_000 });

    // A restart does not reset the count or the wait.
    const vault = opened.pop() as Vault;
    vault.close();
    const again = await openVault({ dir: temp.dir, keyStore: temp.keyStore, now: () => clock.now });
    opened.push(again);
    lock = lockService(again);
    clock.now = NOW + 30_000 - 1;
    await rejection(lock.unlock(secret), 'PASSCODE_ATTEMPTS_EXCEEDED');
    expect(lock.isLocked()).toBe(true);

    // Once it has passed, one try; a wrong one doubles the wait.
    clock.now = NOW + 30_000;
    const sixth = await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    expect(sixth.details).toEqual({ failedAttempts: 6, retryAfter: NOW + 90_000 });
    await rejection(lock.removePasscode(secret), 'APP_LOCKED');
    clock.now = NOW + 90_000;
    await lock.unlock(secret);
    expect(lock.status()).toMatchObject({ locked: false, failedAttempts: 0, retryAfter: null });
  });

  it('counts each try before checking it, so parallel tries cannot slip past the limit', async () => {
    const secret = passcode();
    const lock = lockService();
    await lock.setPasscode(secret);
    lock.lock();
    for (let i = 0; i < 3; i++) await rejection(lock.unlock(wrongFor(secret)), 'PASSCODE_WRONG');
    const results = await Promise.allSettled([
      lock.unlock(wrongFor(secret)),
      lock.unlock(wrongFor(secret)),
      lock.unlock(secret),
    ]);
    expect(
      results.map((r) => (r.status === 'rejected' ? (r.reason as CofferError).code : 'ok')),
    ).toEqual(['PASSCODE_WRONG', 'PASSCODE_WRONG', 'PASSCODE_ATTEMPTS_EXCEEDED']);
    expect(lock.isLocked()).toBe(true);
    expect(lock.status()).toMatchObject({ failedAttempts: 5, retryAfter: NOW + 30_000 });
  });
});
