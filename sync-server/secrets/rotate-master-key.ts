import { promises as fs } from 'node:fs';
import path from 'node:path';

import { MASTER_KEY_ID_META } from '../storage/meta.repository.js';
import { SEALED_COLUMNS } from '../storage/sealed-columns.js';
import type { SealedColumnRotation } from '../storage/sealed-columns.js';
import type { Storage } from '../storage/storage.js';
import {
  generateMasterKey,
  MasterKeyError,
  readMasterKeyFile,
  syncDirectory,
  writeMasterKeyFile,
} from './master-key.js';
import { rotationNewFile, rotationOldFile } from './open-secrets.js';
import { createSecretBox } from './secret-box.js';
import type { SecretBox } from './secret-box.js';

export interface RotationResult {
  oldKeyId: string;
  newKeyId: string;
  rows: number;
}

/**
 * Replaces the master key: every sealed column listed in SEALED_COLUMNS is opened with the
 * old key and sealed with a new one, every lookup hash recomputed, and the key id in the
 * database updated — all in one transaction. The key files move so that at every instant
 * one of `<keyFile>`, `.new`, `.old` matches the database (start-up recovers from an
 * interruption): write `.new`, copy the old key to `.old`, commit, rename `.new` over the
 * key file, delete `.old`. Run it with the server stopped.
 */
export async function rotateMasterKey(options: {
  storage: Storage;
  keyFile: string;
  rotations?: readonly SealedColumnRotation[];
}): Promise<RotationResult> {
  const { storage, keyFile } = options;
  const rotations = options.rotations ?? SEALED_COLUMNS;
  const oldKey = await readMasterKeyFile(keyFile);
  const oldBox = createSecretBox(oldKey);
  const storedId = await storage.meta.get(MASTER_KEY_ID_META);
  if (storedId !== null && storedId !== oldBox.keyId) {
    throw new MasterKeyError(
      `The master key file ${keyFile} does not match the database (key ${storedId}); nothing was changed.`,
    );
  }
  const newKey = generateMasterKey();
  const newBox = createSecretBox(newKey);
  const newFile = rotationNewFile(keyFile);
  const oldFile = rotationOldFile(keyFile);

  await writeMasterKeyFile(newFile, newKey);
  await writeMasterKeyFile(oldFile, oldKey);
  let rows: number;
  try {
    rows = await storage.transaction(async () => {
      const count = await storage.rewriteSealedColumns(rotations, (rotation, rowId, values) =>
        resealRow(rotation, rowId, values, oldBox, newBox),
      );
      await storage.meta.set(MASTER_KEY_ID_META, newBox.keyId);
      return count;
    });
  } catch (error) {
    await fs.rm(newFile, { force: true });
    await fs.rm(oldFile, { force: true });
    throw error;
  }
  await fs.rename(newFile, keyFile);
  await syncDirectory(path.dirname(keyFile));
  await fs.rm(oldFile, { force: true });
  return { oldKeyId: oldBox.keyId, newKeyId: newBox.keyId, rows };
}

function resealRow(
  rotation: SealedColumnRotation,
  rowId: string,
  values: Readonly<Record<string, string | null>>,
  oldBox: SecretBox,
  newBox: SecretBox,
): Record<string, string | null> {
  const next: Record<string, string | null> = {};
  const plaintexts = new Map<string, string>();
  for (const sealed of rotation.sealedColumns) {
    const value = values[sealed.column];
    if (value === null || value === undefined) {
      next[sealed.column] = null;
      continue;
    }
    const aad = sealed.aad(rowId);
    const plaintext = oldBox.open(value, aad);
    plaintexts.set(sealed.column, plaintext);
    next[sealed.column] = newBox.seal(plaintext, aad);
  }
  for (const lookup of rotation.lookupColumns) {
    const plaintext = plaintexts.get(lookup.source);
    next[lookup.column] =
      plaintext === undefined ? null : newBox.lookupHash(lookup.kind, plaintext);
  }
  return next;
}
