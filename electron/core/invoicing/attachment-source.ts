import type { AttachmentSummary } from '../../../shared/domain/invoicing.views.js';
import type { Attachment, AttachmentService } from '../attachments/attachment.service.js';

export type { AttachmentSummary } from '../../../shared/domain/invoicing.views.js';

/** A file handed to a contract or receipt: a path on disk (CLI) or bytes (app, tests). */
export type AttachmentSource =
  | { path: string; fileName?: string; mimeType?: string }
  | { fileName: string; mimeType: string; content: Uint8Array };

/** Stores the file inside the encrypted vault; call inside the caller's transaction. */
export function storeAttachment(
  attachments: AttachmentService,
  source: AttachmentSource,
): Attachment {
  if ('path' in source) {
    const options: { fileName?: string; mimeType?: string } = {};
    if (source.fileName !== undefined) options.fileName = source.fileName;
    if (source.mimeType !== undefined) options.mimeType = source.mimeType;
    return attachments.addFile(source.path, options);
  }
  return attachments.add(source);
}

export function summarizeAttachment(
  attachments: AttachmentService,
  id: string | null,
): AttachmentSummary | null {
  if (id === null) return null;
  try {
    const a = attachments.get(id);
    return {
      id: a.id,
      fileName: a.fileName,
      mimeType: a.mimeType,
      size: a.size,
      sha256: a.sha256,
    };
  } catch {
    return null; // blob not synced to this device yet, or removed
  }
}
