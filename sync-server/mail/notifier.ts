import type { Clock } from '../clock.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { UserRepository } from '../storage/user.repository.js';
import type { Mailer } from './mailer.js';
import { userEmailAddress } from './user-address.js';

export interface SignInDetails {
  deviceName: string;
  platform: string;
  ip: string;
  userAgent: string;
  /** ms since the epoch. */
  at: number;
  /** How the user signed in, when known ('password', 'totp', 'webauthn', …). */
  method?: string;
}

/** Factor changes the mfa and accounts code report; any other text is shown as given. */
const CHANGE_TEXT: Readonly<Record<string, string>> = {
  password: 'Your password was changed.',
  totp_enabled: 'An authenticator app was set up for two-factor sign-in.',
  totp_removed: 'The authenticator app was removed from two-factor sign-in.',
  email_otp_enabled: 'Sign-in codes by email were turned on.',
  email_otp_disabled: 'Sign-in codes by email were turned off.',
  backup_codes_regenerated: 'New backup codes were made; the old ones no longer work.',
  passkey_added: 'A passkey was added to your account.',
  passkey_removed: 'A passkey was removed from your account.',
};

export interface NotifierDeps {
  users: UserRepository;
  secrets: SecretBox;
  mailer: Mailer;
  clock: Clock;
}

/**
 * Security notices by email: every new sign-in and every change to how the account signs
 * in. They tell the owner that something happened, never a code or a secret, so a notice
 * read by someone else gives nothing away. Callers treat a failed notice as non-fatal.
 */
export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  async newSignIn(userId: string, details: SignInDetails): Promise<void> {
    const to = await userEmailAddress(this.deps.users, this.deps.secrets, userId);
    if (to === null) return;
    await this.deps.mailer.send({
      to,
      subject: 'New sign-in to your Coffer account',
      text: [
        'Your Coffer account was signed in to.',
        '',
        `When:    ${new Date(details.at).toUTCString()}`,
        `Device:  ${oneLine(details.deviceName)} (${oneLine(details.platform)})`,
        `From IP: ${oneLine(details.ip)}`,
        ...(details.method === undefined ? [] : [`Method:  ${oneLine(details.method)}`]),
        '',
        'If this was not you, change your password and revoke the session in Settings.',
      ].join('\n'),
    });
  }

  async factorChanged(userId: string, what: string): Promise<void> {
    const to = await userEmailAddress(this.deps.users, this.deps.secrets, userId);
    if (to === null) return;
    await this.deps.mailer.send({
      to,
      subject: 'Your Coffer sign-in settings changed',
      text: [
        CHANGE_TEXT[what] ?? `Your sign-in settings changed: ${oneLine(what)}.`,
        '',
        `When: ${new Date(this.deps.clock.now()).toUTCString()}`,
        '',
        'If this was not you, change your password and review your sessions now.',
      ].join('\n'),
    });
  }

  /**
   * The account reached the cap on wrong second-factor answers: someone who had the
   * password (a sign-in) or a session (a step-up) kept guessing.
   */
  async secondFactorLocked(
    userId: string,
    details: { failures: number; until: number },
  ): Promise<void> {
    const to = await userEmailAddress(this.deps.users, this.deps.secrets, userId);
    if (to === null) return;
    await this.deps.mailer.send({
      to,
      subject: 'Too many wrong sign-in codes for your Coffer account',
      text: [
        `${details.failures} wrong two-factor answers (codes, backup codes or passkey checks) were`,
        'given for your Coffer account within an hour, after the correct password. Coffer now',
        `refuses every two-factor answer until ${new Date(details.until).toUTCString()}.`,
        '',
        `When: ${new Date(this.deps.clock.now()).toUTCString()}`,
        '',
        'If this was not you, someone knows your password: change it now, and review your',
        'sessions and two-factor settings.',
      ].join('\n'),
    });
  }

  /** An authenticator code was given a second time (after it had been accepted once). */
  async totpReplayed(userId: string): Promise<void> {
    const to = await userEmailAddress(this.deps.users, this.deps.secrets, userId);
    if (to === null) return;
    await this.deps.mailer.send({
      to,
      subject: 'An authenticator code was used twice on your Coffer account',
      text: [
        'A code from your authenticator app was entered for your Coffer account after it had',
        'already been used, together with the correct password. It was refused.',
        '',
        `When: ${new Date(this.deps.clock.now()).toUTCString()}`,
        '',
        'If you just entered the same code twice, nothing is wrong. Otherwise someone may have',
        'seen your code and knows your password: change your password now.',
      ].join('\n'),
    });
  }

  /** A backup code was spent (sign-in or step-up); says how many are left. */
  async backupCodeUsed(userId: string, remaining: number): Promise<void> {
    const to = await userEmailAddress(this.deps.users, this.deps.secrets, userId);
    if (to === null) return;
    await this.deps.mailer.send({
      to,
      subject: 'A backup code was used on your Coffer account',
      text: [
        'A backup code was used as the second factor for your Coffer account. It no longer',
        `works; ${remaining} unused backup code${remaining === 1 ? '' : 's'} left.`,
        '',
        `When: ${new Date(this.deps.clock.now()).toUTCString()}`,
        '',
        'If this was not you, change your password now and make new backup codes.',
      ].join('\n'),
    });
  }
}

/** Device names come from clients: keep them to one printable line in a mail body. */
function oneLine(value: string): string {
  const printable = Array.from(value, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code < 0xa0) ? ' ' : ch;
  }).join('');
  return printable.slice(0, 200);
}
