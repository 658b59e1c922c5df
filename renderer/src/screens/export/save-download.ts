import type { FileDownload } from '../../../../shared/api/file-payload.js';

/** Offers a file the core handed over to the browser's own save, then lets go of it. */
export function saveDownload(download: FileDownload): void {
  const binary = atob(download.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: download.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = download.fileName;
  link.click();
  // The click has started the download; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
