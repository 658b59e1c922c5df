import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

import { MASTER_KEY_BYTES } from './secret-box.js';

/**
 * The 32-byte master key lives in a file OUTSIDE the data dir (`<dataDir>.master-key` by
 * default), so a copy of the data dir (a backup, a stolen disk image of that folder) does
 * not carry the key to its own sealed values. The file holds the key in base64 and must
 * be readable by its owner only.
 */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function generateMasterKey(): Buffer {
  return randomBytes(MASTER_KEY_BYTES);
}

/** Refuses a key file inside the data dir (symlinks resolved) — it would travel with it. */
export async function assertKeyFileOutsideDataDir(keyFile: string, dataDir: string): Promise<void> {
  const dataReal = await fs.realpath(dataDir);
  const keyReal = await realpathOfMaybeMissing(keyFile);
  const relative = path.relative(dataReal, keyReal);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new MasterKeyError(
      `The master key file ${keyFile} is inside the data dir ${dataDir}; keep it outside ` +
        '(the default is <data-dir>.master-key) so a copy of the data dir does not carry its key.',
    );
  }
}

async function realpathOfMaybeMissing(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (_error) {
    const parent = path.dirname(file);
    try {
      return path.join(await fs.realpath(parent), path.basename(file));
    } catch (_parentError) {
      throw new MasterKeyError(`The directory of the master key file ${file} does not exist.`);
    }
  }
}

export async function masterKeyFileExists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Reads and checks the key file: a regular file, no group/other permissions, 32 bytes. */
export async function readMasterKeyFile(file: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isNotFound(error)) throw new MasterKeyError(`The master key file ${file} does not exist.`);
    throw new MasterKeyError(`The master key file ${file} cannot be opened (${codeOf(error)}).`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new MasterKeyError(`The master key file ${file} is not a regular file.`);
    if ((stat.mode & 0o077) !== 0) {
      throw new MasterKeyError(
        `The master key file ${file} is accessible by other users (mode ` +
          `${(stat.mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
      );
    }
    const text = (await handle.readFile('utf8')).trim();
    const key = Buffer.from(text, 'base64');
    if (key.length !== MASTER_KEY_BYTES || key.toString('base64') !== text) {
      throw new MasterKeyError(`The master key file ${file} does not hold a 32-byte base64 key.`);
    }
    return key;
  } finally {
    await handle.close();
  }
}

/**
 * Writes the key atomically: a 0600 temporary file beside the target, flushed, then renamed
 * over it, then the directory flushed. `exclusive` refuses to replace an existing file.
 */
export async function writeMasterKeyFile(
  file: string,
  key: Buffer,
  options: { exclusive?: boolean } = {},
): Promise<void> {
  if (options.exclusive === true && (await masterKeyFileExists(file))) {
    throw new MasterKeyError(`The master key file ${file} already exists.`);
  }
  const temporary = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await fs.open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

export async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } catch (_error) {
    // Some file systems do not support fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

function isNotFound(error: unknown): boolean {
  return codeOf(error) === 'ENOENT';
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : 'unknown error';
}
