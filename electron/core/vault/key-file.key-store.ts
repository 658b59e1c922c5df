import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { decodeKey, encodeKey, type KeySlot, type KeyStore } from './key-store.js';

const KeyFileSchema = z.object({
  formatVersion: z.literal(1),
  vaultId: z.string().min(1),
  key: z.string(),
});

/**
 * Explicit opt-in for machines without a keychain (headless servers): the key sits in a
 * file the user names with --key-file. The file is written 0600 and refused when group or
 * others may read it. While a rekey is in flight the next key sits in `<file>.next`.
 */
export class KeyFileKeyStore implements KeyStore {
  readonly kind = 'key-file' as const;
  readonly warning: string;
  readonly file: string;

  constructor(file: string) {
    this.file = path.resolve(file);
    this.warning =
      `The vault key is stored in a plain file (${this.file}) instead of the OS keychain. ` +
      'Anyone who can read that file can decrypt the vault: keep it on an encrypted disk, ' +
      'out of backups that travel with the vault, and readable only by you (mode 0600).';
  }

  async get(vaultId: string, slot: KeySlot = 'current'): Promise<Buffer | null> {
    const file = this.pathFor(slot);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    assertPrivate(file, stat);
    let parsed: z.infer<typeof KeyFileSchema>;
    try {
      parsed = KeyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      throw new CofferError('VAULT_KEY_INVALID', `The key file ${file} is not a Coffer key file.`);
    }
    if (parsed.vaultId !== vaultId) {
      throw new CofferError('KEY_NOT_FOUND', `The key file ${file} belongs to another vault.`, {
        expectedVaultId: vaultId,
        fileVaultId: parsed.vaultId,
      });
    }
    return decodeKey(parsed.key, `the key file ${file}`);
  }

  async set(vaultId: string, key: Buffer, slot: KeySlot = 'current'): Promise<void> {
    const file = this.pathFor(slot);
    const body = JSON.stringify({ formatVersion: 1, vaultId, key: encodeKey(key) }) + '\n';
    writeFileAtomic0600(file, body);
  }

  async delete(_vaultId: string, slot: KeySlot = 'current'): Promise<boolean> {
    const file = this.pathFor(slot);
    try {
      fs.unlinkSync(file);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    fsyncDir(path.dirname(file));
    return true;
  }

  private pathFor(slot: KeySlot): string {
    return slot === 'current' ? this.file : `${this.file}.next`;
  }
}

function assertPrivate(file: string, stat: fs.Stats): void {
  if (!stat.isFile()) {
    throw new CofferError('KEY_FILE_INSECURE', `The key file ${file} is not a regular file.`);
  }
  if (process.platform === 'win32') return; // POSIX modes do not describe Windows ACLs.
  if ((stat.mode & 0o077) !== 0) {
    throw new CofferError(
      'KEY_FILE_INSECURE',
      `The key file ${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}). ` +
        `Run: chmod 600 ${file}`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new CofferError('KEY_FILE_INSECURE', `The key file ${file} is owned by another user.`);
  }
}

/** Write-then-rename so a crash leaves either the old file or the new one, never half of one. */
function writeFileAtomic0600(file: string, body: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
