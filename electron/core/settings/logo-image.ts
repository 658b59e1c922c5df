import { CofferError } from '../../../shared/errors/coffer-error.js';
import { LOGO_MAX_BYTES, type LogoMimeType } from '../../../shared/domain/settings.schema.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IHDR = Buffer.from('IHDR', 'latin1');
const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The logo's real type, read from its first bytes (never from a file name or a declared
 * type, which any file can carry). PNG: the 8-byte signature followed by the IHDR chunk;
 * JPEG: the SOI marker and the start of a segment. Anything else, or more than
 * LOGO_MAX_BYTES, is refused before a byte reaches the vault.
 */
export function checkLogoImage(content: Uint8Array): LogoMimeType {
  if (!(content instanceof Uint8Array)) {
    throw new CofferError('INVALID_INPUT', 'The logo must be given as bytes.');
  }
  if (content.byteLength > LOGO_MAX_BYTES) {
    throw new CofferError(
      'LOGO_TOO_LARGE',
      `The logo is ${content.byteLength} bytes; a logo may be at most ${LOGO_MAX_BYTES / 1024} KiB.`,
      { size: content.byteLength, limit: LOGO_MAX_BYTES },
    );
  }
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (
    bytes.length >= 16 &&
    bytes.subarray(0, 8).equals(PNG_SIGNATURE) &&
    bytes.subarray(12, 16).equals(PNG_IHDR)
  ) {
    return 'image/png';
  }
  if (bytes.length >= 4 && bytes.subarray(0, 3).equals(JPEG_SOI)) return 'image/jpeg';
  throw new CofferError(
    'LOGO_UNSUPPORTED_TYPE',
    'The logo must be a PNG or JPEG image; this file is neither.',
  );
}
