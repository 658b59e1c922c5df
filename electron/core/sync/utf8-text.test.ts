import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Text } from './utf8-text.js';

describe('utf8Text', () => {
  it('decodes any bytes, and any part of them, as toString("utf8") does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }).map((s) => Buffer.from(s, 'utf8')),
          fc.string({ maxLength: 300 }).map((s) => Buffer.from(s, 'ascii')),
        ),
        fc.nat(),
        fc.nat(),
        (raw, a, b) => {
          const bytes = Buffer.from(raw);
          const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
          const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
          expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
          expect(utf8Text(bytes, start, end)).toBe(bytes.toString('utf8', start, end));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps non-ASCII text, a BOM and invalid sequences as UTF-8 decoding would', () => {
    for (const bytes of [
      Buffer.from('Müller & Söhne — 12,50 €', 'utf8'),
      Buffer.from([0xef, 0xbb, 0xbf, 0x61]),
      Buffer.from([0x61, 0xff, 0x62]),
      Buffer.from([0xc3]),
    ]) {
      expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
    }
    // A high byte must not be read as ASCII with its top bit dropped.
    expect(utf8Text(Buffer.from([0xe1]))).toBe('\ufffd');
  });
});
