/**
 * Files cross the `window.coffer` boundary as base64 text inside the JSON messages (no
 * Buffer survives a MessagePort and a WebSocket alike). Each carries its size cap, checked
 * on the encoded length before a byte is decoded.
 */
import * as z from 'zod';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 text of at most `maxBytes` decoded bytes. */
export function base64FileSchema(maxBytes: number, what: string): z.ZodType<string> {
  const maxLength = Math.ceil(maxBytes / 3) * 4;
  return z
    .string()
    .max(maxLength, `${what} is larger than the ${maxBytes / (1024 * 1024)} MiB limit`)
    .refine((text) => text.length % 4 === 0 && BASE64.test(text), 'must be base64');
}

/** A file the core hands a window to save (an export, a backup). */
export interface FileDownload {
  /** A name to offer in the save dialog. */
  fileName: string;
  mediaType: string;
  contentBase64: string;
  bytes: number;
}

/**
 * The largest file the core hands a window in one answer (an export, a backup). Larger
 * vaults are exported and backed up with the command line, which writes files directly.
 */
export const DOWNLOAD_MAX_BYTES = 64 * 1024 * 1024;
