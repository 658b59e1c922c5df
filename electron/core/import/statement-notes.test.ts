import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNotes, cleanPayee } from './statement-notes.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]+/g;

/** cleanPayee as it always read, with no shortcut for text that is already clean. */
function cleanPayeeByReplacing(value: string | null): string | null {
  if (value === null) return null;
  let cleaned = value.replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned.length > 200) {
    let out = '';
    for (const ch of cleaned) {
      if (out.length + ch.length > 200) break;
      out += ch;
    }
    cleaned = out.trim();
  }
  return cleaned === '' ? null : cleaned;
}

/** buildNotes as it always read: every value's line breaks replaced, lines joined. */
function buildNotesByReplacing(
  memo: string | null,
  extras: readonly { label: string; value: string }[],
  added: readonly string[],
): string {
  const lines: string[] = [];
  const cleanMemo = memo === null ? '' : memo.replace(/\r\n?/g, '\n').trim();
  if (cleanMemo !== '') lines.push(cleanMemo);
  for (const extra of extras) {
    const value = extra.value.replace(/\r\n?/g, '\n').trim();
    if (value !== '') lines.push(`${extra.label.trim()}: ${value}`);
  }
  lines.push(...added);
  return lines.join('\n');
}

// Text made of the characters that decide cleaning: spaces of several kinds, line
// breaks, tabs, control characters, letters.
const messyText = fc
  .array(
    fc.constantFrom(
      'a',
      'Z',
      'ü',
      ' ',
      '  ',
      '\t',
      '\r',
      '\n',
      '\r\n',
      '\u0000',
      '\u0007',
      '\u007f',
      '\u00a0',
      '\u2009',
      '\ufeff',
      '*',
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('cleanPayee', () => {
  it('returns a clean name as it is', () => {
    expect(cleanPayee('AMAZON MKTPLACE PMTS 42')).toBe('AMAZON MKTPLACE PMTS 42');
    expect(cleanPayee('Müller GmbH')).toBe('Müller GmbH');
  });

  it('replaces control characters, collapses whitespace and trims', () => {
    expect(cleanPayee(' ACME\tLLC  ')).toBe('ACME LLC');
    expect(cleanPayee('ACME\u0000LLC')).toBe('ACME LLC');
    expect(cleanPayee('ACME\u00a0LLC')).toBe('ACME LLC');
    expect(cleanPayee('ACME  LLC')).toBe('ACME LLC');
    expect(cleanPayee('\u0007')).toBeNull();
    expect(cleanPayee('   ')).toBeNull();
    expect(cleanPayee(null)).toBeNull();
  });

  it('gives what replacing every time gave, for any text', () => {
    fc.assert(
      fc.property(messyText, (text) => {
        expect(cleanPayee(text)).toBe(cleanPayeeByReplacing(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('cuts an overlong name to 200 characters', () => {
    expect(cleanPayee('x'.repeat(250))).toBe('x'.repeat(200));
  });
});

describe('buildNotes', () => {
  it('puts the memo first, then each extra as "Label: value", then what the writer added', () => {
    expect(
      buildNotes(
        ' paid\r\nin full ',
        [
          { label: 'Type', value: 'DEBIT_CARD' },
          { label: 'Empty', value: '  ' },
          { label: ' Balance ', value: '1.00\r2.00' },
        ],
        ['Category: Travel'],
      ),
    ).toBe('paid\nin full\nType: DEBIT_CARD\nBalance: 1.00\n2.00\nCategory: Travel');
  });

  it('gives what replacing every time gave, for any memo and extras', () => {
    fc.assert(
      fc.property(
        fc.option(messyText, { nil: null }),
        fc.array(fc.record({ label: messyText, value: messyText }), { maxLength: 4 }),
        fc.array(messyText, { maxLength: 2 }),
        (memo, extras, added) => {
          expect(buildNotes(memo, extras, added)).toBe(buildNotesByReplacing(memo, extras, added));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
