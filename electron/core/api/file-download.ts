import type { FileDownload } from '../../../shared/api/file-payload.js';

/** A file the core hands a window to save or show: an export, a backup, a PDF, the logo. */
export function fileDownload(fileName: string, mediaType: string, bytes: Buffer): FileDownload {
  return { fileName, mediaType, contentBase64: bytes.toString('base64'), bytes: bytes.length };
}
