import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { backupVault } from './backup.service.js';
import type { Vault } from './vault.js';

/**
 * A backup's bytes, for the app to hand its window. `backupVault` writes a file (SQLite's
 * `VACUUM INTO` needs one), so it goes to a fresh private folder in the OS temp dir (0700,
 * the file 0600) that is removed before returning, whatever happens. What touches the disk
 * there is the encrypted backup, never plaintext.
 */
export function backupBytes(
  vault: Vault,
  maxBytes: number,
  tempRoot: string = os.tmpdir(),
): { bytes: Buffer; createdAt: number } {
  const dir = fs.mkdtempSync(path.join(tempRoot, 'coffer-backup-'));
  try {
    fs.chmodSync(dir, 0o700);
    const result = backupVault(vault, path.join(dir, 'vault.cofferbackup'));
    if (result.bytes > maxBytes) {
      throw new CofferError(
        'FILE_TOO_LARGE',
        `The backup is larger than the ${maxBytes / (1024 * 1024)} MiB the app can hand over; use \`coffer backup --out FILE\` instead`,
        { maxBytes, size: result.bytes },
      );
    }
    return { bytes: fs.readFileSync(result.file), createdAt: result.createdAt };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
