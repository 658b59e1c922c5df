import {
  IDLE_MINUTES_DEFAULT,
  IdleMinutesSchema,
  PASSCODE_MAX_LENGTH,
  PASSCODE_MIN_LENGTH,
  type AppLockStatus,
} from '../../../shared/domain/settings.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import { parseRecoveryKey } from '../vault/recovery-key.js';
import { readRecoveryState } from '../vault/recovery-state.js';
import { deleteMeta, getMeta, setMeta } from '../vault/vault-meta.js';
import { recoveryKeyPair } from '../vault/vault-key-wrap.js';
import type { Vault } from '../vault/vault.js';
import { AppLockRepository, type AppLockRow } from './app-lock.repository.js';
import { attemptDelayMs } from './attempt-delay.js';
import { PasscodeHasher, type Argon2Params } from './passcode-hasher.js';

export interface AppLockOptions {
  /** Argon2id cost; the default is the sync server's (m=64 MiB, t=3, p=1). */
  hashParams?: Argon2Params;
}

/**
 * The app lock of this device. With a passcode set, the app starts
 * locked, locks after `idleMinutes` without activity or on demand, and the API layer
 * answers nothing but the unlock call while `isLocked()` (see `assertUnlocked`).
 *
 * The passcode is kept only as an Argon2id hash in the vault and never appears in a log,
 * an error message or a change record. Every check of it — unlock, change, remove — counts
 * against one attempt limit stored in the vault, so it holds across restarts: after the
 * fourth wrong passcode in a row each further try waits (attempt-delay.ts), and while it
 * waits even the right passcode is refused with PASSCODE_ATTEMPTS_EXCEEDED. The attempt is
 * counted before the hash is checked, so neither a crash mid-check nor parallel tries
 * escape the count; a right passcode clears it.
 *
 * Times come from `vault.now()` (injectable) and the `now` given to `noteActivity` and
 * `lockIfIdle`, so tests never wait on the wall clock.
 *
 * The operating system's own check (Touch ID, Windows Hello) can release the lock too,
 * once turned on with the passcode. No window can ask for that: the desktop app's main
 * process runs the OS prompt and reports its outcome over the utility process's own
 * channel (`beginOsUnlock` / `finishOsUnlock`). Each OS check is charged against the same
 * attempt limit before the prompt shows, so cancelled or failed checks slow down like
 * wrong passcodes, and a verified one clears the count like a right passcode.
 */
export class AppLockService {
  private readonly repo: AppLockRepository;
  private readonly hasher: PasscodeHasher;
  #locked: boolean;
  #lastActivity: number;
  /** The hash charged for the OS check now showing, or null when none is. */
  #osCheckFor: string | null = null;

  constructor(
    private readonly vault: Vault,
    options: AppLockOptions = {},
  ) {
    this.repo = new AppLockRepository(vault.db);
    this.hasher = new PasscodeHasher(options.hashParams);
    // A restart must not be a way around the lock.
    this.#locked = this.repo.read() !== undefined;
    this.#lastActivity = vault.now();
  }

  status(): AppLockStatus {
    const row = this.repo.read();
    return {
      enabled: row !== undefined,
      locked: this.#locked,
      idleMinutes: row?.idleMinutes ?? null,
      failedAttempts: row?.failedAttempts ?? 0,
      retryAfter: row?.retryAfter ?? null,
      osUnlock: row !== undefined && this.osUnlockOn(),
    };
  }

  isLocked(): boolean {
    return this.#locked;
  }

  /** What the API layer calls before serving anything but unlock: APP_LOCKED while locked. */
  assertUnlocked(): void {
    if (this.#locked) {
      throw new CofferError('APP_LOCKED', 'Coffer is locked. Unlock it with your app passcode.');
    }
  }

  /** Locks now. PASSCODE_NOT_SET when there is no passcode to unlock with. */
  lock(): void {
    this.requireRow();
    this.#locked = true;
  }

  /**
   * Unlocks with the passcode (counted against the attempt limit). PASSCODE_WRONG,
   * PASSCODE_ATTEMPTS_EXCEEDED or PASSCODE_NOT_SET leave the app locked.
   */
  async unlock(passcode: unknown): Promise<void> {
    await this.verify(passcode);
    this.#locked = false;
    this.#osCheckFor = null;
    this.#lastActivity = this.vault.now();
  }

