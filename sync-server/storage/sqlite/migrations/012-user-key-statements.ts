import type { SqliteMigration } from './migration.js';

/**
 * Key rotation (issue 9, keys and revocation; docs/sync-keys.md): each user key version
 * carries the statement its owner signed — the version's Ed25519 signing public key, its
 * signature over the version's public keys, and, from version 2 on, the signature of the
 * version before. Members' devices check the chain before taking a rotated key, so the
 * server only stores these. Rows of version 1 written before this migration have none
 * (clients then refuse to take a rotation from them without re-verifying).
 *
 * Each device key gets the certificate the user key signed for it: a device rotating the
 * user key seals the next version only to devices whose certificate it can check, so the
 * server cannot slip a key of its own in among the remaining devices.
 */
export const migration: SqliteMigration = {
  version: 12,
  name: 'user-key-statements',
  up(db) {
    db.exec(`
      ALTER TABLE user_keys ADD COLUMN signing_public_key BLOB
        CHECK (signing_public_key IS NULL OR length(signing_public_key) = 32);
      ALTER TABLE user_keys ADD COLUMN self_signature BLOB
        CHECK (self_signature IS NULL OR length(self_signature) = 64);
      ALTER TABLE user_keys ADD COLUMN previous_signature BLOB
        CHECK (previous_signature IS NULL OR length(previous_signature) = 64);
      ALTER TABLE device_keys ADD COLUMN certificate BLOB
        CHECK (certificate IS NULL OR length(certificate) = 64);
    `);
  },
};
