import type { Migration } from './migration.js';

/**
 * The vault's side of a sync account (issue 9, keys and client). Local only: none of these
 * tables is synced, and none of their rows travels as a change.
 *
 * - `sync_account`, one row: the server (URL and the pinned certificate fingerprint), who is
 *   signed in (user id and email) and this device's session. The session token and the
 *   device's and user's private keys are here too: the vault is SQLCipher, so they are on
 *   disk only encrypted, under the key in the OS keychain — never in a file of their own.
 * - `sync_workspace`, at most one row: a vault holds one workspace, with its id and the
 *   signed-in user's role there.
 * - `sync_workspace_keys`: every version of the workspace key this device has opened.
 * - `sync_pinned_keys`: the first user public key seen per member (key-pinning.ts).
 */
export const syncAccountMigration: Migration = {
  version: 8,
  name: 'sync-account',
  up(db) {
    db.exec(`
CREATE TABLE sync_account (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  server_url TEXT NOT NULL CHECK (server_url LIKE 'https://%'),
  fingerprint TEXT CHECK (fingerprint IS NULL OR (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*')),
  user_id TEXT NOT NULL,
  email TEXT NOT NULL,
  session_id TEXT NOT NULL,
  session_token TEXT NOT NULL,
  device_private_key BLOB NOT NULL CHECK (length(device_private_key) = 32),
  user_key_version INTEGER NOT NULL CHECK (user_key_version >= 1),
  user_private_key BLOB NOT NULL CHECK (length(user_private_key) = 32),
  signed_in_at INTEGER NOT NULL,
  last_sync_at INTEGER
) STRICT;

CREATE TABLE sync_workspace (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  workspace_id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  joined_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_workspace_keys (
  workspace_id TEXT NOT NULL,
  key_version INTEGER NOT NULL CHECK (key_version >= 1),
  key BLOB NOT NULL CHECK (length(key) = 32),
  PRIMARY KEY (workspace_id, key_version)
) STRICT;

CREATE TABLE sync_pinned_keys (
  user_id TEXT PRIMARY KEY NOT NULL,
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  first_seen_at INTEGER NOT NULL,
  verified_at INTEGER
) STRICT;
`);
  },
};
