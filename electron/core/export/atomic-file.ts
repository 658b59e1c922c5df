import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CofferError } from '../../../shared/errors/coffer-error.js';

/** Plaintext user data: readable by the owner only. */
export const EXPORT_FILE_MODE = 0o600;

/**
 * Writes a file all-or-nothing: chunks go to a temporary file (mode 0600, created
 * exclusively) beside the target, which is fsynced and renamed over it. A crash or error
 * leaves the old file (or none), never half an export.
 */
export function writeFileAtomic(file: string, write: (put: (chunk: string) => void) => void): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) {
    throw new CofferError('FILE_NOT_FOUND', `The directory ${dir} does not exist`, { file });
  }
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', EXPORT_FILE_MODE);
  let done = false;
  try {
    fs.fchmodSync(fd, EXPORT_FILE_MODE); // the umask may have narrowed it, never widened
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = () => {
      if (pendingLength === 0) return;
      fs.writeSync(fd, pending.join(''));
      pending = [];
      pendingLength = 0;
    };
    write((chunk) => {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength >= 1 << 20) flush();
    });
    flush();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, target);
    done = true;
    fsyncDir(dir);
  } finally {
    if (!done) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
      fs.rmSync(temp, { force: true });
    }
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
