/**
 * Persistence for second factors, login challenges and WebAuthn ceremonies. Every method
 * returns a Promise so a PostgreSQL implementation fits behind the same interface.
 *
 * Nothing here stores a usable secret in the clear: TOTP secrets arrive sealed (SecretBox),
 * codes and tokens arrive hashed. Operations that must be single-use or monotonic
 * (`advanceTotpStep`, `consumeBackupCode`, `consumeEmailCode`, `takeWebauthnChallenge`,
 * `reserveChallengeAttempt`, `endLoginChallenge`, `advanceCredentialCounter`) are conditional writes that report
 * whether they won, so two concurrent requests can never both succeed.
 */

export interface TotpRecord {
  userId: string;
  /**
   * SecretBox-sealed base32 secret (AAD `totp:<userId>`); listed in SEALED_COLUMNS so
   * rotate-master-key re-encrypts it.
   */
  secretSealed: string;
  /** Null until the user confirmed a first code. */
  confirmedAt: number | null;
  /** The last accepted RFC 6238 time step; a code for this step or an earlier one is a replay. */
  lastStep: number | null;
  createdAt: number;
}

export interface EmailCodeRecord {
  id: string;
  userId: string;
  /** The login challenge this code answers, or null for a step-up code. */
  challengeId: string | null;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export interface LoginChallengeContext {
  deviceName: string;
  platform: string;
  ip: string;
  userAgent: string;
}

export interface LoginChallengeRecord {
  id: string;
  tokenHash: string;
  userId: string;
  context: LoginChallengeContext;
  createdAt: number;
  expiresAt: number;
  /** Answers tried so far (reserved before checking, so parallel guesses count too). */
  attempts: number;
  /** Set when the challenge was completed. */
  endedAt: number | null;
}

export interface WebauthnCredentialRecord {
  /** base64url credential id as the authenticator reports it. */
  id: string;
  userId: string;
  /** COSE public key bytes. */
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type WebauthnCeremony = 'register' | 'login' | 'second_factor' | 'step_up';

export interface WebauthnChallengeRecord {
  /** SHA-256 (hex) of the base64url challenge handed to the client. */
  challengeHash: string;
  ceremony: WebauthnCeremony;
  userId: string | null;
  loginChallengeId: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface MfaRepository {
  // TOTP
  getTotp(userId: string): Promise<TotpRecord | null>;
  /** Starts (or restarts) an enrolment: replaces any unconfirmed secret. */
  putPendingTotp(userId: string, secretSealed: string, now: number): Promise<void>;
  /** Confirms the pending secret, recording the step of the confirming code. */
  confirmTotp(userId: string, step: number, now: number): Promise<boolean>;
  /** Records `step` as used if it is later than the last used one; false → replay. */
  advanceTotpStep(userId: string, step: number): Promise<boolean>;
  deleteTotp(userId: string): Promise<boolean>;

  // Email codes as a method
  isEmailOtpEnabled(userId: string): Promise<boolean>;
  setEmailOtpEnabled(userId: string, enabled: boolean, now: number): Promise<void>;
  /** Stores a code and withdraws (marks consumed) earlier codes for the same purpose. */
  putEmailCode(record: EmailCodeRecord): Promise<void>;
  latestEmailCode(userId: string, challengeId: string | null): Promise<EmailCodeRecord | null>;
  consumeEmailCode(id: string, now: number): Promise<boolean>;
  /** Codes created at or after `since` (withdrawn and used ones included). */
  countEmailCodesSince(userId: string, since: number): Promise<number>;

  // Backup codes
  replaceBackupCodes(
    userId: string,
    salt: string,
    codeHashes: string[],
    now: number,
  ): Promise<void>;
  backupCodeSalt(userId: string): Promise<string | null>;
  consumeBackupCode(userId: string, codeHash: string, now: number): Promise<boolean>;
  countUnusedBackupCodes(userId: string): Promise<number>;
  deleteBackupCodes(userId: string): Promise<void>;

  // WebAuthn credentials
  addCredential(record: WebauthnCredentialRecord): Promise<void>;
  getCredential(id: string): Promise<WebauthnCredentialRecord | null>;
  listCredentials(userId: string): Promise<WebauthnCredentialRecord[]>;
  /** Moves the signature counter forward; false when another request already moved it. */
  advanceCredentialCounter(
    id: string,
    expected: number,
    next: number,
    now: number,
  ): Promise<boolean>;
  deleteCredential(userId: string, id: string): Promise<boolean>;
  /** Renames one of the user's passkeys; false when the user has no passkey with that id. */
  renameCredential(userId: string, id: string, name: string): Promise<boolean>;
  /** The WebAuthn user handle (random, base64url; never the account id) of a user, if any. */
  getUserHandle(userId: string): Promise<string | null>;
  /** Stores `candidate` as the user's handle unless one exists; returns the one in force. */
  ensureUserHandle(userId: string, candidate: string): Promise<string>;

  // WebAuthn ceremonies
  putWebauthnChallenge(record: WebauthnChallengeRecord): Promise<void>;
  /** Deletes and returns the challenge (single use); null if unknown. */
  takeWebauthnChallenge(challengeHash: string): Promise<WebauthnChallengeRecord | null>;

  // Login challenges
  createLoginChallenge(record: LoginChallengeRecord): Promise<void>;
  getLoginChallengeByTokenHash(tokenHash: string): Promise<LoginChallengeRecord | null>;
  /**
   * Reserves one answer attempt: true if the challenge is open and has had fewer than
   * `limit` attempts (the count goes up by one), false otherwise.
   */
  reserveChallengeAttempt(id: string, limit: number): Promise<boolean>;
  /** Ends the challenge if it is still open; false → someone else completed it. */
  endLoginChallenge(id: string, now: number): Promise<boolean>;

  /** Drops expired login and WebAuthn challenges and email codes; returns how many rows. */
  pruneExpired(now: number): Promise<number>;
  /** Removes every MFA row of a user (account deletion). */
  deleteUserData(userId: string): Promise<void>;
}
