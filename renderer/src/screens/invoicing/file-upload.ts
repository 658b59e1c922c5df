/**
 * A file the person picked, turned into what the API takes: its name, its type and its
 * bytes as base64. The size and type are checked here only to answer at once; the core
 * checks both again, the type by the file's first bytes.
 */
import {
  ATTACHMENT_UPLOAD_TYPES,
  MAX_ATTACHMENT_UPLOAD_BYTES,
  type AttachmentUpload,
  type AttachmentUploadType,
} from '../../../../shared/api/attachment-upload.js';

export const ACCEPTED_FILE_TYPES = ATTACHMENT_UPLOAD_TYPES.join(',');

function isUploadType(type: string): type is AttachmentUploadType {
  return (ATTACHMENT_UPLOAD_TYPES as readonly string[]).includes(type);
}

export async function readPickedFile(
  file: File,
): Promise<{ upload: AttachmentUpload } | { error: string }> {
  if (file.size > MAX_ATTACHMENT_UPLOAD_BYTES) {
    return {
      error: `${file.name} is larger than ${MAX_ATTACHMENT_UPLOAD_BYTES / (1024 * 1024)} MiB`,
    };
  }
  if (!isUploadType(file.type)) {
    return { error: `${file.name} is not a PNG, JPEG, GIF or WebP image or a PDF` };
  }
  const contentBase64 = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read`));
    reader.readAsDataURL(file);
  });
  if (contentBase64 === '') return { error: `${file.name} is empty` };
  return { upload: { fileName: file.name, mimeType: file.type, contentBase64 } };
}
