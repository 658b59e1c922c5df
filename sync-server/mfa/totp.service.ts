import QRCode from 'qrcode';

import type { Clock } from '../clock.js';
import { conflict, notFound } from '../http/errors.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { MfaRepository } from '../storage/mfa.repository.js';
import { matchTotp, newTotpSecret, totpUri } from './totp.js';

export const TOTP_ISSUER = 'Coffer';

export type TotpCheck = { result: 'ok'; step: number } | { result: 'invalid' | 'replayed' };

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  /** `data:image/png;base64,…` of the otpauth URI. */
  qrCode: string;
}

export interface TotpDeps {
  repo: MfaRepository;
  secrets: SecretBox;
  clock: Clock;
}

const aad = (userId: string): string => `totp:${userId}`;

/**
 * TOTP enrolment and verification. The secret is sealed with the master key the moment it
 * is made; the last accepted time step is stored so a code works once (a second use within
 * its window is a replay).
 */
export class TotpService {
  constructor(private readonly deps: TotpDeps) {}

  async isEnabled(userId: string): Promise<boolean> {
    const record = await this.deps.repo.getTotp(userId);
    return record !== null && record.confirmedAt !== null;
  }

  /** Starts (or restarts) enrolment; refused while TOTP is enabled (delete it first). */
  async begin(userId: string, accountName: string): Promise<TotpEnrolment> {
    if (await this.isEnabled(userId)) {
      throw conflict('TOTP_ALREADY_ENABLED', 'An authenticator app is already set up.');
    }
    const secret = newTotpSecret();
    await this.deps.repo.putPendingTotp(
      userId,
      this.deps.secrets.seal(secret, aad(userId)),
      this.deps.clock.now(),
    );
    const otpauthUri = totpUri(secret, TOTP_ISSUER, accountName);
    const qrCode = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2 });
    return { secret, otpauthUri, qrCode };
  }

  /** Enables the pending secret if `code` is right. */
  async confirm(userId: string, code: string): Promise<boolean> {
    const record = await this.deps.repo.getTotp(userId);
    if (record === null) {
      throw notFound('TOTP_NOT_STARTED', 'Start the authenticator app setup first.');
    }
    if (record.confirmedAt !== null) {
      throw conflict('TOTP_ALREADY_ENABLED', 'An authenticator app is already set up.');
    }
    const secret = this.deps.secrets.open(record.secretSealed, aad(userId));
    const now = this.deps.clock.now();
    const step = matchTotp({ secret }, code, now);
    if (step === null) return false;
    return this.deps.repo.confirmTotp(userId, step, now);
  }

  /** Verifies a code of an enabled authenticator and spends its time step. */
  async check(userId: string, code: string): Promise<TotpCheck> {
    const record = await this.deps.repo.getTotp(userId);
    if (record === null || record.confirmedAt === null) return { result: 'invalid' };
    const secret = this.deps.secrets.open(record.secretSealed, aad(userId));
    const step = matchTotp({ secret }, code, this.deps.clock.now());
    if (step === null) return { result: 'invalid' };
    if (!(await this.deps.repo.advanceTotpStep(userId, step))) return { result: 'replayed' };
    return { result: 'ok', step };
  }

  async remove(userId: string): Promise<boolean> {
    return this.deps.repo.deleteTotp(userId);
  }
}
