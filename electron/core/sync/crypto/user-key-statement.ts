import { lengthPrefixed } from './length-prefixed.js';
import type { UserKey } from './user-key.js';
import { signWith, userSigningKey, verifySignature } from './user-signing-key.js';

/**
 * What the server lists for one version of a user's key, and the proof that the user made
 * it. `selfSignature` is by this version's own signing key: it binds the X25519 public key
 * to the signing key. `previousSignature` (from version 2 on) is by the signing key of the
 * version before: only someone who held the previous user key could make it, so a rotation
 * is provably the user's and a key the server made up is not.
 */
export interface UserKeyStatement {
  userId: string;
  version: number;
  /** Raw 32-byte X25519 public key: what workspace keys are sealed to. */
  publicKey: Buffer;
  /** Raw 32-byte Ed25519 public key of this version (user-signing-key.ts): what is pinned. */
  signingPublicKey: Buffer;
  /**
   * The Account Recovery Key's public half. Signed, so that the device rotating the user key
   * seals the next version to the user's real Recovery Key and not to a key the server swaps in.
   */
  recoveryPublicKey: Buffer;
  selfSignature: Buffer;
  /** Null for version 1 only. */
  previousSignature: Buffer | null;
}

const PURPOSE = 'coffer/user-key-statement/v1';

/** The statement for `userKey`, signed by itself and, from version 2 on, by `previous`. */
export function makeUserKeyStatement(
  userKey: UserKey,
  previous: UserKey | null,
  recoveryPublicKey: Buffer,
): UserKeyStatement {
  if (userKey.version > 1 && (previous === null || previous.version !== userKey.version - 1)) {
    throw new Error('A rotated user key is signed by the version just before it.');
  }
  const signing = userSigningKey(userKey);
  const base = {
    userId: userKey.userId,
    version: userKey.version,
    publicKey: Buffer.from(userKey.pair.publicKey),
    signingPublicKey: signing.publicKey,
    recoveryPublicKey: Buffer.from(recoveryPublicKey),
  };
  return {
    ...base,
    selfSignature: signWith(signing, statementBytes(base, 'self')),
    previousSignature:
      userKey.version === 1 || previous === null
        ? null
        : signWith(userSigningKey(previous), statementBytes(base, 'previous')),
  };
}

/** The statement's own signature holds: its X25519 key is vouched for by its signing key. */
export function selfSignatureHolds(statement: UserKeyStatement): boolean {
  return verifySignature(
    statement.signingPublicKey,
    statementBytes(statement, 'self'),
    statement.selfSignature,
  );
}

/** `next` is signed by the signing key of `previous`, the version just before it, of the same user. */
export function followsFrom(
  previous: Pick<UserKeyStatement, 'userId' | 'version' | 'signingPublicKey'>,
  next: UserKeyStatement,
): boolean {
  return (
    next.userId === previous.userId &&
    next.version === previous.version + 1 &&
    next.previousSignature !== null &&
    verifySignature(
      previous.signingPublicKey,
      statementBytes(next, 'previous'),
      next.previousSignature,
    )
  );
}

type StatementBody = Pick<
  UserKeyStatement,
  'userId' | 'version' | 'publicKey' | 'signingPublicKey' | 'recoveryPublicKey'
>;

// The role is signed too, so neither signature can stand in for the other.
function statementBytes(statement: StatementBody, role: 'self' | 'previous'): Buffer {
  return lengthPrefixed([
    PURPOSE,
    role,
    statement.userId,
    statement.version,
    statement.publicKey,
    statement.signingPublicKey,
    statement.recoveryPublicKey,
  ]);
}
