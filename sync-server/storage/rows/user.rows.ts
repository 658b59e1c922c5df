import type { UserRecord } from '../user.repository.js';

/** A row of users (migrations/002-accounts.ts) as both storage backends read it. */
export interface UserRow {
  id: string;
  email_lookup: string;
  email_sealed: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
  password_changed_at: number;
}

export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  emailLookup: row.email_lookup,
  emailSealed: row.email_sealed,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  passwordChangedAt: row.password_changed_at,
});

/** The values of an INSERT of every column, in the order of the columns in `UserRow`. */
export const userValues = (user: UserRecord): (string | number)[] => [
  user.id,
  user.emailLookup,
  user.emailSealed,
  user.passwordHash,
  user.createdAt,
  user.updatedAt,
  user.passwordChangedAt,
];
