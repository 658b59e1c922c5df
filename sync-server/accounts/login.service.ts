import { loginThrottleKey, throttledLogin } from '../audit/login-throttle.js';
import type { LoginThrottle } from '../audit/login-throttle.js';
import type { Clock } from '../clock.js';
import { unauthorized } from '../http/errors.js';
import type { MfaGate, MfaMethod } from '../mfa/mfa-gate.js';
import { normaliseEmail } from '../secrets/secret-box.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Storage } from '../storage/storage.js';
import type { PasswordHasher } from './password-hasher.js';
import { normalisePassword } from './password-policy.js';
import type { SessionContext, SessionService } from './session.service.js';

export interface LoginInput extends SessionContext {
  email: string;
  password: string;
}

export interface SessionGrant {
  kind: 'session';
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

export interface MfaChallengeGrant {
  kind: 'mfa';
  challengeToken: string;
  methods: MfaMethod[];
}

/** Structural subset of the mfa owner's Notifier that login uses. */
export interface SignInNotifier {
  newSignIn(userId: string, details: SessionContext & { at: number }): Promise<void>;
}

export interface LoginDeps {
  storage: Storage;
  secrets: SecretBox;
  clock: Clock;
  hasher: PasswordHasher;
  sessions: SessionService;
  mfa: MfaGate | null;
  notifier: SignInNotifier | null;
  warn: (message: string) => void;
  /** Failed-login backoff (audit module): 429 RATE_LIMITED before the password is checked. */
  throttle: LoginThrottle;
}

export const INVALID_CREDENTIALS_MESSAGE = 'The email or password is not correct.';

export function invalidCredentials() {
  return unauthorized('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
}

/**
 * Email + password sign-in. An unknown email and a wrong password answer the same 401
 * after the same work (one Argon2 verification: a dummy hash stands in for the missing
 * account), so neither the answer nor its timing tells which emails have accounts.
 */
export class LoginService {
  constructor(private readonly deps: LoginDeps) {}

  /** The user id whose password this is, or throws 401 INVALID_CREDENTIALS. */
  async verifyPassword(
    email: string,
    password: string,
  ): Promise<{ userId: string; email: string }> {
    const normalisedEmail = normaliseEmail(email);
    const normalisedPassword = normalisePassword(password);
    const user = await this.deps.storage.users.findByEmailLookup(
      this.deps.secrets.lookupHash('email', normalisedEmail),
    );
    if (user === null) {
      await this.deps.hasher.verifyDummy(normalisedPassword);
      throw invalidCredentials();
    }
    if (!(await this.deps.hasher.verify(user.passwordHash, normalisedPassword))) {
      throw invalidCredentials();
    }
    if (this.deps.hasher.needsRehash(user.passwordHash)) {
      // The plaintext is at hand only now: upgrade to the current parameters. Conditional
      // on the old hash, so a password change racing this login wins.
      const upgraded = await this.deps.hasher.hash(normalisedPassword);
      await this.deps.storage.users.replacePasswordHash(
        user.id,
        user.passwordHash,
        upgraded,
        this.deps.clock.now(),
        false,
      );
    }
    return { userId: user.id, email: normalisedEmail };
  }

  async login(input: LoginInput): Promise<SessionGrant | MfaChallengeGrant> {
    const { userId, email } = await throttledLogin(
      this.deps.throttle,
      loginThrottleKey(this.deps.secrets, input.email),
      input.ip,
      () => this.verifyPassword(input.email, input.password),
    );
    const context: SessionContext = {
      deviceName: input.deviceName,
      platform: input.platform,
      ip: input.ip,
      userAgent: input.userAgent,
    };
    const methods = this.deps.mfa === null ? [] : await this.deps.mfa.methodsFor(userId);
    if (methods.length > 0 && this.deps.mfa !== null) {
      const challenge = await this.deps.mfa.startChallenge(userId, context);
      return { kind: 'mfa', challengeToken: challenge.challengeToken, methods: challenge.methods };
    }
    const issued = await this.deps.sessions.issue(userId, context);
    await this.notifySignIn(userId, context);
    return { kind: 'session', ...issued, user: { id: userId, email } };
  }

  /** A failed notice must not fail the sign-in that already happened. */
  private async notifySignIn(userId: string, context: SessionContext): Promise<void> {
    if (this.deps.notifier === null) return;
    try {
      await this.deps.notifier.newSignIn(userId, { ...context, at: this.deps.clock.now() });
    } catch (error) {
      this.deps.warn(
        `new sign-in notice not sent: ${error instanceof Error ? error.name : 'unknown error'}`,
      );
    }
  }
}
