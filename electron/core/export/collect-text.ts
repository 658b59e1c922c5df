import { CofferError } from '../../../shared/errors/coffer-error.js';

/**
 * Gathers what a writer puts into one string, counting UTF-8 bytes as it goes, and stops
 * with FILE_TOO_LARGE as soon as the text would pass `maxBytes`.
 */
export function collectText(
  write: (put: (chunk: string) => void) => void,
  maxBytes: number,
  what: string,
): string {
  const chunks: string[] = [];
  let bytes = 0;
  write((chunk) => {
    bytes += Buffer.byteLength(chunk, 'utf8');
    if (bytes > maxBytes) {
      throw new CofferError(
        'FILE_TOO_LARGE',
        `${what} is larger than the ${maxBytes / (1024 * 1024)} MiB the app can hand over; use the command line's export instead`,
        { maxBytes },
      );
    }
    chunks.push(chunk);
  });
  return chunks.join('');
}
