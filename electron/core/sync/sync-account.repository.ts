import type { PinnedKey, PinnedKeyStore } from './crypto/pinned-key-store.js';
import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';

/** The signed-in sync account as the vault holds it (vault migration 008). */
export interface SyncAccountRecord {
  serverUrl: string;
  /** 64 hex digits, or null for a server with a CA-signed certificate. */
  fingerprint: string | null;
  userId: string;
  email: string;
  sessionId: string;
  /** The bearer token: a secret, kept only here (inside the encrypted vault). */
  sessionToken: string;
  devicePrivateKey: Buffer;
  userKeyVersion: number;
  userPrivateKey: Buffer;
  signedInAt: number;
  lastSyncAt: number | null;
}

export interface SyncWorkspaceRecord {
  workspaceId: string;
  /** '' until the workspace key has been opened (the name is encrypted under it). */
  name: string;
  role: WorkspaceRole;
  joinedAt: number;
}

interface AccountRow {
  server_url: string;
  fingerprint: string | null;
  user_id: string;
  email: string;
  session_id: string;
  session_token: string;
  device_private_key: Buffer;
  user_key_version: number;
  user_private_key: Buffer;
  signed_in_at: number;
  last_sync_at: number | null;
}

/** The vault's workspace as status answers show it: an unnamed one has a null name. */
export function workspaceSummary(record: SyncWorkspaceRecord): {
  id: string;
  name: string | null;
  role: WorkspaceRole;
} {
  return {
    id: record.workspaceId,
    name: record.name === '' ? null : record.name,
    role: record.role,
  };
}

/** Reads and writes the vault's sync tables; local only, nothing here is a synced change. */
export class SyncAccountRepository {
  constructor(private readonly db: SqliteDatabase) {}

  account(): SyncAccountRecord | null {
    const row = this.db.prepare('SELECT * FROM sync_account WHERE singleton = 1').get() as
      AccountRow | undefined;
    if (row === undefined) return null;
    return {
      serverUrl: row.server_url,
      fingerprint: row.fingerprint,
      userId: row.user_id,
      email: row.email,
      sessionId: row.session_id,
      sessionToken: row.session_token,
      devicePrivateKey: row.device_private_key,
      userKeyVersion: row.user_key_version,
      userPrivateKey: row.user_private_key,
      signedInAt: row.signed_in_at,
      lastSyncAt: row.last_sync_at,
    };
  }

  saveAccount(record: SyncAccountRecord): void {
    this.db
      .prepare(
        `INSERT INTO sync_account (singleton, server_url, fingerprint, user_id, email, session_id,
           session_token, device_private_key, user_key_version, user_private_key, signed_in_at,
           last_sync_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.serverUrl,
        record.fingerprint,
        record.userId,
        record.email,
        record.sessionId,
        record.sessionToken,
        record.devicePrivateKey,
        record.userKeyVersion,
        record.userPrivateKey,
        record.signedInAt,
        record.lastSyncAt,
      );
  }

  /** A rotated user key, made or opened on this device (key-rotation.service.ts). */
  saveUserKey(version: number, privateKey: Buffer): void {
    this.db
      .prepare(
        'UPDATE sync_account SET user_key_version = ?, user_private_key = ? WHERE singleton = 1',
      )
      .run(version, privateKey);
  }

  /**
   * Sign-out: the session token, the device and user keys, the workspace and its keys and
   * the pinned member keys go; the vault's records and their sync history stay.
   */
  forgetAccount(): void {
    for (const table of [
      'sync_workspace_keys',
      'sync_workspace',
      'sync_pinned_keys',
      'sync_account',
    ]) {
      this.db.prepare(`DELETE FROM ${table}`).run();
    }
  }

  /** When this vault last finished a sync round (UTC ms). */
  markSynced(at: number): void {
    this.db.prepare('UPDATE sync_account SET last_sync_at = ? WHERE singleton = 1').run(at);
  }

  workspace(): SyncWorkspaceRecord | null {
    const row = this.db
      .prepare('SELECT workspace_id, name, role, joined_at FROM sync_workspace WHERE singleton = 1')
      .get() as
      { workspace_id: string; name: string; role: WorkspaceRole; joined_at: number } | undefined;
    return row === undefined
      ? null
      : { workspaceId: row.workspace_id, name: row.name, role: row.role, joinedAt: row.joined_at };
  }

  saveWorkspace(record: SyncWorkspaceRecord): void {
    this.db
      .prepare(
        `INSERT INTO sync_workspace (singleton, workspace_id, name, role, joined_at)
         VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET name = excluded.name, role = excluded.role`,
      )
      .run(record.workspaceId, record.name, record.role, record.joinedAt);
  }

  /** The role the server gives this account in `workspaceId`, if this vault holds that workspace. */
  setRole(workspaceId: string, role: WorkspaceRole): void {
    this.db
      .prepare('UPDATE sync_workspace SET role = ? WHERE singleton = 1 AND workspace_id = ?')
      .run(role, workspaceId);
  }

  workspaceKeys(workspaceId: string): { version: number; key: Buffer }[] {
    return (
      this.db
        .prepare(
          'SELECT key_version, key FROM sync_workspace_keys WHERE workspace_id = ? ORDER BY key_version',
        )
        .all(workspaceId) as { key_version: number; key: Buffer }[]
    ).map((row) => ({ version: row.key_version, key: row.key }));
  }

  saveWorkspaceKey(workspaceId: string, version: number, key: Buffer): void {
    this.db
      .prepare(
        `INSERT INTO sync_workspace_keys (workspace_id, key_version, key) VALUES (?, ?, ?)
         ON CONFLICT (workspace_id, key_version) DO NOTHING`,
      )
      .run(workspaceId, version, key);
  }

  pinnedKeys(): PinnedKeyStore {
    return new VaultPinnedKeyStore(this.db);
  }
}

/** Members' pinned user public keys, kept in the vault (key-pinning.ts decides). */
class VaultPinnedKeyStore implements PinnedKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  get(userId: string): PinnedKey | undefined {
    const row = this.db
      .prepare(
        'SELECT user_id, public_key, first_seen_at, verified_at FROM sync_pinned_keys WHERE user_id = ?',
      )
      .get(userId) as
      | { user_id: string; public_key: Buffer; first_seen_at: number; verified_at: number | null }
      | undefined;
    return row === undefined
      ? undefined
      : {
          userId: row.user_id,
          publicKey: row.public_key,
          firstSeenAtMs: row.first_seen_at,
          verifiedAtMs: row.verified_at,
        };
  }

  put(pin: PinnedKey): void {
    this.db
      .prepare(
        `INSERT INTO sync_pinned_keys (user_id, public_key, first_seen_at, verified_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET public_key = excluded.public_key,
           first_seen_at = excluded.first_seen_at, verified_at = excluded.verified_at`,
      )
      .run(pin.userId, pin.publicKey, pin.firstSeenAtMs, pin.verifiedAtMs);
  }
}
