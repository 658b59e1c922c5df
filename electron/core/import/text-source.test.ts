import * as fs from 'node:fs';
import fc from 'fast-check';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './testing/import-test-helpers.js';
import {
  bytesTextSource,
  fileTextSource,
  isValidUtf8,
  textSource,
  TEXT_CHUNK_BYTES,
} from './text-source.js';

let files: ReturnType<typeof tempDir> | null = null;
afterEach(() => files?.cleanup());

const whole = (chunks: Iterable<string>) => [...chunks].join('');

describe('text sources', () => {
  it('reads a file in 64 KiB pieces, again on every pass, a BOM dropped', () => {
    files = tempDir();
    const body = `date,amount,payee\n${'2024-01-01,-1.00,Café ☕\n'.repeat(10_000)}`;
    const file = files.file('big.csv', `\ufeff${body}`);
    const source = fileTextSource(file);
    expect(source).toMatchObject({ encoding: 'utf-8', encodingGiven: false, label: file });
    const pieces = [...source.chunks()];
    expect(pieces.length).toBeGreaterThan(Math.floor(fs.statSync(file).size / TEXT_CHUNK_BYTES));
    expect(pieces.join('')).toBe(body);
    expect(whole(source.chunks())).toBe(body);
  });

  it('reads bytes that are not UTF-8 as windows-1252, never with replacement characters', () => {
    const bytes = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x3b, 0x80, 0x0a]);
    const source = bytesTextSource(bytes, 'x.csv');
    expect(source.encoding).toBe('windows-1252');
    expect(whole(source.chunks())).toBe('Café;€\n');
    expect(whole(bytesTextSource(bytes, 'x.csv', 'iso-8859-1').chunks())).toBe('Café;\u0080\n');
    files = tempDir();
    expect(fileTextSource(files.file('w.csv', bytes)).encoding).toBe('windows-1252');
  });

  it('decodes a character split across two pieces', () => {
    const text = `${'a'.repeat(TEXT_CHUNK_BYTES - 1)}€b`;
    expect(whole(bytesTextSource(Buffer.from(text), 'x').chunks())).toBe(text);
    expect(whole(textSource(`\ufeff${text}`).chunks())).toBe(text);
  });

  it('decodes ASCII pieces, then UTF-8 from the first piece that is not, whole', () => {
    // Two ASCII pieces, a character that starts a piece, one split across two, and ASCII
    // after the decoder has taken over: the text as one strict decode gives it.
    const ascii = 'a'.repeat(TEXT_CHUNK_BYTES);
    const text = `${ascii}${ascii}é${'b'.repeat(TEXT_CHUNK_BYTES - 3)}€${ascii}`;
    const bytes = Buffer.from(text);
    expect(whole(bytesTextSource(bytes, 'x').chunks())).toBe(text);
    expect(whole(bytesTextSource(bytes, 'x').chunks())).toBe(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes),
    );
    expect(whole(bytesTextSource(Buffer.from(ascii), 'x').chunks())).toBe(ascii);
  });

  it('refuses a missing file and one over the size limit', () => {
    files = tempDir();
    expect(() => fileTextSource(path.join(files?.dir ?? '', 'nope.csv'))).toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND' }),
    );
    const big = path.join(files.dir, 'big.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 21 * 1024 * 1024);
    expect(() => fileTextSource(big)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
  });

  it('tells UTF-8 from other bytes as a fatal decoder does, however the bytes are split', () => {
    const strict = (bytes: Uint8Array): boolean => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    const split = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
      const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const pieces: Uint8Array[] = [];
      let from = 0;
      for (const cut of [...at, bytes.length]) {
        pieces.push(bytes.subarray(from, cut));
        from = cut;
      }
      return pieces;
    };
    // Bytes near character boundaries: ASCII, leads of every length, continuations, and
    // bytes no UTF-8 text holds (overlong leads, surrogates' lead, 0xf5+).
    const byte = fc.constantFrom(
      0x41,
      0x0a,
      0xc3,
      0xa9,
      0xe2,
      0x82,
      0xac,
      0xf0,
      0x9f,
      0x98,
      0x80,
      0xc0,
      0xed,
      0xa0,
      0xf5,
      0xff,
      0x80,
      0xbf,
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 24 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (list, cuts) => {
          const bytes = Uint8Array.from(list);
          expect(isValidUtf8(split(bytes, cuts))).toBe(strict(bytes));
        },
      ),
      { numRuns: 5_000 },
    );
    const text = Buffer.from(`${'a'.repeat(TEXT_CHUNK_BYTES - 2)}😀€é`);
    expect(isValidUtf8(split(text, [TEXT_CHUNK_BYTES - 1, TEXT_CHUNK_BYTES + 3]))).toBe(true);
    expect(isValidUtf8([text.subarray(0, text.length - 1)])).toBe(false);
  });
});
