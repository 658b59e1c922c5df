import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';

/**
 * A Coffer backup is one file:
 *
 *   "COFFERBK"  u32 format version  u32 header length  header (JSON)
 *   vault.json (header.manifestBytes)
 *   the encrypted database (header.databaseBytes), exactly as SQLCipher wrote it
 *   SHA-256 of everything above (32 bytes)
 *
 * The digest catches damage and truncation before a restore writes anything; it is not a
 * signature (the database pages carry SQLCipher's own HMACs against tampering).
 */
export const BACKUP_MAGIC = Buffer.from('COFFERBK', 'latin1');
export const BACKUP_FORMAT_VERSION = 1;
const PREFIX_BYTES = BACKUP_MAGIC.length + 8;
const DIGEST_BYTES = 32;
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export const BackupHeaderSchema = z.strictObject({
  vaultId: z.string().regex(UUID_PATTERN),
  createdAt: z.number().int().nonnegative(),
  manifestBytes: z.number().int().positive().max(MAX_MANIFEST_BYTES),
  databaseBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
export type BackupHeader = z.infer<typeof BackupHeaderSchema>;

/** Writes a backup to the open file descriptor `fd`, streaming the database from `databaseFile`. */
export function writeBackupFile(
  fd: number,
  header: Omit<BackupHeader, 'manifestBytes' | 'databaseBytes'>,
  manifest: Buffer,
  databaseFile: string,
): number {
  const databaseBytes = fs.statSync(databaseFile).size;
  const headerBytes = Buffer.from(
    JSON.stringify({ ...header, manifestBytes: manifest.length, databaseBytes }),
    'utf8',
  );
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(BACKUP_FORMAT_VERSION, 0);
  prefix.writeUInt32BE(headerBytes.length, 4);
  const digest = createHash('sha256');
  let written = 0;
  const put = (chunk: Buffer) => {
    digest.update(chunk);
    writeAll(fd, chunk);
    written += chunk.length;
  };
  put(BACKUP_MAGIC);
  put(prefix);
  put(headerBytes);
  put(manifest);
  const source = fs.openSync(databaseFile, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let copied = 0;
    for (;;) {
      const read = fs.readSync(source, buffer, 0, buffer.length, null);
      if (read === 0) break;
      put(buffer.subarray(0, read));
      copied += read;
    }
    if (copied !== databaseBytes) {
      throw new CofferError('INTERNAL', 'The database copy changed size while it was read.');
    }
  } finally {
    fs.closeSync(source);
  }
  const sum = digest.digest();
  writeAll(fd, sum);
  return written + sum.length;
}

/** What a restore needs from a backup file, read and checked in one pass. */
export interface BackupContents {
  header: BackupHeader;
  manifest: Buffer;
}

/**
 * Reads the backup in `file`, writing its database to `databaseOut` as it goes, and checks
 * its digest at the end. BACKUP_CORRUPT when the file is not a Coffer backup, is truncated
 * or longer than it says, or its digest does not match; the caller then discards
 * `databaseOut`, which must not be used before this returns.
 */
export function readBackupFile(file: string, databaseOut: number): BackupContents {
  const fd = openBackup(file);
  try {
    const size = fs.fstatSync(fd).size;
    const digest = createHash('sha256');
    let offset = 0;
    const take = (length: number): Buffer => {
      const chunk = Buffer.alloc(length);
      const read = fs.readSync(fd, chunk, 0, length, offset);
      if (read !== length) throw corrupt(file, 'it is truncated');
      offset += length;
      digest.update(chunk);
      return chunk;
    };
    if (size < PREFIX_BYTES + DIGEST_BYTES) throw corrupt(file, 'it is too short');
    if (!take(BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
      throw corrupt(file, 'it is not a Coffer backup');
    }
    const prefix = take(8);
    const version = prefix.readUInt32BE(0);
    if (version > BACKUP_FORMAT_VERSION) {
      throw new CofferError(
        'VAULT_TOO_NEW',
        `${file} is a backup format ${version}; this Coffer reads format ${BACKUP_FORMAT_VERSION}. Update Coffer.`,
      );
    }
    const headerLength = prefix.readUInt32BE(4);
    if (
      version !== BACKUP_FORMAT_VERSION ||
      headerLength === 0 ||
      headerLength > MAX_HEADER_BYTES
    ) {
      throw corrupt(file, 'its header is damaged');
    }
    const header = parseHeader(file, take(headerLength));
    const expected =
      PREFIX_BYTES + headerLength + header.manifestBytes + header.databaseBytes + DIGEST_BYTES;
    if (size !== expected) {
      throw corrupt(file, size < expected ? 'it is truncated' : 'it has bytes after its end');
    }
    const manifest = take(header.manifestBytes);
    copyDatabase(fd, offset, header.databaseBytes, databaseOut, digest, file);
    offset += header.databaseBytes;
    const stored = Buffer.alloc(DIGEST_BYTES);
    if (fs.readSync(fd, stored, 0, DIGEST_BYTES, offset) !== DIGEST_BYTES) {
      throw corrupt(file, 'it is truncated');
    }
    if (!stored.equals(digest.digest())) throw corrupt(file, 'its checksum does not match');
    return { header, manifest };
  } finally {
    fs.closeSync(fd);
  }
}

function copyDatabase(
  fd: number,
  start: number,
  length: number,
  out: number,
  digest: Hash,
  file: string,
): void {
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let done = 0;
  while (done < length) {
    const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, length - done), start + done);
    if (read === 0) throw corrupt(file, 'it is truncated');
    const chunk = buffer.subarray(0, read);
    digest.update(chunk);
    writeAll(out, chunk);
    done += read;
  }
}

/** writeSync may write less than asked (a full disk reports itself on the next call). */
export function writeAll(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
}

function parseHeader(file: string, bytes: Buffer): BackupHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw corrupt(file, 'its header is damaged');
  }
  const parsed = BackupHeaderSchema.safeParse(raw);
  if (!parsed.success) throw corrupt(file, 'its header is damaged');
  return parsed.data;
}

function openBackup(file: string): number {
  try {
    const fd = fs.openSync(file, 'r');
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      throw new CofferError('INVALID_INPUT', `${file} is not a regular file.`);
    }
    return fd;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
      throw new CofferError('FILE_NOT_FOUND', `${file} does not exist or cannot be read.`);
    }
    throw error;
  }
}

function corrupt(file: string, why: string): CofferError {
  return new CofferError('BACKUP_CORRUPT', `${file} cannot be restored: ${why}.`);
}
