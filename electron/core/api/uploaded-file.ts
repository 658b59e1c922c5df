/**
 * Turns a file a window sent (base64, a name and a claimed type) into bytes for the vault,
 * after checking what the bytes are. The schema has already capped the text's length and
 * alphabet; here the decoded size and the file's signature are checked.
 */
import {
  MAX_ATTACHMENT_UPLOAD_BYTES,
  type AttachmentDownload,
  type AttachmentUpload,
} from '../../../shared/api/attachment-upload.js';
import type { AttachmentSummary } from '../../../shared/domain/invoicing.views.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { sniffAttachmentType } from '../attachments/file-signature.js';

const TYPE_NAMES: Record<string, string> = {
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'image/gif': 'a GIF image',
  'image/webp': 'a WebP image',
  'application/pdf': 'a PDF',
};

export function readUploadedFile(upload: AttachmentUpload): {
  fileName: string;
  mimeType: string;
  content: Uint8Array;
} {
  const content = Buffer.from(upload.contentBase64, 'base64');
  if (content.byteLength > MAX_ATTACHMENT_UPLOAD_BYTES) {
    throw new CofferError(
      'FILE_TOO_LARGE',
      `${upload.fileName} is larger than the ${MAX_ATTACHMENT_UPLOAD_BYTES / (1024 * 1024)} MiB limit`,
      { size: content.byteLength, limit: MAX_ATTACHMENT_UPLOAD_BYTES },
    );
  }
  const actual = sniffAttachmentType(content);
  if (actual === null) {
    throw new CofferError(
      'UNSUPPORTED_FILE_TYPE',
      `${upload.fileName} is not a PNG, JPEG, GIF or WebP image or a PDF, whatever its name says`,
    );
  }
  if (actual !== upload.mimeType) {
    throw new CofferError(
      'UNSUPPORTED_FILE_TYPE',
      `${upload.fileName} was sent as ${TYPE_NAMES[upload.mimeType] ?? upload.mimeType} but its content is ${TYPE_NAMES[actual] ?? actual}`,
    );
  }
  return { fileName: upload.fileName, mimeType: actual, content };
}

/** A stored file for a window: its summary and its bytes as base64. */
export function toDownload(read: {
  attachment: AttachmentSummary;
  content: Buffer;
}): AttachmentDownload {
  return { attachment: read.attachment, contentBase64: read.content.toString('base64') };
}
