import { promises as fs } from 'node:fs';

import { MASTER_KEY_ID_META } from '../storage/meta.repository.js';
import type { MetaRepository } from '../storage/meta.repository.js';
import {
  assertKeyFileOutsideDataDir,
  generateMasterKey,
  masterKeyFileExists,
  MasterKeyError,
  readMasterKeyFile,
  writeMasterKeyFile,
} from './master-key.js';
import { createSecretBox, keyIdOf } from './secret-box.js';
import type { SecretBox } from './secret-box.js';

/** Files rotate-master-key leaves behind if it is interrupted (see rotate-master-key.ts). */
export const rotationNewFile = (keyFile: string): string => `${keyFile}.new`;
export const rotationOldFile = (keyFile: string): string => `${keyFile}.old`;

export interface OpenedSecrets {
  secrets: SecretBox;
  /** True when this start created the key file (first run). */
  created: boolean;
}

/**
 * Loads the master key for the database, creating it on the first run. The database
 * records the key id its sealed values use; a key file with another id is refused, unless
 * an interrupted rotation left the matching key in `<keyFile>.new` or `.old`, which is
 * then put in place.
 */
export async function openSecrets(
  options: { keyFile: string; dataDir: string },
  meta: MetaRepository,
): Promise<OpenedSecrets> {
  const { keyFile } = options;
  await assertKeyFileOutsideDataDir(keyFile, options.dataDir);
  const storedId = await meta.get(MASTER_KEY_ID_META);

  if (!(await masterKeyFileExists(keyFile))) {
    if (storedId !== null) {
      const recovered = await recoverInterruptedRotation(keyFile, storedId);
      if (recovered !== null) return { secrets: createSecretBox(recovered), created: false };
      throw new MasterKeyError(
        `The master key file ${keyFile} is missing, and the database was sealed with key ` +
          `${storedId}. Restore the key file (or point --key-file at it).`,
      );
    }
    const key = generateMasterKey();
    await writeMasterKeyFile(keyFile, key, { exclusive: true });
    const secrets = createSecretBox(key);
    await meta.set(MASTER_KEY_ID_META, secrets.keyId);
    return { secrets, created: true };
  }

  const key = await readMasterKeyFile(keyFile);
  const secrets = createSecretBox(key);
  if (storedId === null) {
    await meta.set(MASTER_KEY_ID_META, secrets.keyId);
  } else if (storedId !== secrets.keyId) {
    const recovered = await recoverInterruptedRotation(keyFile, storedId);
    if (recovered !== null) return { secrets: createSecretBox(recovered), created: false };
    throw new MasterKeyError(
      `The master key file ${keyFile} holds key ${secrets.keyId}, but the database was sealed ` +
        `with key ${storedId}. Use the matching key file.`,
    );
  }
  return { secrets, created: false };
}

async function recoverInterruptedRotation(
  keyFile: string,
  wantedId: string,
): Promise<Buffer | null> {
  for (const candidate of [rotationNewFile(keyFile), rotationOldFile(keyFile)]) {
    if (!(await masterKeyFileExists(candidate))) continue;
    const key = await readMasterKeyFile(candidate);
    if (keyIdOf(key) !== wantedId) continue;
    await writeMasterKeyFile(keyFile, key);
    await fs.rm(rotationNewFile(keyFile), { force: true });
    await fs.rm(rotationOldFile(keyFile), { force: true });
    return key;
  }
  return null;
}
