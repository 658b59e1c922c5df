import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

import type { Clock } from '../clock.js';
import { tooMany } from '../http/errors.js';
import type { Mailer } from '../mail/mailer.js';
import { userEmailAddress } from '../mail/user-address.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { MfaRepository } from '../storage/mfa.repository.js';
import type { UserRepository } from '../storage/user.repository.js';

export const EMAIL_CODE_TTL_MS = 10 * 60_000;
/**
 * At most this many codes per user per window, whatever the purpose. The window equals the
 * code lifetime: rows are pruned once expired, and until then they count.
 */
export const EMAIL_CODE_SEND_LIMIT = 5;
export const EMAIL_CODE_SEND_WINDOW_MS = EMAIL_CODE_TTL_MS;

export type EmailCodeCheck = 'ok' | 'invalid' | 'expired';

export interface EmailOtpDeps {
  repo: MfaRepository;
  users: UserRepository;
  secrets: SecretBox;
  mailer: Mailer;
  clock: Clock;
}

/**
 * Six-digit codes by email, valid ten minutes, single use. A code is stored as an HMAC
 * under the master key's lookup subkey (bound to the code's row id), never in the clear:
 * six digits are too few for a plain hash to hide anything. Sending a new code for the
 * same purpose (a login challenge, or step-up) withdraws the previous one.
 */
export class EmailOtpService {
  constructor(private readonly deps: EmailOtpDeps) {}

  async isEnabled(userId: string): Promise<boolean> {
    return this.deps.repo.isEmailOtpEnabled(userId);
  }

  async setEnabled(userId: string, enabled: boolean): Promise<void> {
    await this.deps.repo.setEmailOtpEnabled(userId, enabled, this.deps.clock.now());
  }

  /** Creates and mails a code; `challengeId` null means a step-up code. */
  async send(userId: string, challengeId: string | null): Promise<void> {
    const now = this.deps.clock.now();
    const recent = await this.deps.repo.countEmailCodesSince(
      userId,
      now - EMAIL_CODE_SEND_WINDOW_MS,
    );
    if (recent >= EMAIL_CODE_SEND_LIMIT) {
      throw tooMany(
        'TOO_MANY_CODES',
        'Too many codes were sent recently; wait a few minutes.',
        EMAIL_CODE_SEND_WINDOW_MS / 1000,
      );
    }
    const to = await userEmailAddress(this.deps.users, this.deps.secrets, userId);
    if (to === null) return;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = randomUUID();
    await this.deps.repo.putEmailCode({
      id,
      userId,
      challengeId,
      codeHash: this.hash(id, code),
      createdAt: now,
      expiresAt: now + EMAIL_CODE_TTL_MS,
      consumedAt: null,
    });
    await this.deps.mailer.send({
      to,
      subject: 'Your Coffer verification code',
      text: [
        `Your Coffer verification code is ${code}`,
        '',
        'It expires in 10 minutes and works once. If you did not try to sign in,',
        'someone knows your password: change it now.',
      ].join('\n'),
    });
  }

  /** Checks (and on success spends) the latest code for this purpose. */
  async check(userId: string, challengeId: string | null, input: string): Promise<EmailCodeCheck> {
    if (!/^[0-9]{6}$/.test(input)) return 'invalid';
    const record = await this.deps.repo.latestEmailCode(userId, challengeId);
    if (record === null || record.consumedAt !== null) return 'invalid';
    const expected = Buffer.from(record.codeHash, 'hex');
    const actual = Buffer.from(this.hash(record.id, input), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'invalid';
    const now = this.deps.clock.now();
    if (now >= record.expiresAt) return 'expired';
    return (await this.deps.repo.consumeEmailCode(record.id, now)) ? 'ok' : 'invalid';
  }

  private hash(id: string, code: string): string {
    return this.deps.secrets.lookupHash('email-otp', `${id}:${code}`);
  }
}
