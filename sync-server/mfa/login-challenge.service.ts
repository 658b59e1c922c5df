import { createHash, randomBytes, randomUUID } from 'node:crypto';

import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

import type { Clock } from '../clock.js';
import { HttpError, badRequest, forbidden, tooMany, unauthorized } from '../http/errors.js';
import type { LoginChallengeRecord, MfaRepository } from '../storage/mfa.repository.js';
import type { BackupCodesService } from './backup-codes.service.js';
import type { EmailOtpService } from './email-otp.service.js';
import { CHALLENGE_TTL_MS, MAX_CHALLENGE_FAILURES } from './mfa-gate.js';
import type {
  ChallengeContext,
  CompletedChallenge,
  MfaGate,
  MfaMethod,
  MfaProof,
  StartedChallenge,
} from './mfa-gate.js';
import type { Reservation, SecondFactorGuard } from './second-factor-guard.js';
import type { MfaSecurityEvent, SecurityEventDetails } from './security-alerts.service.js';
import type { TotpService } from './totp.service.js';
import type { WebauthnService } from './webauthn.service.js';

export interface LoginChallengeDeps {
  repo: MfaRepository;
  clock: Clock;
  totp: TotpService;
  email: EmailOtpService;
  backupCodes: BackupCodesService;
  webauthn: WebauthnService;
  /** The per-account cap on wrong answers, across challenges and step-ups. */
  guard: SecondFactorGuard;
  /**
   * True when a workspace the user belongs to forbids email codes: they are then refused at
   * sign-in and step-up with 403 EMAIL_OTP_FORBIDDEN, and none is mailed.
   */
  emailForbidden?: (userId: string) => Promise<boolean>;
  /** Logs and, where the owner should know, mails; never throws. */
  onSecurityEvent(
    event: MfaSecurityEvent,
    userId: string,
    details?: SecurityEventDetails,
  ): Promise<void>;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const challengeExpired = (): HttpError =>
  unauthorized('CHALLENGE_EXPIRED', 'The sign-in challenge expired or ended; log in again.');

const invalidCode = (): HttpError => unauthorized('INVALID_CODE', 'The code is not correct.');

const tooManyAnswers = (retryAfterMs: number): HttpError =>
  tooMany(
    'TOO_MANY_ATTEMPTS',
    'Too many wrong two-factor answers for this account; try again later.',
    retryAfterMs / 1000,
  );

/**
 * The second step of a login, and second-factor checks for step-up. A challenge token is
 * 256 random bits, stored as SHA-256, valid five minutes, completed once; it allows
 * MAX_CHALLENGE_FAILURES answers, after which the client must log in again.
 *
 * A fresh challenge does not mean fresh guesses: every answer, at sign-in or step-up, also
 * reserves a place under the account's cap (SecondFactorGuard: 10 wrong answers in a
 * rolling hour) before it is checked, so parallel guesses cannot exceed either limit. A
 * right answer gives the place back; a wrong one, a replayed TOTP code included, keeps it.
 * Once the cap is reached every answer, the right one too, is 429 TOO_MANY_ATTEMPTS with
 * Retry-After, and the owner is mailed.
 */
export class LoginChallengeService implements MfaGate {
  constructor(private readonly deps: LoginChallengeDeps) {}

  async methodsFor(userId: string): Promise<MfaMethod[]> {
    const methods: MfaMethod[] = [];
    if (await this.deps.webauthn.hasCredentials(userId)) methods.push('webauthn');
    if (await this.deps.totp.isEnabled(userId)) methods.push('totp');
    if (await this.deps.email.isEnabled(userId)) methods.push('email');
    if (methods.length === 0) return methods;
    // Backup codes stand in for a factor; on their own they are not one.
    if ((await this.deps.backupCodes.remaining(userId)) > 0) methods.push('backup_code');
    return methods;
  }

  async startChallenge(userId: string, context: ChallengeContext): Promise<StartedChallenge> {
    const methods = await this.methodsFor(userId);
    const challengeToken = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.repo.createLoginChallenge({
      id: randomUUID(),
      tokenHash: sha256(challengeToken),
      userId,
      context,
      createdAt: now,
      expiresAt: now + CHALLENGE_TTL_MS,
      attempts: 0,
      endedAt: null,
    });
    return { challengeToken, methods };
  }

  async completeChallenge(challengeToken: string, proof: MfaProof): Promise<CompletedChallenge> {
    const challenge = await this.openChallenge(challengeToken);
    await this.requireMethod(challenge.userId, proof.method);
    // The account's cap first: while it is reached, answers do not use up the challenge.
    const place = await this.takePlace(challenge.userId);
    if (!(await this.deps.repo.reserveChallengeAttempt(challenge.id, MAX_CHALLENGE_FAILURES))) {
      await this.deps.guard.release(place); // nothing was checked
      throw challengeExpired();
    }
    try {
      await this.answerIn(place, () => this.verify(challenge.userId, proof, challenge));
    } catch (error) {
      if (challenge.attempts + 1 >= MAX_CHALLENGE_FAILURES) {
        await this.deps.onSecurityEvent('challenge_exhausted', challenge.userId);
      }
      throw error;
    }
    if (!(await this.deps.repo.endLoginChallenge(challenge.id, this.deps.clock.now()))) {
      throw challengeExpired();
    }
    return { userId: challenge.userId, method: proof.method, context: challenge.context };
  }

