import { isUtf8 } from 'node:buffer';
import { importParseError } from './parse-error.js';

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'iso-8859-1';

/**
 * Decodes a statement file to text. UTF-8 is checked strictly: a file saved in another
 * encoding would otherwise import payees with replacement characters, silently. The error
 * names the line of the first bad byte. A leading byte-order mark is dropped.
 */
export function decodeText(bytes: Buffer, encoding: TextEncodingName = 'utf-8'): string {
  if (encoding === 'utf-8') {
    if (!isUtf8(bytes)) {
      const offset = firstInvalidUtf8Offset(bytes);
      throw importParseError(
        lineAtOffset(bytes, offset),
        'the file is not valid UTF-8; save it as UTF-8 or give the encoding (windows-1252, iso-8859-1)',
        { byteOffset: offset },
      );
    }
    return stripBom(bytes.toString('utf8'));
  }
  return stripBom(
    encoding === 'windows-1252' ? decodeWindows1252(bytes) : bytes.toString('latin1'),
  );
}

// Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F (€, curly quotes, dashes…).
// Spelled out because Node's TextDecoder reads this label as ISO-8859-1 in some builds.
// prettier-ignore
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Single-byte, so it decodes any slice of a file on its own (the streamed reader relies on it). */
export function decodeWindows1252(bytes: Buffer): string {
  const latin1 = bytes.toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (ch) =>
    String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80] ?? ch.charCodeAt(0)),
  );
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function lineAtOffset(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
