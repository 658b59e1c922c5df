/**
 * Persistence for user accounts. Every method returns a Promise so a PostgreSQL
 * implementation fits behind the same interface.
 *
 * The email address is never stored in the clear: `emailSealed` is SecretBox-sealed
 * (AAD `email:<userId>`) and `emailLookup` is `secrets.lookupHash('email', normalised)`,
 * a keyed HMAC that finds the row without revealing the address.
 */
export interface UserRecord {
  id: string;
  emailLookup: string;
  emailSealed: string;
  /** Argon2id PHC string (parameters included). */
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
}

export interface UserRepository {
  /** Throws `EmailTakenError` when `emailLookup` is already used. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmailLookup(emailLookup: string): Promise<UserRecord | null>;
  /**
   * Replaces the hash only if it still is `expectedHash`; false when another request
   * changed it first (a rehash on login must not undo a concurrent password change).
   */
  replacePasswordHash(
    id: string,
    expectedHash: string,
    newHash: string,
    now: number,
    passwordChanged: boolean,
  ): Promise<boolean>;
  /**
   * Removes the user row; tables that reference users(id) cascade. False if absent.
   * (`rotate-master-key` re-seals `email_sealed` through Storage.rewriteSealedColumns.)
   */
  delete(id: string): Promise<boolean>;
}

/** A second account for an email (HMAC lookup) that already has one. */
export class EmailTakenError extends Error {
  constructor() {
    super('An account with this email already exists.');
    this.name = 'EmailTakenError';
  }
}
