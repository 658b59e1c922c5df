import type {
  EmailCodeRecord,
  LoginChallengeContext,
  LoginChallengeRecord,
  TotpRecord,
  WebauthnCeremony,
  WebauthnChallengeRecord,
  WebauthnCredentialRecord,
} from '../mfa.repository.js';

/** Rows of the MFA tables (migrations/003-mfa.ts) as both storage backends read them. */
export interface TotpRow {
  user_id: string;
  secret_sealed: string;
  confirmed_at: number | null;
  last_step: number | null;
  created_at: number;
}

export interface EmailCodeRow {
  id: string;
  user_id: string;
  challenge_id: string | null;
  code_hash: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface CredentialRow {
  id: string;
  user_id: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengeRow {
  challenge_hash: string;
  ceremony: WebauthnCeremony;
  user_id: string | null;
  login_challenge_id: string | null;
  created_at: number;
  expires_at: number;
}

export interface LoginChallengeRow {
  id: string;
  token_hash: string;
  user_id: string;
  context: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  ended_at: number | null;
}

export function toTotp(row: TotpRow): TotpRecord {
  return {
    userId: row.user_id,
    secretSealed: row.secret_sealed,
    confirmedAt: row.confirmed_at,
    lastStep: row.last_step,
    createdAt: row.created_at,
  };
}

export function toEmailCode(row: EmailCodeRow): EmailCodeRecord {
  return {
    id: row.id,
    userId: row.user_id,
    challengeId: row.challenge_id,
    codeHash: row.code_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
  };
}

export function toCredential(row: CredentialRow): WebauthnCredentialRecord {
  return {
    id: row.id,
    userId: row.user_id,
    publicKey: new Uint8Array(row.public_key),
    counter: row.counter,
    transports: JSON.parse(row.transports) as string[],
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export function toLoginChallenge(row: LoginChallengeRow): LoginChallengeRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    userId: row.user_id,
    context: JSON.parse(row.context) as LoginChallengeContext,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    attempts: row.attempts,
    endedAt: row.ended_at,
  };
}

export function toWebauthnChallenge(row: WebauthnChallengeRow): WebauthnChallengeRecord {
  return {
    challengeHash: row.challenge_hash,
    ceremony: row.ceremony,
    userId: row.user_id,
    loginChallengeId: row.login_challenge_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

// The values of each table's INSERT, in the order of the columns in its row above; the
// byte and JSON columns are encoded here as both backends store them (bytea/BLOB, text).

export const emailCodeValues = (record: EmailCodeRecord): (string | number | null)[] => [
  record.id,
  record.userId,
  record.challengeId,
  record.codeHash,
  record.createdAt,
  record.expiresAt,
  record.consumedAt,
];

export const credentialValues = (
  record: WebauthnCredentialRecord,
): (string | number | Buffer | null)[] => [
  record.id,
  record.userId,
  Buffer.from(record.publicKey),
  record.counter,
  JSON.stringify(record.transports),
  record.name,
  record.createdAt,
  record.lastUsedAt,
];

export const webauthnChallengeValues = (
  record: WebauthnChallengeRecord,
): (string | number | null)[] => [
  record.challengeHash,
  record.ceremony,
  record.userId,
  record.loginChallengeId,
  record.createdAt,
  record.expiresAt,
];

export const loginChallengeValues = (record: LoginChallengeRecord): (string | number | null)[] => [
  record.id,
  record.tokenHash,
  record.userId,
  JSON.stringify(record.context),
  record.createdAt,
  record.expiresAt,
  record.attempts,
  record.endedAt,
];
