import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Notifier } from '../mail/notifier.js';
import type { Storage } from '../storage/storage.js';
import { updateCounter } from '../storage/update-counter.js';
import type { BackupCodesService } from './backup-codes.service.js';
import { MAX_SECOND_FACTOR_FAILURES } from './second-factor-guard.js';

/** Security events of the second step (never logged or mailed with the code itself). */
export type MfaSecurityEvent =
  'totp_replay' | 'challenge_exhausted' | 'backup_code_used' | 'second_factor_locked';

export interface SecurityEventDetails {
  /** For `second_factor_locked`: when answers are accepted again. */
  until?: number;
}

/**
 * After a lockout mail, further lockouts of the account mail nobody for this long: one
 * mail per episode, and an attacker who keeps guessing at the cap's pace causes at most
 * one an hour.
 */
export const LOCKOUT_NOTICE_QUIET_MS = 60 * 60_000;
/**
 * Replayed TOTP codes mail the owner at most once in this time. Every replay is also a
 * wrong answer under the second-factor cap (at most 10 an hour), and needs the password
 * and a code just used, so this only keeps a double-submitting user from getting a mail
 * per click and a replaying attacker from filling the owner's inbox.
 */
export const REPLAY_NOTICE_QUIET_MS = 60 * 60_000;

export interface SecurityAlertDeps {
  storage: Pick<Storage, 'counters'>;
  notifier: Notifier;
  backupCodes: BackupCodesService;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Turns second-factor security events into a log line and, where the owner should know,
 * a mail: a lockout (once per episode), a replayed TOTP code (at most hourly), every used
 * backup code (at most ten per set, each one worth knowing). Which mails went out recently
 * is kept in storage (`counters`, scope `owner_notice`), so a restart does not resend.
 * Never throws: a relay failure is logged, and the request goes on.
 */
export class SecurityAlertService {
  constructor(private readonly deps: SecurityAlertDeps) {}

  async report(
    event: MfaSecurityEvent,
    userId: string,
    details: SecurityEventDetails = {},
  ): Promise<void> {
    try {
      switch (event) {
        case 'challenge_exhausted':
          this.log(event, userId);
          return;
        case 'totp_replay':
          this.log(event, userId);
          if (await this.claimNotice(event, userId, REPLAY_NOTICE_QUIET_MS)) {
            await this.deps.notifier.totpReplayed(userId);
          }
          return;
        case 'backup_code_used':
          this.log(event, userId);
          await this.deps.notifier.backupCodeUsed(
            userId,
            await this.deps.backupCodes.remaining(userId),
          );
          return;
        case 'second_factor_locked':
          // Logged once per episode too: every refused answer is in the audit log already.
          if (await this.claimNotice(event, userId, LOCKOUT_NOTICE_QUIET_MS)) {
            this.log(event, userId);
            await this.deps.notifier.secondFactorLocked(userId, {
              failures: MAX_SECOND_FACTOR_FAILURES,
              until: details.until ?? this.deps.clock.now(),
            });
          }
          return;
      }
    } catch (error) {
      this.deps.logger.warn(
        { event, userId, err: error instanceof Error ? error.name : 'unknown' },
        'security notice not sent',
      );
    }
  }

  private log(event: MfaSecurityEvent, userId: string): void {
    this.deps.logger.warn({ event, userId }, `mfa: ${event}`);
  }

  /** True for the one caller that may send this notice now (none other until `quietMs`). */
  private claimNotice(event: MfaSecurityEvent, userId: string, quietMs: number): Promise<boolean> {
    const now = this.deps.clock.now();
    return updateCounter<{ sentAt: number }, boolean>(
      this.deps.storage,
      'owner_notice',
      `${event}:${userId}`,
      now,
      (sent) =>
        sent !== null
          ? { next: null, result: false }
          : { next: { state: { sentAt: now }, expiresAt: now + quietMs }, result: true },
    );
  }
}
