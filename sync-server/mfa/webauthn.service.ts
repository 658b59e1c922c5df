import { createHash, randomBytes } from 'node:crypto';

import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';

import type { Clock } from '../clock.js';
import { HttpError, conflict } from '../http/errors.js';
import type {
  MfaRepository,
  WebauthnCeremony,
  WebauthnChallengeRecord,
  WebauthnCredentialRecord,
} from '../storage/mfa.repository.js';

export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** ES256, EdDSA, RS256: what platform authenticators and security keys use today. */
const ALGORITHMS = [-7, -8, -257];

export interface WebauthnConfig {
  rpId: string;
  rpName: string;
  /** Origins the browser may report (the server's public https origin). */
  origins(): string[];
}

export interface WebauthnDeps {
  repo: MfaRepository;
  clock: Clock;
  config: WebauthnConfig;
  /**
   * Called when a correctly signed assertion's counter went backwards (a cloned key?). Never
   * for an assertion whose signature failed: its counter is whatever the forger wrote.
   */
  onCounterRegression?(credential: { userId: string; credentialId: string }): void;
}

/** What an authentication must match besides the signature. */
export type AuthenticationExpectation =
  | { ceremony: 'login' }
  | { ceremony: 'second_factor'; userId: string; loginChallengeId: string }
  | { ceremony: 'step_up'; userId: string };

const rejected = (message: string): HttpError => new HttpError(401, 'WEBAUTHN_REJECTED', message);
/**
 * Every failed assertion gets this one answer, whatever failed (unknown key, another
 * account's key, bad signature, bad authenticator data): the answer tells a forger nothing.
 */
const assertionRejected = (): HttpError => rejected('The passkey could not be verified.');
const challengeInvalid = (): HttpError =>
  new HttpError(
    401,
    'WEBAUTHN_CHALLENGE_INVALID',
    'The passkey challenge is unknown, used or expired; ask for new options.',
  );

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Passkeys with @simplewebauthn/server. Every ceremony's challenge is stored (hashed) with
 * what it is for, taken out on first use (so it works once) and dies after five minutes.
 * Signature counters only move forward; a counter that goes back in a correctly signed
 * assertion is refused and reported.
 */
export class WebauthnService {
  constructor(private readonly deps: WebauthnDeps) {}

  async hasCredentials(userId: string): Promise<boolean> {
    return (await this.deps.repo.listCredentials(userId)).length > 0;
  }

  async list(userId: string): Promise<WebauthnCredentialRecord[]> {
    return this.deps.repo.listCredentials(userId);
  }

  async remove(userId: string, credentialId: string): Promise<boolean> {
    return this.deps.repo.deleteCredential(userId, credentialId);
  }

  async rename(userId: string, credentialId: string, name: string): Promise<boolean> {
    return this.deps.repo.renameCredential(userId, credentialId, name);
  }

