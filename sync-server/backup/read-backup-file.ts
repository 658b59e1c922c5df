import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';

import { BackupError, errorCode } from './backup-error.js';
import { BackupHeaderSchema, MAGIC_LINE, MAX_PREAMBLE_BYTES } from './backup-header.js';
import type { BackupEntry, BackupHeader } from './backup-header.js';

/** A checked backup file: its header, and where each entry's bytes start. */
export interface VerifiedBackup {
  file: string;
  header: BackupHeader;
  sha256: string;
  entries: (BackupEntry & { offset: number })[];
}

const refuse = (file: string, why: string): BackupError =>
  new BackupError(`${file} ${why}; nothing was restored.`);

/**
 * Reads and checks a backup file before anything is restored from it: the format line, the
 * header (schema-checked), the length (a truncated or extended file is refused by name) and
 * the SHA-256 over header and content (an altered byte anywhere is refused).
 */
export async function verifyBackupFile(file: string): Promise<VerifiedBackup> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    const code = errorCode(error);
    throw new BackupError(
      code === 'ENOENT'
        ? `the backup file ${file} does not exist; nothing was restored.`
        : `cannot open ${file} (${code}); nothing was restored.`,
      2,
    );
  }
  let size: number;
  let preamble: Buffer;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new BackupError(`${file} is not a file; nothing was restored.`, 2);
    size = stat.size;
    const buffer = Buffer.alloc(Math.min(size, MAX_PREAMBLE_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    preamble = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }

  const lines: Buffer[] = [];
  let start = 0;
  while (lines.length < 3) {
    const end = preamble.indexOf(0x0a, start);
    if (end < 0) break;
    lines.push(preamble.subarray(start, end + 1));
    start = end + 1;
  }
  const [magic, headerLine, hashLine] = lines;
  if (magic === undefined || magic.toString('utf8') !== `${MAGIC_LINE}\n`) {
    const known = magic?.toString('utf8').startsWith('coffer-server-backup ') === true;
    throw refuse(
      file,
      known
        ? `is a backup of another format version (${magic?.toString('utf8').trim() ?? ''}); this server reads ${MAGIC_LINE}`
        : 'is not a Coffer server backup (or its first bytes were altered)',
    );
  }
  if (headerLine === undefined || hashLine === undefined) {
    throw refuse(file, 'is truncated or damaged: its header is incomplete');
  }
  const hashMatch = /^sha256 ([0-9a-f]{64})\n$/.exec(hashLine.toString('utf8'));
  if (hashMatch?.[1] === undefined)
    throw refuse(file, 'is damaged: its checksum line is unreadable');
  const sha256 = hashMatch[1];
  let header: BackupHeader;
  try {
    const parsed = BackupHeaderSchema.safeParse(JSON.parse(headerLine.toString('utf8')));
    if (!parsed.success) throw new Error('bad header');
    header = parsed.data;
  } catch (_error) {
    throw refuse(file, 'is damaged: its header is unreadable');
  }

  let offset = start;
  const entries = header.entries.map((entry) => {
    const placed = { ...entry, offset };
    offset += entry.bytes;
    return placed;
  });
  if (size < offset) {
    throw refuse(file, `is truncated: ${size} bytes where the header promises ${offset}`);
  }
  if (size > offset)
    throw refuse(file, `is damaged: ${size - offset} bytes more than its header lists`);

  const hash = createHash('sha256').update(headerLine);
  for await (const chunk of createReadStream(file, { start })) hash.update(chunk as Buffer);
  const actual = hash.digest();
  if (!timingSafeEqual(actual, Buffer.from(sha256, 'hex'))) {
    throw refuse(file, 'is damaged or was altered: its SHA-256 does not match');
  }
  return { file, header, sha256, entries };
}

/** One entry's bytes, in memory (the certificate and key files are small). */
export async function readEntry(
  backup: VerifiedBackup,
  name: BackupEntry['name'],
): Promise<Buffer | null> {
  const entry = backup.entries.find((e) => e.name === name);
  if (entry === undefined) return null;
  const handle = await fs.open(backup.file, 'r');
  try {
    const buffer = Buffer.alloc(entry.bytes);
    const { bytesRead } = await handle.read(buffer, 0, entry.bytes, entry.offset);
    if (bytesRead !== entry.bytes) throw refuse(backup.file, 'changed while it was read');
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Streams one entry's bytes (the database), never the whole file in memory. */
export function entryStream(backup: VerifiedBackup, name: BackupEntry['name']): Readable | null {
  const entry = backup.entries.find((e) => e.name === name);
  if (entry === undefined) return null;
  if (entry.bytes === 0) return Readable.from([]);
  return createReadStream(backup.file, {
    start: entry.offset,
    end: entry.offset + entry.bytes - 1,
  });
}
