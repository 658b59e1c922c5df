import { uuidv7 } from '../../shared/ids/uuidv7.js';
import { loginThrottleKey, throttledLogin } from '../audit/login-throttle.js';
import type { LoginThrottle } from '../audit/login-throttle.js';
import type { Clock } from '../clock.js';
import { conflict, forbidden, isHttpError, notFound } from '../http/errors.js';
import { normaliseEmail } from '../secrets/secret-box.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Storage } from '../storage/storage.js';
import { EmailTakenError } from '../storage/user.repository.js';
import type { BreachChecker } from './hibp.client.js';
import type { SessionGrant } from './login.service.js';
import type { PasswordHasher } from './password-hasher.js';
import { normalisePassword } from './password-policy.js';
import { enforcePasswordPolicy } from './password-rules.js';
import type { SessionContext, SessionService } from './session.service.js';

export interface RegisterInput extends SessionContext {
  email: string;
  password: string;
}

export interface ChangePasswordInput {
  userId: string;
  sessionId: string;
  ip: string;
  currentPassword: string;
  newPassword: string;
  endOtherSessions: boolean;
}

/** Structural subset of the mfa owner's Notifier used for account changes. */
export interface AccountNotifier {
  factorChanged(userId: string, what: string): Promise<void>;
}

/**
 * Deletes a user's rows in tables this module does not own. Most tables reference
 * users(id) ON DELETE CASCADE and need none; a hook is for data kept elsewhere.
 */
export type AccountDeletionHook = (userId: string) => Promise<void>;

export interface AccountDeps {
  storage: Storage;
  secrets: SecretBox;
  clock: Clock;
  hasher: PasswordHasher;
  sessions: SessionService;
  breachChecker: BreachChecker | null;
  notifier: AccountNotifier | null;
  warn: (message: string) => void;
  /** The login backoff: password guesses in a session (step-up) spend the same budget. */
  throttle: LoginThrottle;
}

export function emailAad(userId: string): string {
  return `email:${userId}`;
}

/**
 * Account lifecycle: register, change password, delete. The email is stored only sealed
 * (SecretBox, AAD `email:<id>`) plus its keyed lookup hash.
 *
 * Registering an email that already has an account answers 409 EMAIL_TAKEN. That tells
 * the caller the address is registered — accepted on purpose, because registration signs
 * the new user in at once, so a sign-up form has to say so. What keeps it from being a
 * fast way to test addresses: it runs under the login backoff (per address and per IP,
 * the same counters as a wrong password) and costs one Argon2 hash whether or not the
 * address is taken, so it answers no faster and no more often than a login would.
 */
export class AccountService {
  private readonly deletionHooks: AccountDeletionHook[] = [];

  constructor(private readonly deps: AccountDeps) {}

