import { publicOrigin } from '../config/server-config.js';
import type { ServerConfig } from '../config/server-config.js';
import type { ServerDeps } from '../deps.js';
import { Notifier } from '../mail/notifier.js';
import { BackupCodesService } from './backup-codes.service.js';
import { EmailOtpService } from './email-otp.service.js';
import { LoginChallengeService } from './login-challenge.service.js';
import { SecondFactorGuard } from './second-factor-guard.js';
import { SecurityAlertService } from './security-alerts.service.js';
import { TotpService } from './totp.service.js';
import { WebauthnService } from './webauthn.service.js';

export const WEBAUTHN_RP_NAME = 'Coffer';

export interface MfaServices {
  totp: TotpService;
  email: EmailOtpService;
  backupCodes: BackupCodesService;
  webauthn: WebauthnService;
  /** Implements MfaGate (login and step-up use it). */
  gate: LoginChallengeService;
  notifier: Notifier;
  alerts: SecurityAlertService;
}

export type MfaDeps = Pick<
  ServerDeps,
  'config' | 'clock' | 'storage' | 'secrets' | 'mailer' | 'logger'
>;

/** WebAuthn relying-party id: --rp-id, else the public URL's host, else `localhost`. */
export function webauthnRpId(config: ServerConfig): string {
  if (config.rpId !== undefined) return config.rpId;
  if (config.publicUrl !== undefined) return new URL(config.publicUrl).hostname;
  return 'localhost';
}

/**
 * Origins a browser may report for this server: the public URL when configured, otherwise
 * `https://<rpId>:<port>` and `https://<host>:<port>` for the port actually listened on;
 * plus the app origins the operator allowed with --webauthn-origin (the app is not served
 * from the server's origin, yet its passkeys are this server's).
 */
export function webauthnOrigins(config: ServerConfig, listeningPort: number): string[] {
  const own =
    config.publicUrl !== undefined
      ? [new URL(config.publicUrl).origin]
      : [`https://${webauthnRpId(config)}:${listeningPort}`, publicOrigin(config, listeningPort)];
  return [...new Set([...own, ...config.webauthnOrigins])];
}

/**
 * The second-factor services over one set of dependencies. They keep no state of their
 * own (everything lives in storage), so building them more than once is harmless.
 * `listeningPort` reports the HTTPS port once known (config.port may be 0).
 */
export function createMfaServices(
  deps: MfaDeps,
  listeningPort: () => number = () => deps.config.port,
): MfaServices {
  const repo = deps.storage.mfa;
  const totp = new TotpService({ repo, secrets: deps.secrets, clock: deps.clock });
  const email = new EmailOtpService({
    repo,
    users: deps.storage.users,
    secrets: deps.secrets,
    mailer: deps.mailer,
    clock: deps.clock,
  });
  const backupCodes = new BackupCodesService(repo, deps.clock);
  const webauthn = new WebauthnService({
    repo,
    clock: deps.clock,
    config: {
      rpId: webauthnRpId(deps.config),
      rpName: WEBAUTHN_RP_NAME,
      origins: () => webauthnOrigins(deps.config, listeningPort()),
    },
    onCounterRegression: ({ userId }) =>
      deps.logger.warn(
        { event: 'webauthn_counter_regression', userId },
        'passkey counter went back',
      ),
  });
  const notifier = new Notifier({
    users: deps.storage.users,
    secrets: deps.secrets,
    mailer: deps.mailer,
    clock: deps.clock,
  });
  const alerts = new SecurityAlertService({
    storage: deps.storage,
    notifier,
    backupCodes,
    clock: deps.clock,
    logger: deps.logger,
  });
  const gate = new LoginChallengeService({
    repo,
    clock: deps.clock,
    totp,
    email,
    backupCodes,
    webauthn,
    guard: new SecondFactorGuard({ storage: deps.storage, clock: deps.clock }),
    emailForbidden: async (userId) =>
      (await deps.storage.workspaces.policyForUser(userId)).forbidEmailOtp,
    onSecurityEvent: (event, userId, details) => alerts.report(event, userId, details),
  });
  return { totp, email, backupCodes, webauthn, gate, notifier, alerts };
}