  /** Activity seen at `now` (UTC ms): pushes the idle lock back. Ignored while locked. */
  noteActivity(now: number): void {
    if (!this.#locked && now > this.#lastActivity) this.#lastActivity = now;
  }

  /** Locks when `now` is at least the idle time past the last activity; true if it locked. */
  lockIfIdle(now: number): boolean {
    const row = this.repo.read();
    if (row === undefined || this.#locked) return false;
    if (now - this.#lastActivity < row.idleMinutes * 60_000) return false;
    this.#locked = true;
    return true;
  }

  /** The first passcode; idle minutes default to 5. PASSCODE_ALREADY_SET when one exists. */
  async setPasscode(passcode: unknown, idleMinutes: number = IDLE_MINUTES_DEFAULT): Promise<void> {
    const text = newPasscode(passcode);
    const minutes = parseInput(IdleMinutesSchema, idleMinutes, 'idle minutes');
    if (this.repo.read() !== undefined) throw alreadySet();
    const hash = await this.hasher.hash(text);
    this.vault.transaction(() => {
      if (this.repo.read() !== undefined) throw alreadySet();
      this.repo.insert(hash, minutes);
      deleteMeta(this.vault.db, OS_UNLOCK_KEY);
    });
    this.#locked = false;
    this.#lastActivity = this.vault.now();
  }

  /** A new passcode, given the current one (counted like an unlock). */
  async changePasscode(current: unknown, next: unknown): Promise<void> {
    this.assertUnlocked();
    const text = newPasscode(next);
    await this.verify(current);
    const hash = await this.hasher.hash(text);
    this.vault.transaction(() => this.repo.replaceHash(hash));
  }

  /** Turns the lock off, given the current passcode (counted like an unlock). */
  async removePasscode(current: unknown): Promise<void> {
    this.assertUnlocked();
    await this.verify(current);
    this.vault.transaction(() => this.deleteLock());
    this.#locked = false;
  }

  /**
   * For a forgotten passcode: turns the lock off, locked or not, given the vault's
   * Recovery Key (what already proves ownership of the vault's data). RECOVERY_KEY_MALFORMED
   * or RECOVERY_KEY_INVALID leave everything as it was; neither echoes the key.
   */
  resetWithRecoveryKey(recoveryKey: unknown): void {
    if (typeof recoveryKey !== 'string') {
      throw new CofferError('INVALID_INPUT', 'The Recovery Key must be text.');
    }
    this.requireRow();
    const secret = parseRecoveryKey(recoveryKey);
    let publicKey: string;
    try {
      publicKey = recoveryKeyPair(secret, this.vault.vaultId).publicKey.toString('base64url');
    } finally {
      secret.fill(0);
    }
    const state = readRecoveryState(this.vault.db);
    if (publicKey !== state.current && !(state.retiring ?? []).includes(publicKey)) {
      throw new CofferError('RECOVERY_KEY_INVALID', 'That is not this vault’s Recovery Key.');
    }
    this.vault.transaction(() => this.deleteLock());
    this.#locked = false;
    this.#lastActivity = this.vault.now();
  }

  /** Minutes of inactivity before locking, 1–240. PASSCODE_NOT_SET without a passcode. */
  setIdleMinutes(idleMinutes: number): void {
    this.assertUnlocked();
    const minutes = parseInput(IdleMinutesSchema, idleMinutes, 'idle minutes');
    this.vault.transaction(() => {
      this.requireRow();
      this.repo.setIdleMinutes(minutes);
    });
  }

  /**
   * Turns unlocking by the operating system's check on (given the passcode, counted like
   * an unlock: whoever turns it on must know the passcode) or off (no passcode needed:
   * it only takes a way in away). PASSCODE_NOT_SET without a passcode; APP_LOCKED while
   * locked.
   */
  async setOsUnlock(enabled: boolean, passcode?: unknown): Promise<void> {
    this.assertUnlocked();
    this.requireRow();
    if (!enabled) {
      this.vault.transaction(() => deleteMeta(this.vault.db, OS_UNLOCK_KEY));
      return;
    }
    await this.verify(passcode);
    this.vault.transaction(() => {
      this.requireRow();
      setMeta(this.vault.db, OS_UNLOCK_KEY, '1');
    });
  }

  /**
   * Main is about to show the OS prompt: refuses unless the lock is engaged and OS unlock
   * is on (OS_UNLOCK_OFF), or while a wait runs (PASSCODE_ATTEMPTS_EXCEEDED); otherwise
   * charges one attempt, as a passcode check does before hashing.
   */
  beginOsUnlock(): void {
    this.requireRow();
    if (!this.osUnlockOn()) throw osUnlockOff();
    if (!this.#locked) throw new CofferError('APP_NOT_LOCKED', 'Coffer is not locked.');
    this.#osCheckFor = this.vault.transaction(() => this.chargeAttempt(this.requireRow()));
  }

  /**
   * The OS prompt's outcome, from main. Verified: the attempt count clears and the lock is
   * released. Anything else leaves the attempt charged and the app locked
   * (OS_CHECK_FAILED, with the count and the next allowed try). A finish with no begin
   * before it, or after OS unlock was turned off or the passcode replaced, releases nothing.
   */
  finishOsUnlock(verified: boolean): void {
    const charged = this.#osCheckFor;
    this.#osCheckFor = null;
    if (charged === null) {
      throw new CofferError('OS_CHECK_NOT_STARTED', 'No operating-system check was started.');
    }
    const row = this.repo.read();
    if (row === undefined || !this.osUnlockOn() || row.passcodeHash !== charged) {
      throw osUnlockOff();
    }
    if (verified !== true) {
      throw new CofferError('OS_CHECK_FAILED', 'The operating system did not confirm it is you.', {
        failedAttempts: row.failedAttempts,
        retryAfter: row.retryAfter,
      });
    }
    this.vault.transaction(() => this.repo.clearAttempts(charged));
    this.#locked = false;
    this.#lastActivity = this.vault.now();
  }

  /**
   * Checks a passcode against the stored hash, counted against the attempt limit.
   * Resolves when right; rejects with PASSCODE_WRONG (details: the count and when the
   * next try is allowed), PASSCODE_ATTEMPTS_EXCEEDED while a delay runs, or PASSCODE_NOT_SET.
   */
  async verify(passcode: unknown): Promise<void> {
    const text = typeof passcode === 'string' ? passcode.normalize('NFKC') : null;
    const hash = this.vault.transaction(() => this.chargeAttempt(this.requireRow()));
    // Input that cannot be a passcode is a wrong one, counted, without feeding it to Argon2.
    const right =
      text !== null && text.length <= PASSCODE_MAX_LENGTH && (await this.hasher.verify(hash, text));
    if (!right) {
      const row = this.repo.read();
      throw new CofferError('PASSCODE_WRONG', 'That is not the app passcode.', {
        failedAttempts: row?.failedAttempts ?? 0,
        retryAfter: row?.retryAfter ?? null,
      });
    }
    const upgraded = this.hasher.needsRehash(hash) ? await this.hasher.hash(text) : null;
    this.vault.transaction(() => {
      this.repo.clearAttempts(hash);
      if (upgraded !== null && this.repo.read()?.passcodeHash === hash) {
        this.repo.replaceHash(upgraded);
      }
    });
  }

  /** Refuses while a delay runs; else counts this attempt and returns the hash to check. */
  private chargeAttempt(row: AppLockRow): string {
    const now = this.vault.now();
    if (row.retryAfter !== null && now < row.retryAfter) {
      throw new CofferError(
        'PASSCODE_ATTEMPTS_EXCEEDED',
        `Too many wrong passcodes. Try again in ${Math.ceil((row.retryAfter - now) / 1000)} s.`,
        { failedAttempts: row.failedAttempts, retryAfter: row.retryAfter },
      );
    }
    const failed = row.failedAttempts + 1;
    const delay = attemptDelayMs(failed);
    this.repo.setAttempts(failed, delay === 0 ? null : now + delay);
    return row.passcodeHash;
  }

  private osUnlockOn(): boolean {
    return getMeta(this.vault.db, OS_UNLOCK_KEY) === '1';
  }

  /** The lock off: no passcode, so nothing the OS check could stand in for either. */
  private deleteLock(): void {
    this.repo.delete();
    deleteMeta(this.vault.db, OS_UNLOCK_KEY);
  }

  private requireRow(): AppLockRow {
    const row = this.repo.read();
    if (row === undefined) {
      throw new CofferError('PASSCODE_NOT_SET', 'No app passcode is set.');
    }
    return row;
  }
}

const OS_UNLOCK_KEY = 'app_lock_os_unlock';

function osUnlockOff(): CofferError {
  return new CofferError(
    'OS_UNLOCK_OFF',
    'Unlocking with the operating system’s check is off: use the app passcode.',
  );
}

/** A passcode being chosen: text, 6 to 1,024 characters after NFKC normalisation. */
function newPasscode(passcode: unknown): string {
  if (typeof passcode !== 'string') {
    throw new CofferError('INVALID_INPUT', 'The passcode must be text.');
  }
  const text = passcode.normalize('NFKC');
  const length = [...text].length;
  if (length < PASSCODE_MIN_LENGTH || text.length > PASSCODE_MAX_LENGTH) {
    throw new CofferError(
      'PASSCODE_TOO_WEAK',
      `The passcode must have at least ${PASSCODE_MIN_LENGTH} characters (and at most ${PASSCODE_MAX_LENGTH}).`,
      { minLength: PASSCODE_MIN_LENGTH },
    );
  }
  return text;
}

function alreadySet(): CofferError {
  return new CofferError(
    'PASSCODE_ALREADY_SET',
    'An app passcode is already set; change it with the current one.',
  );
}
