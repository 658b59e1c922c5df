import { useState } from 'react';
import type { FileDownload } from '../../../shared/api/file-payload.js';

/** The bytes of base64 text the core sent, as a Blob of `type`. */
export function base64Blob(base64: string, type: string): Blob {
  return new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type });
}

/** Hands a file the core made (a PDF, an export, a backup) to the browser's download. */
export function saveDownload(file: FileDownload): void {
  saveBlob(base64Blob(file.contentBase64, file.mediaType), file.fileName);
}

/** Downloads `text` as a plain-text file named `fileName` (a key the user keeps). */
export function saveTextFile(fileName: string, text: string): void {
  saveBlob(new Blob([text], { type: 'text/plain' }), fileName);
}

/** Copies `text` to the clipboard on `copy()`; `copied` says how that went, for the button. */
export function useCopyText(text: string): {
  copied: 'yes' | 'failed' | null;
  copy: () => void;
} {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return { copied, copy };
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