  /** Lets another module remove its own rows of a user being deleted (same transaction). */
  onDelete(hook: AccountDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  /**
   * A taken address counts as a failed login for that address and IP; a 429 from the
   * backoff comes before any hashing. The password policy runs first: it says nothing
   * about the address, and a weak password is not a guess.
   */
  async register(input: RegisterInput): Promise<SessionGrant> {
    const email = normaliseEmail(input.email);
    const password = await enforcePasswordPolicy(input.password, email, this.deps.breachChecker);
    const throttleKey = loginThrottleKey(this.deps.secrets, email);
    await this.deps.throttle.check(throttleKey, input.ip);
    let grant: SessionGrant;
    try {
      grant = await this.createAccount(email, password, input);
    } catch (error) {
      if (isHttpError(error) && error.code === 'EMAIL_TAKEN') {
        await this.deps.throttle.failure(throttleKey, input.ip);
      }
      // Anything else reports nothing: the throttle lets the pending attempt expire.
      throw error;
    }
    await this.deps.throttle.success(throttleKey, input.ip);
    return grant;
  }

  private async createAccount(
    email: string,
    password: string,
    context: SessionContext,
  ): Promise<SessionGrant> {
    // Argon2 first, taken or not, so both answers cost the same; and before the
    // transaction, which holds the database.
    const passwordHash = await this.deps.hasher.hash(password);
    const emailLookup = this.deps.secrets.lookupHash('email', email);
    if ((await this.deps.storage.users.findByEmailLookup(emailLookup)) !== null) {
      throw emailTaken();
    }
    const now = this.deps.clock.now();
    const userId = uuidv7(now);
    try {
      const issued = await this.deps.storage.transaction(async () => {
        await this.deps.storage.users.create({
          id: userId,
          emailLookup,
          emailSealed: this.deps.secrets.seal(email, emailAad(userId)),
          passwordHash,
          createdAt: now,
          updatedAt: now,
          passwordChangedAt: now,
        });
        return this.deps.sessions.issue(userId, context);
      });
      return { kind: 'session', ...issued, user: { id: userId, email } };
    } catch (error) {
      // Two registrations for one email at once: the unique lookup index decides.
      if (error instanceof EmailTakenError) throw emailTaken();
      throw error;
    }
  }

  async emailOf(userId: string): Promise<string> {
    const user = await this.deps.storage.users.findById(userId);
    if (user === null) throw notFound('USER_NOT_FOUND', 'No such account.');
    return this.deps.secrets.open(user.emailSealed, emailAad(userId));
  }

  /**
   * Checks the password of a signed-in user (step-up, password change). A wrong password
   * is 403 INVALID_CREDENTIALS, not 401: the session itself is fine, and a 401 would make
   * clients drop it. Failures count against the account's login backoff, so a stolen
   * session cannot guess the password faster than a login could.
   */
  async checkPassword(userId: string, password: string, ip: string): Promise<void> {
    const user = await this.deps.storage.users.findById(userId);
    if (user === null) throw notFound('USER_NOT_FOUND', 'No such account.');
    const email = this.deps.secrets.open(user.emailSealed, emailAad(user.id));
    await throttledLogin(
      this.deps.throttle,
      loginThrottleKey(this.deps.secrets, email),
      ip,
      async () => {
        if (!(await this.deps.hasher.verify(user.passwordHash, normalisePassword(password)))) {
          throw forbidden('INVALID_CREDENTIALS', 'The password is not correct.');
        }
      },
    );
  }

  async changePassword(input: ChangePasswordInput): Promise<{ endedSessions: number }> {
    const user = await this.deps.storage.users.findById(input.userId);
    if (user === null) throw notFound('USER_NOT_FOUND', 'No such account.');
    await this.checkPassword(input.userId, input.currentPassword, input.ip);
    const email = this.deps.secrets.open(user.emailSealed, emailAad(user.id));
    const password = await enforcePasswordPolicy(input.newPassword, email, this.deps.breachChecker);
    const newHash = await this.deps.hasher.hash(password);
    const endedSessions = await this.deps.storage.transaction(async () => {
      const replaced = await this.deps.storage.users.replacePasswordHash(
        user.id,
        user.passwordHash,
        newHash,
        this.deps.clock.now(),
        true,
      );
      if (!replaced) {
        throw conflict('CONFLICT', 'The password was changed meanwhile; try again.');
      }
      return input.endOtherSessions
        ? this.deps.sessions.revokeOthers(user.id, input.sessionId, 'password_changed')
        : 0;
    });
    await this.notify(user.id, 'password');
    return { endedSessions };
  }

  /**
   * Removes the account: the user row and, through ON DELETE CASCADE, sessions, second
   * factors and challenges; the repositories' own deletes and hooks run first in the same
   * transaction so storage without cascades is covered too.
   */
  async deleteAccount(userId: string): Promise<void> {
    await this.deps.storage.transaction(async () => {
      for (const hook of this.deletionHooks) await hook(userId);
      await this.deps.storage.mfa.deleteUserData(userId);
      await this.deps.storage.sessions.deleteForUser(userId);
      if (!(await this.deps.storage.users.delete(userId))) {
        throw notFound('USER_NOT_FOUND', 'No such account.');
      }
    });
  }

  private async notify(userId: string, what: string): Promise<void> {
    if (this.deps.notifier === null) return;
    try {
      await this.deps.notifier.factorChanged(userId, what);
    } catch (error) {
      this.deps.warn(
        `account change notice not sent: ${error instanceof Error ? error.name : 'unknown error'}`,
      );
    }
  }
}

function emailTaken() {
  return conflict('EMAIL_TAKEN', 'An account with this email already exists.');
}
