import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { SqliteDatabase } from './sqlcipher.js';

/** Keys of the `meta` table written by the vault engine. */
export type MetaKey =
  | 'vault_id'
  | 'device_id'
  | 'created_at'
  | 'key_created_at'
  | 'clock_high_water'
  /** `1` once the vault is linked to sync: from then on every write is kept in the outbox. */
  | 'sync_outbox'
  /**
   * An HLC taken when the vault was linked: every field stamped before it predates the outbox
   * and goes in the first upload; every write after it is in the outbox already.
   */
  | 'sync_linked_hlc'
  /** The last seq of the workspace log this vault has pulled and applied. */
  | 'sync_pulled_seq'
  /** The server's epoch id as last seen: a new one means the server was restored. */
  | 'sync_server_epoch'
  /** `1` once this vault's records from before it was linked were queued for upload (first sync). */
  | 'sync_state_uploaded'
  /** JSON of an unfinished upload of record state (first upload or re-push), with its cursor. */
  | 'sync_upload'
  /** The Recovery Key's public half, kept where only the vault key can change it. */
  | 'recovery_public_key'
  /** A new Recovery Key's public half while `recovery-key new` is writing it (not yet in force). */
  | 'recovery_public_key_pending'
  /**
   * JSON list of older Recovery Keys' public halves that still open the vault because the
   * key now in force may not have been shown yet; present only until that is known.
   */
  | 'recovery_public_keys_retiring'
  /**
   * `1` while the app lock may also be released by the operating system's own check
   * (Touch ID, Windows Hello); absent otherwise. Device state, like `app_lock`.
   */
  | 'app_lock_os_unlock';

export function getMeta(db: SqliteDatabase, key: MetaKey): string | null {
  const value = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
  return typeof value === 'string' ? value : null;
}

export function requireMeta(db: SqliteDatabase, key: MetaKey): string {
  const value = getMeta(db, key);
  if (value === null) {
    throw new CofferError(
      'VAULT_CORRUPT',
      `The vault is missing its "${key}" record; it was not created completely.`,
    );
  }
  return value;
}

export function setMeta(db: SqliteDatabase, key: MetaKey, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function deleteMeta(db: SqliteDatabase, key: MetaKey): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key);
}
