import type { SignInEntry } from '../audit/sign-in-history.js';
import type { Clock } from '../clock.js';
import { notFound } from '../http/errors.js';
import type { Storage } from '../storage/storage.js';
import type { AccountService } from './account.service.js';
import { sessionExpiresAt, sessionState } from './session.service.js';
import type { SessionState } from './session.service.js';

export interface ExportedSession {
  id: string;
  deviceName: string;
  platform: string;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  state: SessionState;
  endedAt: string | null;
  current: boolean;
}

export interface AccountExport {
  format: 'coffer-account-export';
  version: 1;
  exportedAt: string;
  profile: { id: string; email: string; createdAt: string; passwordChangedAt: string };
  sessions: ExportedSession[];
  /** Which second factors exist and when they were set up — never their secrets. */
  factors: {
    totp: { confirmedAt: string | null; createdAt: string } | null;
    emailOtp: { enabled: boolean };
    backupCodes: { remaining: number };
    passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
  };
  /** Own sign-in history from the audit log (90 days), newest first. */
  signIns: SignInEntry[];
}

/** Where sign-in history comes from: the audit repository. */
export interface SignInHistorySource {
  signInsFor(userId: string): Promise<SignInEntry[]>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** "Export my data": everything the server keeps about the user, as JSON, minus secrets. */
export class ExportService {
  constructor(
    private readonly deps: {
      storage: Storage;
      clock: Clock;
      accounts: AccountService;
      signIns: SignInHistorySource;
    },
  ) {}

  async exportAccount(userId: string, currentSessionId: string): Promise<AccountExport> {
    const { storage, clock } = this.deps;
    const now = clock.now();
    const user = await storage.users.findById(userId);
    if (user === null) throw notFound('USER_NOT_FOUND', 'No such account.');
    const [email, sessions, totp, emailOtp, backupCodes, passkeys, signIns] = await Promise.all([
      this.deps.accounts.emailOf(userId),
      storage.sessions.listForUser(userId),
      storage.mfa.getTotp(userId),
      storage.mfa.isEmailOtpEnabled(userId),
      storage.mfa.countUnusedBackupCodes(userId),
      storage.mfa.listCredentials(userId),
      this.deps.signIns.signInsFor(userId),
    ]);
    return {
      format: 'coffer-account-export',
      version: 1,
      exportedAt: iso(now),
      profile: {
        id: user.id,
        email,
        createdAt: iso(user.createdAt),
        passwordChangedAt: iso(user.passwordChangedAt),
      },
      sessions: sessions.map((session) => {
        const state = sessionState(session, now);
        return {
          id: session.id,
          deviceName: session.deviceName,
          platform: session.platform,
          ip: session.ip,
          userAgent: session.userAgent,
          createdAt: iso(session.createdAt),
          lastSeenAt: iso(session.lastSeenAt),
          state,
          endedAt:
            state === 'revoked'
              ? isoOrNull(session.revokedAt)
              : state === 'expired'
                ? iso(sessionExpiresAt(session))
                : null,
          current: session.id === currentSessionId,
        };
      }),
      factors: {
        totp:
          totp === null
            ? null
            : { confirmedAt: isoOrNull(totp.confirmedAt), createdAt: iso(totp.createdAt) },
        emailOtp: { enabled: emailOtp },
        backupCodes: { remaining: backupCodes },
        passkeys: passkeys.map((credential) => ({
          id: credential.id,
          name: credential.name,
          createdAt: iso(credential.createdAt),
          lastUsedAt: isoOrNull(credential.lastUsedAt),
        })),
      },
      signIns,
    };
  }
}
