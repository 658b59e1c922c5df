import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { decodeText, type TextEncodingName } from '../text-decoding.js';

export interface CamtText {
  text: string;
  encoding: TextEncodingName;
}

/**
 * Decodes a CAMT file by its XML declaration: UTF-8 (with or without a byte-order mark)
 * as ISO 20022 asks, ISO-8859-1 or Windows-1252 when the bank declares it. UTF-16 and
 * other encodings are refused by name rather than read as garbage.
 */
export function decodeCamt(bytes: Buffer): CamtText {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw unsupportedEncoding('UTF-16');
  }
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /^(?:\u00ef\u00bb\u00bf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(
    head,
  )?.[1];
  const encoding = encodingFor(declared ?? 'UTF-8');
  return { text: decodeText(bytes, encoding), encoding };
}

function encodingFor(label: string): TextEncodingName {
  const l = label.trim().toUpperCase();
  if (l === 'UTF-8' || l === 'UTF8') return 'utf-8';
  if (l === 'ISO-8859-1' || l === 'ISO8859-1' || l === 'LATIN1') return 'iso-8859-1';
  if (l === 'WINDOWS-1252' || l === 'CP1252') return 'windows-1252';
  throw unsupportedEncoding(label.slice(0, 30));
}

function unsupportedEncoding(name: string): CofferError {
  return new CofferError(
    'IMPORT_FORMAT_UNSUPPORTED',
    `line 1: the file is encoded as ${name}; export the statement as UTF-8`,
    { line: 1, encoding: name },
  );
}
