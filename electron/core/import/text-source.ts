import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { MAX_IMPORT_FILE_BYTES } from './import-file.js';
import { decodeWindows1252, type TextEncodingName } from './text-decoding.js';

/**
 * Decoded text of a statement, handed out in pieces so a reader never needs the whole
 * file in memory. Each `chunks()` call starts over from the beginning.
 */
export interface TextSource {
  /** File name or a description, for messages. */
  label: string;
  chunks(): Iterable<string>;
  /** The encoding the bytes were read in, when the source was bytes. */
  encoding?: TextEncodingName;
  /** True when the user gave the encoding; false when it was chosen from the bytes. */
  encodingGiven?: boolean;
}

export const TEXT_CHUNK_BYTES = 64 * 1024;

/** A source over text already in memory (tests, pasted statements). A BOM is dropped. */
export function textSource(text: string, label = 'text'): TextSource {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return {
    label,
    *chunks() {
      for (let i = 0; i < body.length; i += TEXT_CHUNK_BYTES) {
        yield body.slice(i, i + TEXT_CHUNK_BYTES);
      }
    },
  };
}

/**
 * A statement held as bytes. The encoding, when not given, is chosen by one pass: strict UTF-8 first; bytes that are not UTF-8 are read as windows-1252 (what spreadsheet
 * programs on Windows save), never with replacement characters.
 */
export function bytesTextSource(
  bytes: Uint8Array,
  label: string,
  encoding?: TextEncodingName,
): TextSource {
  const chosen = encoding ?? (isValidUtf8(pieces(bytes)) ? 'utf-8' : 'windows-1252');
  return {
    label,
    encoding: chosen,
    encodingGiven: encoding !== undefined,
    chunks: () => decodeBytes(pieces(bytes), chosen),
  };
}

/**
 * A statement file read in 64 KiB pieces with `readSync` on every pass, so memory does
 * not grow with the file. Refuses files over MAX_IMPORT_FILE_BYTES before reading them.
 */
export function fileTextSource(path: string, encoding?: TextEncodingName): TextSource {
  const fd = openFile(path);
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_IMPORT_FILE_BYTES) {
      throw new CofferError('FILE_TOO_LARGE', `${path} is larger than the import limit`, {
        file: path,
        size,
        maxBytes: MAX_IMPORT_FILE_BYTES,
      });
    }
  } finally {
    closeSync(fd);
  }
  const read = () => filePieces(path);
  const chosen = encoding ?? (isValidUtf8(read()) ? 'utf-8' : 'windows-1252');
  return {
    label: path,
    encoding: chosen,
    encodingGiven: encoding !== undefined,
    chunks: () => decodeBytes(read(), chosen),
  };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CofferError('FILE_NOT_FOUND', `${path} cannot be read (${code ?? 'error'})`, {
      file: path,
    });
  }
}

function* filePieces(path: string): Generator<Uint8Array> {
  const fd = openFile(path);
  try {
    let total = 0;
    for (;;) {
      // A buffer of its own per piece, read into directly: the consumer may hold the piece
      // while the next one is read, and copying each piece out of one buffer cost a copy.
      const buffer = Buffer.alloc(TEXT_CHUNK_BYTES);
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) return;
      total += n;
      if (total > MAX_IMPORT_FILE_BYTES) {
        throw new CofferError('FILE_TOO_LARGE', `${path} grew past the import limit`, {
          file: path,
        });
      }
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function* pieces(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += TEXT_CHUNK_BYTES) {
    yield bytes.subarray(i, i + TEXT_CHUNK_BYTES);
  }
}

/**
 * Whether the pieces together are strict UTF-8 (what a fatal TextDecoder accepts), checked
 * on the bytes without decoding them into text that is thrown away. A character split
 * across two pieces is carried into the next; one still open at the end is invalid.
 */
export function isValidUtf8(input: Iterable<Uint8Array>): boolean {
  let carry: Uint8Array | null = null;
  for (const piece of input) {
    const bytes: Uint8Array = carry === null ? piece : Buffer.concat([carry, piece]);
    const end = completeLength(bytes);
    if (!isUtf8(bytes.subarray(0, end))) return false;
    carry = end === bytes.length ? null : bytes.slice(end);
  }
  return carry === null;
}

/**
 * How many leading bytes end on a whole character: all of them, unless the last lead
 * byte within the final four starts a sequence longer than what follows it. Splitting
 * there keeps valid text valid, and invalid bytes stay invalid in one part or the other.
 */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i] as number;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > n ? i : n;
  }
  return n;
}

function* decodeBytes(input: Iterable<Uint8Array>, encoding: TextEncodingName): Generator<string> {
  let first = true;
  const decoder =
    encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }) : null;
  // Until the decoder has seen a byte, it holds nothing back: an all-ASCII piece is then the
  // same text read as Latin-1, several times faster (most statements are ASCII throughout).
  let decoderUsed = false;
  for (const piece of input) {
    let text: string;
    if (decoder !== null && !decoderUsed && isAscii(piece)) {
      text = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('latin1');
    } else if (decoder !== null) {
      decoderUsed = true;
      text = decoder.decode(piece, { stream: true });
    } else {
      const buffer = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      text = encoding === 'windows-1252' ? decodeWindows1252(buffer) : buffer.toString('latin1');
    }
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text !== '') first = false;
    if (text !== '') yield text;
  }
  if (decoder !== null && decoderUsed) {
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  }
}
