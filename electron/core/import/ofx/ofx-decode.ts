import { isUtf8 } from 'node:buffer';
import { importParseError } from '../parse-error.js';
import { decodeText, type TextEncodingName } from '../text-decoding.js';

export interface OfxSource {
  /** The whole file as text, header included, so line numbers match the file. */
  text: string;
  /** Offset of the first markup character and its line. */
  bodyOffset: number;
  bodyLine: number;
  /** The encoding the text was read with. */
  encoding: TextEncodingName;
}

/**
 * Decodes an OFX file using its own declaration: the OFX 1.x header block
 * (ENCODING/CHARSET) or the XML declaration of OFX 2.x. Many banks declare USASCII or
 * CP1252 while writing UTF-8; text that is valid UTF-8 and not plain ASCII is read as
 * UTF-8, since Windows-1252 prose is almost never valid UTF-8 by accident.
 */
export function decodeOfx(bytes: Buffer): OfxSource {
  const hasUtf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const peek = bytes
    .subarray(0, 4096)
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/, '');
  const firstLt = peek.indexOf('<');
  if (firstLt === -1 && !/OFXHEADER/i.test(peek)) {
    throw importParseError(1, 'this is not an OFX file (no OFX header or <OFX> element)');
  }
  const declared = hasUtf8Bom ? 'utf-8' : declaredEncoding(peek, firstLt);
  const encoding: TextEncodingName =
    declared !== 'utf-8' && isUtf8(bytes) && bytes.some((b) => b >= 0x80) ? 'utf-8' : declared;
  const text = decodeText(bytes, encoding).replace(/\r\n?/g, '\n');
  const bodyOffset = text.indexOf('<');
  if (bodyOffset === -1)
    throw importParseError(
      lineAt(text, text.length),
      'the file has an OFX header but no <OFX> element; it may be truncated',
    );
  return { text, bodyOffset, bodyLine: lineAt(text, bodyOffset), encoding };
}

function declaredEncoding(peek: string, firstLt: number): TextEncodingName {
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(peek);
  if (xml !== null) return fromLabel(xml[1] ?? '');
  if (/^\s*<\?xml/i.test(peek)) return 'utf-8';
  const header = firstLt === -1 ? peek : peek.slice(0, firstLt);
  const fields = new Map<string, string>();
  for (const line of header.split(/\r?\n|\r/)) {
    const m = /^\s*([A-Z]+)\s*:\s*(.*?)\s*$/i.exec(line);
    if (m !== null) fields.set((m[1] ?? '').toUpperCase(), (m[2] ?? '').toUpperCase());
  }
  if (fields.get('ENCODING') === 'UTF-8' || fields.get('ENCODING') === 'UTF8') return 'utf-8';
  return fromLabel(fields.get('CHARSET') ?? '1252');
}

function fromLabel(label: string): TextEncodingName {
  const l = label.trim().toUpperCase();
  if (l === 'UTF-8' || l === 'UTF8') return 'utf-8';
  if (l === 'ISO-8859-1' || l === '8859-1' || l === 'LATIN1' || l === 'ISO8859-1')
    return 'iso-8859-1';
  return 'windows-1252';
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
