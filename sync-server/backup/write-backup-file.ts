import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';

import { syncDirectory } from '../secrets/master-key.js';
import { BackupError, errorCode } from './backup-error.js';
import { MAGIC_LINE } from './backup-header.js';
import type { BackupHeader } from './backup-header.js';

/** One entry's bytes: small files in memory, the database copy from a staged file. */
export type EntrySource =
  | { name: BackupHeader['entries'][number]['name']; data: Buffer }
  | { name: BackupHeader['entries'][number]['name']; file: string };

/**
 * Writes the backup file: a 0600 temporary file beside `out`, flushed, then moved into
 * place — by a hard link that fails if `out` exists (so two runs cannot overwrite each
 * other), or by a rename over it with `force`. A failed write (a full disk) leaves no file.
 */
export async function writeBackupFile(
  out: string,
  header: Omit<BackupHeader, 'entries'>,
  sources: readonly EntrySource[],
  options: { force: boolean },
): Promise<{ bytes: number; sha256: string }> {
  const entries = await Promise.all(
    sources.map(async (source) => ({
      name: source.name,
      bytes: 'data' in source ? source.data.length : (await fs.stat(source.file)).size,
    })),
  );
  const headerLine = Buffer.from(`${JSON.stringify({ ...header, entries })}\n`);
  const hash = createHash('sha256').update(headerLine);
  for (const source of sources) await feed(source, (chunk) => hash.update(chunk));
  const sha256 = hash.digest('hex');

  const temporary = path.join(
    path.dirname(out),
    `.${path.basename(out)}.tmp-${randomBytes(6).toString('hex')}`,
  );
  let handle: fs.FileHandle | undefined;
  let bytes = 0;
  try {
    handle = await fs.open(temporary, 'wx', 0o600);
    const write = async (chunk: Buffer): Promise<void> => {
      await handle?.write(chunk);
      bytes += chunk.length;
    };
    await write(Buffer.from(`${MAGIC_LINE}\n`));
    await write(headerLine);
    await write(Buffer.from(`sha256 ${sha256}\n`));
    for (const source of sources) await feedAsync(source, write);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.force) {
      await fs.rename(temporary, out);
    } else {
      await fs.link(temporary, out);
      await fs.rm(temporary, { force: true });
    }
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temporary, { force: true });
    if (errorCode(error) === 'EEXIST') {
      throw new BackupError(`${out} already exists; nothing was written (--force replaces it).`, 2);
    }
    throw new BackupError(
      `could not write the backup to ${out} (${describeWriteError(error)}); no backup file was left.`,
    );
  }
  await syncDirectory(path.dirname(out));
  return { bytes, sha256 };
}

export function describeWriteError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EFBIG') return 'the file is larger than this process may write';
  if (code === 'EDQUOT') return 'the disk quota is used up';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'the directory does not exist';
  return code === 'unknown error' && error instanceof Error ? error.message : code;
}

async function feed(source: EntrySource, use: (chunk: Buffer) => void): Promise<void> {
  if ('data' in source) {
    use(source.data);
    return;
  }
  for await (const chunk of createReadStream(source.file)) use(chunk as Buffer);
}

async function feedAsync(
  source: EntrySource,
  use: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  if ('data' in source) {
    await use(source.data);
    return;
  }
  for await (const chunk of createReadStream(source.file)) await use(chunk as Buffer);
}
