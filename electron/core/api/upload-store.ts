/**
 * Uploads in progress: each a file in one private temporary folder (0700, files 0600),
 * filled chunk by chunk in order, to exactly the size announced. A method that consumes
 * an upload `take`s it: the upload is forgotten and the caller removes the file when done.
 * Uploads left unfinished expire, and closing the store removes everything.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CofferError } from '../../../shared/errors/coffer-error.js';

interface Upload {
  file: string;
  fileName: string;
  size: number;
  received: number;
  touchedAt: number;
}

export interface TakenUpload {
  file: string;
  fileName: string;
  size: number;
  /** Removes the file; safe to call twice. */
  remove(): void;
}

const EXPIRE_AFTER_MS = 30 * 60 * 1000;
const MAX_OPEN_UPLOADS = 8;

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private dir: string | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  begin(fileName: string, size: number): string {
    this.expire();
    if (this.uploads.size >= MAX_OPEN_UPLOADS) {
      throw new CofferError('INVALID_STATE', 'Too many files are being handed over at once');
    }
    const id = randomBytes(16).toString('base64url');
    const file = path.join(this.folder(), id);
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    this.uploads.set(id, { file, fileName, size, received: 0, touchedAt: this.now() });
    return id;
  }

  append(id: string, offset: number, base64: string): number {
    const upload = this.get(id);
    const chunk = Buffer.from(base64, 'base64');
    if (offset !== upload.received) {
      throw new CofferError(
        'INVALID_INPUT',
        `This chunk starts at ${offset}, but ${upload.received} bytes have arrived`,
      );
    }
    if (upload.received + chunk.length > upload.size) {
      this.discard(id);
      throw new CofferError('FILE_TOO_LARGE', 'The file is larger than announced');
    }
    fs.appendFileSync(upload.file, chunk);
    upload.received += chunk.length;
    upload.touchedAt = this.now();
    return upload.received;
  }

  /** The finished upload, handed over once; INVALID_STATE while bytes are missing. */
  take(id: string): TakenUpload {
    const upload = this.get(id);
    if (upload.received !== upload.size) {
      throw new CofferError(
        'INVALID_STATE',
        `The file is incomplete: ${upload.received} of ${upload.size} bytes arrived`,
      );
    }
    this.uploads.delete(id);
    const { file } = upload;
    return {
      file,
      fileName: upload.fileName,
      size: upload.size,
      remove: () => fs.rmSync(file, { force: true }),
    };
  }

  discard(id: string): void {
    const upload = this.uploads.get(id);
    if (upload === undefined) return;
    this.uploads.delete(id);
    fs.rmSync(upload.file, { force: true });
  }

  close(): void {
    this.uploads.clear();
    if (this.dir !== null) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private get(id: string): Upload {
    this.expire();
    const upload = this.uploads.get(id);
    if (upload === undefined)
      throw new CofferError('NOT_FOUND', 'No such upload (it may have expired)');
    return upload;
  }

  private expire(): void {
    const cutoff = this.now() - EXPIRE_AFTER_MS;
    for (const [id, upload] of this.uploads) {
      if (upload.touchedAt < cutoff) this.discard(id);
    }
  }

  private folder(): string {
    if (this.dir === null || !fs.existsSync(this.dir)) {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-upload-'));
      fs.chmodSync(this.dir, 0o700);
    }
    return this.dir;
  }
}
