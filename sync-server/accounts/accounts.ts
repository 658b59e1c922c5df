import { auditPseudonym } from '../audit/audit-pseudonym.js';
import type { ServerDeps } from '../deps.js';
import { createAuthHooks } from '../http/auth-context.js';
import type { AuthHooks } from '../http/auth-context.js';
import { createMfaServices } from '../mfa/mfa-services.js';
import type { MfaServices } from '../mfa/mfa-services.js';
import { AccountService } from './account.service.js';
import { ExportService } from './export.service.js';
import type { SignInHistorySource } from './export.service.js';
import { HibpClient } from './hibp.client.js';
import { LoginService } from './login.service.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionService } from './session.service.js';
import { StepUpService } from './step-up.service.js';

/** The account services of one server, wired once per ServerDeps. */
export interface Accounts {
  hasher: PasswordHasher;
  sessions: SessionService;
  login: LoginService;
  accounts: AccountService;
  stepUp: StepUpService;
  exports: ExportService;
  auth: AuthHooks;
  mfa: MfaServices;
}

export interface AccountsOptions {
  /** The HTTPS port once listening (config.port may be 0); WebAuthn origins need it. */
  listeningPort?: () => number;
  /** Sign-in history for the account export (the audit module). */
  signIns?: SignInHistorySource;
}

const wired = new WeakMap<ServerDeps, Accounts>();

/**
 * The same Accounts for every caller with the same deps, so the auth and me route
 * plugins (and anyone else, e.g. the mfa routes for `sessions.issue` and `auth`) share one
 * password hasher — its dummy hash for unknown emails is computed once.
 */
export function accountsFor(deps: ServerDeps, options: AccountsOptions = {}): Accounts {
  let accounts = wired.get(deps);
  if (accounts === undefined) {
    accounts = createAccounts(deps, options);
    wired.set(deps, accounts);
  }
  return accounts;
}

export function createAccounts(deps: ServerDeps, options: AccountsOptions = {}): Accounts {
  const warn = (message: string): void => deps.logger.warn(message);
  const hasher = new PasswordHasher(deps.argon2);
  hasher.warmUp().catch((error: unknown) => {
    deps.logger.error({ err: error }, 'could not prepare the dummy password hash');
  });
  const sessions = new SessionService(deps);
  const mfa = createMfaServices(deps, options.listeningPort);
  const breachChecker = deps.config.hibp.enabled
    ? new HibpClient({
        baseUrl: deps.config.hibp.baseUrl,
        trust: deps.outboundTrust,
        // Fail open (accounts/README.md): an outage must not block sign-ups.
        onUnavailable: (reason) =>
          warn(`HaveIBeenPwned range check unavailable (${reason}); password accepted without it`),
      })
    : null;
  const accounts = new AccountService({
    storage: deps.storage,
    secrets: deps.secrets,
    clock: deps.clock,
    hasher,
    sessions,
    breachChecker,
    notifier: mfa.notifier,
    warn,
    throttle: deps.loginThrottle,
  });
  // The audit trail outlives the account: in the deletion's transaction its rows swap
  // the user id for a pseudonym (audit/audit-pseudonym.ts) instead of going with it.
  accounts.onDelete(async (userId) => {
    await deps.storage.audit.pseudonymiseUser(userId, auditPseudonym(deps.secrets, userId));
  });
  const login = new LoginService({
    storage: deps.storage,
    secrets: deps.secrets,
    clock: deps.clock,
    hasher,
    sessions,
    mfa: mfa.gate,
    notifier: mfa.notifier,
    warn,
    throttle: deps.loginThrottle,
  });
  return {
    hasher,
    sessions,
    login,
    accounts,
    stepUp: new StepUpService({ accounts, sessions, mfa: mfa.gate }),
    exports: new ExportService({
      storage: deps.storage,
      clock: deps.clock,
      accounts,
      signIns: options.signIns ?? deps.storage.audit,
    }),
    auth: createAuthHooks(sessions, deps.clock),
    mfa,
  };
}
