/**
 * Hands a file the user picked to the core in chunks (`uploads.begin/append`), reporting
 * progress, and resolves with the upload id a method then consumes.
 */
import { UPLOAD_CHUNK_BYTES } from '../../../shared/api/upload.methods.js';
import { coffer } from './coffer-client.js';

export async function uploadFile(
  file: Blob & { name: string },
  onProgress: (sent: number, total: number) => void = () => undefined,
): Promise<string> {
  const api = coffer();
  const { uploadId } = await api.uploads.begin({ fileName: file.name, size: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
      const bytes = new Uint8Array(
        await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer(),
      );
      await api.uploads.append({ uploadId, offset, data: toBase64(bytes) });
      onProgress(Math.min(offset + UPLOAD_CHUNK_BYTES, file.size), file.size);
    }
  } catch (error) {
    await api.uploads.discard({ uploadId }).catch(() => null);
    throw error;
  }
  return uploadId;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes arguments; 32 KiB at a time stays well under engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
