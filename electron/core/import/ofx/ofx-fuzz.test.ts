import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { ParsedStatementFile } from '../statement.js';
import { readOfxFile } from './read-ofx-file.js';

const KNOWN = new Set([
  'IMPORT_PARSE_ERROR',
  'IMPORT_FORMAT_UNSUPPORTED',
  'IMPORT_NEEDS_CHOICE',
  'IMPORT_BANK_ERROR',
]);

const dir = new URL('../fixtures/ofx/', import.meta.url);
const FIXTURES = [
  ...readdirSync(dir).map((name) => readFileSync(new URL(name, dir)).toString('latin1')),
  readFileSync(new URL('../fixtures/ofx1-checking.ofx', import.meta.url)).toString('latin1'),
  readFileSync(new URL('../fixtures/ofx2-creditcard.ofx', import.meta.url)).toString('latin1'),
];

/** Reads a file to its last row; a failure must be a CofferError with a known code. */
function readAll(read: () => ParsedStatementFile): 'rows' | 'refused' {
  try {
    const file = read();
    for (const statement of file.statements) {
      for (const item of statement.items()) {
        if (item.kind !== 'row') continue;
        expect(Number.isSafeInteger(item.row.amountMinor)).toBe(true);
        expect(item.row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isInteger(item.row.line)).toBe(true);
      }
    }
    return 'rows';
  } catch (err) {
    if (!(err instanceof CofferError) || !KNOWN.has(err.code)) throw err;
    if (err.code === 'IMPORT_PARSE_ERROR') expect(typeof err.details?.line).toBe('number');
    return 'refused';
  }
}

const mutation = fc.record({
  fixture: fc.nat({ max: FIXTURES.length - 1 }),
  kind: fc.constantFrom('truncate', 'drop-tag', 'open-cdata', 'unclose-cdata', 'insert', 'repeat'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  which: fc.nat(),
  text: fc.string({
    unit: fc.constantFrom(
      '<',
      '>',
      '/',
      '&',
      ';',
      '![CDATA[',
      ']]>',
      'STMTTRN',
      'TRNAMT',
      '-',
      '1',
      '.',
      ',',
      'x',
      '\n',
      ' ',
    ),
    maxLength: 20,
  }),
});

function mutate(m: Mutation): string {
  const source = FIXTURES[m.fixture] ?? '';
  const at = Math.floor(m.at * source.length);
  switch (m.kind) {
    case 'truncate':
      return source.slice(0, at);
    case 'drop-tag': {
      const tags = [...source.matchAll(/<[^<>]*>/g)];
      const tag = tags[m.which % Math.max(tags.length, 1)];
      return tag === undefined
        ? source
        : source.slice(0, tag.index) + source.slice(tag.index + tag[0].length);
    }
    case 'open-cdata':
      return `${source.slice(0, at)}<![CDATA[${source.slice(at)}`;
    case 'unclose-cdata':
      return source.replaceAll(']]>', '');
    case 'insert':
      return source.slice(0, at) + m.text + source.slice(at);
    case 'repeat':
      return source.slice(0, at) + source.slice(Math.floor(at / 2));
  }
}

interface Mutation {
  fixture: number;
  kind: 'truncate' | 'drop-tag' | 'open-cdata' | 'unclose-cdata' | 'insert' | 'repeat';
  at: number;
  which: number;
  text: string;
}

describe('readOfxFile under fuzzing', () => {
  it('arbitrary bytes yield rows or a known CofferError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), fc.boolean(), (bytes, header) => {
        const body = Buffer.from(bytes);
        const file = header ? Buffer.concat([Buffer.from('OFXHEADER:100\n\n<OFX>'), body]) : body;
        readAll(() => readOfxFile(file, { accountCurrency: 'USD' }));
      }),
      { seed: 7007, numRuns: 300 },
    );
  });

  it('mutated fixtures (truncated, a tag dropped, CDATA never closed) yield rows or a known CofferError', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(mutation, (m) => {
        outcomes.add(readAll(() => readOfxFile(Buffer.from(mutate(m), 'latin1'))));
      }),
      { seed: 7008, numRuns: 400 },
    );
    // The mutations reach both sides: some files still read, others are refused.
    expect([...outcomes].sort()).toEqual(['refused', 'rows']);
  });

  it('elements nested far deeper than any statement are refused, not a stack overflow', () => {
    const deep = `OFXHEADER:100\n\n<OFX>${'<STMTTRN>'.repeat(100_000)}`;
    const err = (() => {
      try {
        readOfxFile(Buffer.from(deep));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(CofferError);
    expect((err as CofferError).message).toMatch(/nested more than 64 elements deep/);
  });
});
