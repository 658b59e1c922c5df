import { MASTER_KEY_ID_META } from '../storage/meta.repository.js';
import { assertRotationIdentifiers, SEALED_COLUMNS } from '../storage/sealed-columns.js';
import { MasterKeyError, readMasterKeyFile } from '../secrets/master-key.js';
import { createSecretBox } from '../secrets/secret-box.js';
import { BackupError } from './backup-error.js';
import type { KeyCheck } from './backup-header.js';

/** Runs one SQL statement on the backed-up copy (SQLite) or snapshot (PostgreSQL). */
export type FirstRow = (sql: string, params: readonly string[]) => Promise<unknown>;

/**
 * What a restore needs to prove the master key fits: the key id the database records and
 * the first sealed value found (any of SEALED_COLUMNS), with its AAD. The sealed value is
 * ciphertext already in the database; the key itself is never read here.
 */
export async function readKeyCheck(
  firstRow: FirstRow,
  placeholder: (n: number) => string,
): Promise<KeyCheck> {
  const meta = (await firstRow(`SELECT value FROM server_meta WHERE key = ${placeholder(1)}`, [
    MASTER_KEY_ID_META,
  ])) as { value?: unknown } | undefined;
  const keyId = meta?.value;
  if (typeof keyId !== 'string') {
    throw new BackupError(
      'the database records no master key id: it was never opened by a server; nothing was written.',
    );
  }
  for (const rotation of SEALED_COLUMNS) {
    assertRotationIdentifiers(rotation);
    for (const sealed of rotation.sealedColumns) {
      const row = (await firstRow(
        `SELECT ${rotation.idColumn} AS id, ${sealed.column} AS sealed FROM ${rotation.table} ` +
          `WHERE ${sealed.column} IS NOT NULL LIMIT 1`,
        [],
      )) as { id?: unknown; sealed?: unknown } | undefined;
      if (typeof row?.id === 'string' && typeof row.sealed === 'string') {
        return { keyId, sample: { sealed: row.sealed, aad: sealed.aad(row.id) } };
      }
    }
  }
  return { keyId, sample: null };
}

/**
 * Reads the key file and checks it opens the backup's sealed values: the same key id, and
 * the sample value decrypts. Throws a BackupError (nothing written yet) otherwise.
 */
export async function checkKeyOpensBackup(keyFile: string, check: KeyCheck): Promise<void> {
  let key: Buffer;
  try {
    key = await readMasterKeyFile(keyFile);
  } catch (error) {
    if (error instanceof MasterKeyError) {
      throw new BackupError(`${error.message} Nothing was restored.`, 2);
    }
    throw error;
  }
  const box = createSecretBox(key);
  const opens = (): boolean => {
    if (box.keyId !== check.keyId) return false;
    if (check.sample === null) return true;
    try {
      box.open(check.sample.sealed, check.sample.aad);
      return true;
    } catch (_error) {
      return false;
    }
  };
  if (!opens()) {
    throw new BackupError(
      `the master key file ${keyFile} (key ${box.keyId}) does not open this backup's sealed ` +
        `values (they use key ${check.keyId}); use the key file the backed-up server used. ` +
        'Nothing was restored.',
    );
  }
}
