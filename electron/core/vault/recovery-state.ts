import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { SqliteDatabase } from './sqlcipher.js';
import { getMeta } from './vault-meta.js';

/** Older Recovery Keys kept at most while a change is unconfirmed (crashes in a row add one each). */
export const MAX_RETIRING_KEYS = 8;

const PublicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const RetiringSchema = z.array(PublicKeySchema).max(MAX_RETIRING_KEYS);

/**
 * The Recovery Keys the encrypted database vouches for, by public key (base64url). vault.json
 * is not encrypted, so a public key it names is used only when it is one of these.
 */
export interface RecoveryState {
  /** In force: its wrap in vault.json's `recovery` opens the vault. Null until a vault has one. */
  current: string | null;
  /** A new key `recovery-key new` is writing; not in force, and never shown. */
  pending: string | null;
  /**
   * Older keys that still open the vault because `current` came into force but may not have
   * been shown (the command stopped before it could tell); null once it has been.
   */
  retiring: string[] | null;
}

export function readRecoveryState(db: SqliteDatabase): RecoveryState {
  const retiring = getMeta(db, 'recovery_public_keys_retiring');
  return {
    current: getMeta(db, 'recovery_public_key'),
    pending: getMeta(db, 'recovery_public_key_pending'),
    retiring: retiring === null ? null : parseRetiring(retiring),
  };
}

export function serializeRetiring(keys: readonly string[]): string {
  return JSON.stringify(RetiringSchema.parse(keys));
}

function parseRetiring(text: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = RetiringSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CofferError(
      'VAULT_CORRUPT',
      'The vault records its older Recovery Keys in an unreadable form.',
    );
  }
  return parsed.data;
}
