import { CofferError } from '../../../shared/errors/coffer-error.js';
import { LOGO_MAX_BYTES, type LogoMimeType } from '../../../shared/domain/settings.schema.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IHDR = Buffer.from('IHDR', 'latin1');
const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The logo's real type, read from its bytes (never from a file name or a declared type,
 * which any file can carry). PNG: the 8-byte signature and an IHDR chunk of non-zero size;
 * JPEG: the SOI marker, then segments up to a frame header (SOFn) of non-zero size, which
 * is what a PDF writer needs to embed it. Anything else, or more than LOGO_MAX_BYTES, is
 * refused before a byte reaches the vault.
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
  if (isPng(bytes)) return 'image/png';
  if (isJpeg(bytes)) return 'image/jpeg';
  throw new CofferError(
    'LOGO_UNSUPPORTED_TYPE',
    'The logo must be a PNG or JPEG image; this file is neither.',
  );
}

function isPng(bytes: Buffer): boolean {
  return (
    bytes.length >= 33 &&
    bytes.subarray(0, 8).equals(PNG_SIGNATURE) &&
    bytes.readUInt32BE(8) === 13 &&
    bytes.subarray(12, 16).equals(PNG_IHDR) &&
    bytes.readUInt32BE(16) > 0 &&
    bytes.readUInt32BE(20) > 0
  );
}

/** Frame headers: SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

function isJpeg(bytes: Buffer): boolean {
  if (bytes.length < 4 || !bytes.subarray(0, 3).equals(JPEG_SOI)) return false;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return false;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Image data or the end before any frame header: no size to embed it by.
    if (marker === 0xd9 || marker === 0xda) return false;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return false;
    if (SOF_MARKERS.has(marker)) {
      return length >= 8 && bytes.readUInt16BE(at + 5) > 0 && bytes.readUInt16BE(at + 7) > 0;
    }
    at += 2 + length;
  }
  return false;
}