  async registrationOptions(
    userId: string,
    userName: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const handle = await this.deps.repo.ensureUserHandle(
      userId,
      isoBase64URL.fromBuffer(randomBytes(32)),
    );
    const existing = await this.deps.repo.listCredentials(userId);
    const options = await generateRegistrationOptions({
      rpName: this.deps.config.rpName,
      rpID: this.deps.config.rpId,
      userName,
      userDisplayName: userName,
      userID: isoBase64URL.toBuffer(handle),
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
      // Discoverable credentials make passwordless login possible (no email first).
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await this.storeChallenge(options.challenge, 'register', userId, null);
    return options;
  }

  async verifyRegistration(
    userId: string,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<WebauthnCredentialRecord> {
    const challenge = await this.takeChallenge(response.response.clientDataJSON);
    if (challenge.ceremony !== 'register' || challenge.userId !== userId) throw challengeInvalid();
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: (c) => sha256(c) === challenge.challengeHash,
        expectedOrigin: this.deps.config.origins(),
        expectedRPID: this.deps.config.rpId,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (_error) {
      throw rejected('The passkey registration could not be verified.');
    }
    if (!verification.verified) throw rejected('The passkey registration could not be verified.');
    const { credential } = verification.registrationInfo;
    if ((await this.deps.repo.getCredential(credential.id)) !== null) {
      throw conflict('PASSKEY_EXISTS', 'This passkey is already registered.');
    }
    const record: WebauthnCredentialRecord = {
      id: credential.id,
      userId,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      name,
      createdAt: this.deps.clock.now(),
      lastUsedAt: null,
    };
    await this.deps.repo.addCredential(record);
    return record;
  }

  async authenticationOptions(
    expect: AuthenticationExpectation,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow =
      expect.ceremony === 'login'
        ? undefined
        : (await this.deps.repo.listCredentials(expect.userId)).map((c) => ({
            id: c.id,
            transports: c.transports,
          }));
    const options = await generateAuthenticationOptions({
      rpID: this.deps.config.rpId,
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      // Passwordless login replaces both factors, so the authenticator must verify the user.
      userVerification: expect.ceremony === 'login' ? 'required' : 'preferred',
      ...(allow === undefined ? {} : { allowCredentials: allow }),
    });
    await this.storeChallenge(
      options.challenge,
      expect.ceremony,
      expect.ceremony === 'login' ? null : expect.userId,
      expect.ceremony === 'second_factor' ? expect.loginChallengeId : null,
    );
    return options;
  }

  /** Verifies an assertion against its (single-use) challenge; returns whose passkey it was. */
  async verifyAuthentication(
    response: AuthenticationResponseJSON,
    expect: AuthenticationExpectation,
  ): Promise<{ userId: string; credentialId: string }> {
    const challenge = await this.takeChallenge(response.response.clientDataJSON);
    if (!matches(challenge, expect)) throw challengeInvalid();
    const stored = await this.deps.repo.getCredential(response.id);
    if (stored === null || response.rawId !== response.id) throw assertionRejected();
    if (expect.ceremony !== 'login' && stored.userId !== expect.userId) {
      throw assertionRejected();
    }
    if (expect.ceremony === 'login') await this.checkUserHandle(stored.userId, response);

    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (c) => sha256(c) === challenge.challengeHash,
        expectedOrigin: this.deps.config.origins(),
        expectedRPID: this.deps.config.rpId,
        credential: {
          id: stored.id,
          publicKey: new Uint8Array(stored.publicKey),
          // SimpleWebAuthn compares the counter before it checks the signature. Given 0 it
          // skips that comparison, so the signature is verified first and the counter,
          // below, is only trusted once it is known to come from the authenticator.
          counter: 0,
          transports: stored.transports,
        },
        requireUserVerification: expect.ceremony === 'login',
      });
    } catch (_error) {
      throw assertionRejected();
    }
    if (!verification.verified) throw assertionRejected();

    const presented = verification.authenticationInfo.newCounter;
    if ((presented > 0 || stored.counter > 0) && presented <= stored.counter) {
      this.deps.onCounterRegression?.({ userId: stored.userId, credentialId: stored.id });
      throw new HttpError(
        401,
        'WEBAUTHN_COUNTER_REGRESSION',
        'The passkey reported a signature counter that went backwards; it may be cloned.',
      );
    }
    const advanced = await this.deps.repo.advanceCredentialCounter(
      stored.id,
      stored.counter,
      presented,
      this.deps.clock.now(),
    );
    if (!advanced) throw rejected('The passkey was used concurrently; try again.');
    return { userId: stored.userId, credentialId: stored.id };
  }

  private async storeChallenge(
    challenge: string,
    ceremony: WebauthnCeremony,
    userId: string | null,
    loginChallengeId: string | null,
  ): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.repo.putWebauthnChallenge({
      challengeHash: sha256(challenge),
      ceremony,
      userId,
      loginChallengeId,
      createdAt: now,
      expiresAt: now + WEBAUTHN_CHALLENGE_TTL_MS,
    });
  }

  /** Removes the challenge the client signed (whatever happens next, it is spent). */
  private async takeChallenge(clientDataJSON: string): Promise<WebauthnChallengeRecord> {
    let challenge: string;
    try {
      challenge = decodeClientDataJSON(clientDataJSON).challenge;
    } catch (_error) {
      throw assertionRejected();
    }
    if (typeof challenge !== 'string' || challenge === '') throw challengeInvalid();
    const record = await this.deps.repo.takeWebauthnChallenge(sha256(challenge));
    if (record === null || this.deps.clock.now() >= record.expiresAt) throw challengeInvalid();
    return record;
  }

  private async checkUserHandle(
    userId: string,
    response: AuthenticationResponseJSON,
  ): Promise<void> {
    const presented = response.response.userHandle;
    if (presented === undefined || presented === null || presented === '') return;
    const handle = await this.deps.repo.getUserHandle(userId);
    if (handle !== presented) throw assertionRejected();
  }
}

function matches(challenge: WebauthnChallengeRecord, expect: AuthenticationExpectation): boolean {
  if (challenge.ceremony !== expect.ceremony) return false;
  switch (expect.ceremony) {
    case 'login':
      return true;
    case 'second_factor':
      return (
        challenge.userId === expect.userId && challenge.loginChallengeId === expect.loginChallengeId
      );
    case 'step_up':
      return challenge.userId === expect.userId;
  }
}