  async verifySecondFactor(userId: string, proof: MfaProof): Promise<{ method: MfaMethod }> {
    await this.requireMethod(userId, proof.method);
    await this.answerIn(await this.takePlace(userId), () => this.verify(userId, proof, null));
    return { method: proof.method };
  }

  /** A place under the account's cap, or 429 TOO_MANY_ATTEMPTS while it is reached. */
  private async takePlace(userId: string): Promise<Reservation> {
    const reserved = await this.deps.guard.reserve(userId);
    if (reserved.kind === 'reserved') return reserved.reservation;
    await this.deps.onSecurityEvent('second_factor_locked', userId, { until: reserved.until });
    throw tooManyAnswers(reserved.until - this.deps.clock.now());
  }

  /**
   * Runs `check` in `place`: a right answer gives the place back; a wrong one keeps it, and
   * when that reaches the cap the owner is told.
   */
  private async answerIn(place: Reservation, check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (error) {
      const until = await this.deps.guard.lockedUntil(place.userId);
      if (until !== null) {
        await this.deps.onSecurityEvent('second_factor_locked', place.userId, { until });
      }
      throw error;
    }
    await this.deps.guard.release(place);
  }

  /** Mails a code for an open challenge (the client asks when the user picks email). */
  async sendChallengeEmailCode(challengeToken: string): Promise<void> {
    const challenge = await this.openChallenge(challengeToken);
    await this.requireMethod(challenge.userId, 'email');
    await this.deps.email.send(challenge.userId, challenge.id);
  }

  /** Mails a code a signed-in user can give to step-up. */
  async sendStepUpEmailCode(userId: string): Promise<void> {
    await this.requireMethod(userId, 'email');
    await this.deps.email.send(userId, null);
  }

  /** Assertion options for answering an open challenge with a passkey. */
  async challengeWebauthnOptions(
    challengeToken: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const challenge = await this.openChallenge(challengeToken);
    await this.requireMethod(challenge.userId, 'webauthn');
    return this.deps.webauthn.authenticationOptions({
      ceremony: 'second_factor',
      userId: challenge.userId,
      loginChallengeId: challenge.id,
    });
  }

  private async openChallenge(challengeToken: string): Promise<LoginChallengeRecord> {
    const challenge = await this.deps.repo.getLoginChallengeByTokenHash(sha256(challengeToken));
    if (
      challenge === null ||
      challenge.endedAt !== null ||
      challenge.attempts >= MAX_CHALLENGE_FAILURES ||
      this.deps.clock.now() >= challenge.expiresAt
    ) {
      throw challengeExpired();
    }
    return challenge;
  }

  private async requireMethod(userId: string, method: MfaMethod): Promise<void> {
    if (!(await this.methodsFor(userId)).includes(method)) {
      throw badRequest('METHOD_NOT_AVAILABLE', `Two-factor method ${method} is not set up.`);
    }
    if (method === 'email' && (await this.deps.emailForbidden?.(userId)) === true) {
      throw forbidden(
        'EMAIL_OTP_FORBIDDEN',
        'A workspace you belong to does not accept email codes: use another method.',
      );
    }
  }

  private async verify(
    userId: string,
    proof: MfaProof,
    challenge: LoginChallengeRecord | null,
  ): Promise<void> {
    switch (proof.method) {
      case 'totp': {
        const check = await this.deps.totp.check(userId, proof.code);
        if (check.result === 'replayed') {
          await this.deps.onSecurityEvent('totp_replay', userId);
          throw unauthorized('CODE_REPLAYED', 'This code was already used; wait for the next one.');
        }
        if (check.result !== 'ok') throw invalidCode();
        return;
      }
      case 'email': {
        const check = await this.deps.email.check(userId, challenge?.id ?? null, proof.code);
        if (check === 'expired') {
          throw unauthorized('CODE_EXPIRED', 'The code expired; ask for a new one.');
        }
        if (check !== 'ok') throw invalidCode();
        return;
      }
      case 'backup_code': {
        if (!(await this.deps.backupCodes.consume(userId, proof.code))) throw invalidCode();
        await this.deps.onSecurityEvent('backup_code_used', userId);
        return;
      }
      case 'webauthn': {
        await this.deps.webauthn.verifyAuthentication(
          proof.response,
          challenge === null
            ? { ceremony: 'step_up', userId }
            : { ceremony: 'second_factor', userId, loginChallengeId: challenge.id },
        );
        return;
      }
    }
  }
}
