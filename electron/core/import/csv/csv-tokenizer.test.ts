import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv-tokenizer.js';

const all = (chunks: Iterable<string>, delimiter = ',') => [...csvRecords(chunks, delimiter)];

describe('csvRecords', () => {
  it('reads quoted delimiters, doubled quotes and line breaks, with start lines', () => {
    const text = 'a,"b,c","say ""x"""\r\n\r\n1,"two\nlines",3\n"last\r\nrow",,\n';
    expect(all([text])).toEqual([
      { line: 1, cells: ['a', 'b,c', 'say "x"'] },
      { line: 3, cells: ['1', 'two\nlines', '3'] },
      { line: 5, cells: ['last\nrow', '', ''] },
    ]);
  });

  it('keeps a stray quote inside an unquoted field, and reads a file without a final newline', () => {
    expect(all(['12" pipe,5\nx;y,"q"'])).toEqual([
      { line: 1, cells: ['12" pipe', '5'] },
      { line: 2, cells: ['x;y', 'q'] },
    ]);
    expect(all(['a\tb\rc\td'], '\t')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', 'd'] },
    ]);
  });

  it('reads a spreadsheet text cell ="…" as its text, and keeps any other "="', () => {
    expect(all(['="2024-01-05",="Smith, John",-4.50,=x,a=b,=\n'])).toEqual([
      { line: 1, cells: ['2024-01-05', 'Smith, John', '-4.50', '=x', 'a=b', '='] },
    ]);
    expect(all(['="0', '123",=', '"x"\n', 'y,='])).toEqual([
      { line: 1, cells: ['0123', 'x'] },
      { line: 2, cells: ['y', '='] },
    ]);
  });

  it('reports a quote never closed at the line where it opened', () => {
    expect(() => all(['a,b\n1,"open\n\nstill open\n'])).toThrow(
      expect.objectContaining({ code: 'IMPORT_PARSE_ERROR', details: { line: 2 } }),
    );
  });

  it('gives the same records however the text is cut into pieces', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 .]{0,6}$/),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.constantFrom('"a\r\nb"', '""""', '"x,y"', '', '="x,y"', '=', '=1'),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const file = fc
      .tuple(fc.array(row, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'))
      .map(([rows, eol]) => rows.join(eol) + eol);
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let from = 0;
        for (const p of points) {
          pieces.push(text.slice(from, p));
          from = p;
        }
        pieces.push(text.slice(from));
        expect(all(pieces)).toEqual(all([text]));
      }),
      { seed: 7, numRuns: 400 },
    );
  });
});
