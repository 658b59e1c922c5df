import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { uuidv7 } from '../../../shared/ids/uuidv7.js';
import type { Vault } from '../vault/vault.js';
import { AttachmentRepository, type AttachmentRow } from './attachment.repository.js';

/** Largest attachment accepted (receipt photos, contract PDFs). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export interface Attachment {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  createdAt: number;
  updatedAt: number;
}

export const AttachmentInputSchema = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, { error: 'File name is empty' })
    .max(255, { error: 'File name is longer than 255 characters' })
    .refine((name) => !/[/\\]/.test(name) && !name.includes('\0'), {
      error: 'File name must not contain a path',
    }),
  mimeType: z
    .string()
    .max(127)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, {
      error: 'Not a media type such as "application/pdf"',
    }),
});

const MIME_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
};

/**
 * Receipts and contract files, kept as blobs inside the encrypted vault so no user file is
 * ever written to disk in plaintext. Each blob carries its SHA-256, checked on every read.
 * The synced change carries the metadata and hash; moving blob bytes between devices is
 * the sync engine's concern.
 */
export class AttachmentService {
  private readonly repo: AttachmentRepository;

  constructor(private readonly vault: Vault) {
    this.repo = new AttachmentRepository(vault.db);
  }

  add(input: { fileName: string; mimeType: string; content: Uint8Array }): Attachment {
    const parsed = AttachmentInputSchema.safeParse({
      fileName: input.fileName,
      mimeType: input.mimeType,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CofferError(
        'INVALID_INPUT',
        `Invalid attachment ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`,
        {
          issues: parsed.error.issues,
        },
      );
    }
    if (!(input.content instanceof Uint8Array)) {
      throw new CofferError('INVALID_INPUT', 'Attachment content must be bytes.');
    }
    assertSize(input.content.byteLength, parsed.data.fileName);
    const content = Buffer.from(
      input.content.buffer,
      input.content.byteOffset,
      input.content.byteLength,
    );
    const now = this.vault.now();
    const row = {
      id: uuidv7(now),
      file_name: parsed.data.fileName,
      mime_type: parsed.data.mimeType.toLowerCase(),
      size: content.byteLength,
      sha256: sha256Hex(content),
      created_at: now,
      updated_at: now,
    };
    const attachment = toAttachment({ ...row, deleted_at: null });
    this.vault.transaction(() => {
      this.repo.insert({ ...row, content });
      this.vault.changes.record('attachments', attachment.id, 'upsert', {
        fileName: attachment.fileName,
        mimeType: attachment.mimeType,
        size: attachment.size,
        sha256: attachment.sha256,
        createdAt: attachment.createdAt,
        updatedAt: attachment.updatedAt,
      });
    });
    return attachment;
  }

  /** Reads a file from disk into the vault; the size is checked before any byte is read. */
  addFile(filePath: string, options: { fileName?: string; mimeType?: string } = {}): Attachment {
    let fd: number;
    try {
      fd = fs.openSync(filePath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CofferError('FILE_NOT_FOUND', `File not found: ${filePath}`);
      }
      throw error;
    }
    const fileName = options.fileName ?? path.basename(filePath);
    let content: Buffer;
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile())
        throw new CofferError('INVALID_INPUT', `${filePath} is not a regular file.`);
      assertSize(stat.size, fileName);
      // Read at most one byte past the limit, in case the file grew after the stat.
      const buffer = Buffer.alloc(Math.min(stat.size, MAX_ATTACHMENT_BYTES) + 1);
      let length = 0;
      for (;;) {
        const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
        if (read === 0) break;
        length += read;
        if (length === buffer.length) break;
      }
      assertSize(length, fileName);
      content = buffer.subarray(0, length);
    } finally {
      fs.closeSync(fd);
    }
    const mimeType =
      options.mimeType ??
      MIME_BY_EXTENSION[path.extname(fileName).toLowerCase()] ??
      'application/octet-stream';
    return this.add({ fileName, mimeType, content });
  }

  get(id: string): Attachment {
    const row = this.repo.findById(id);
    if (row === undefined) throw new CofferError('NOT_FOUND', `No attachment with id ${id}.`);
    return toAttachment(row);
  }

  list(): Attachment[] {
    return this.repo.listLive().map(toAttachment);
  }

  /** The attachment's bytes, verified against the stored SHA-256. */
  readContent(id: string): Buffer {
    const meta = this.get(id);
    const content = this.repo.readContent(id);
    if (
      content === undefined ||
      content.byteLength !== meta.size ||
      sha256Hex(content) !== meta.sha256
    ) {
      throw new CofferError(
        'VAULT_CORRUPT',
        `Attachment ${id} (${meta.fileName}) does not match its recorded SHA-256.`,
      );
    }
    return content;
  }

  remove(id: string): void {
    const now = this.vault.now();
    this.vault.transaction(() => {
      if (!this.repo.markDeleted(id, now))
        throw new CofferError('NOT_FOUND', `No attachment with id ${id}.`);
      this.vault.changes.record('attachments', id, 'delete', { deletedAt: now, updatedAt: now });
    });
  }
}

function assertSize(size: number, fileName: string): void {
  if (size > MAX_ATTACHMENT_BYTES) {
    throw new CofferError(
      'FILE_TOO_LARGE',
      `${fileName} is larger than the ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MiB attachment limit.`,
      { size, limit: MAX_ATTACHMENT_BYTES },
    );
  }
}

function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    fileName: row.file_name,
    mimeType: row.mime_type,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
