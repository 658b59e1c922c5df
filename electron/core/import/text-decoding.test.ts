import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8Offset } from './text-decoding.js';

describe('decodeText', () => {
  it('drops a BOM and reads windows-1252 when asked', () => {
    expect(decodeText(Buffer.from('\ufeffdate', 'utf8'))).toBe('date');
    expect(decodeText(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x80]), 'windows-1252')).toBe('Café€');
  });

  it('names the line of the first byte that is not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('a\nb\nc'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(() => decodeText(bytes)).toThrow(/^line 3: /);
  });

  it('finds invalid sequences, overlong forms and surrogates', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('héllo €'))).toBe(10);
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalidUtf8Offset(Buffer.from([0xf0, 0x9f, 0x98, 0x80]))).toBe(4);
  });
});
