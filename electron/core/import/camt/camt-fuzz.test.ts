import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { ParsedStatementFile } from '../statement.js';
import { readCamt053File } from './read-camt053.js';
import { XmlScanner } from './xml-scanner.js';

const FIXTURES = [
  'de-bank-camt053-001-02.xml',
  'ch-bank-camt053-001-08.xml',
  'fr-bank-camt053-001-02.xml',
  'two-accounts-camt053-001-04.xml',
].map((name) => readFileSync(new URL(`../fixtures/camt/${name}`, import.meta.url), 'utf8'));

/** Reads a file to its last row; the only failure allowed is a CofferError. */
function readAll(bytes: Buffer): ParsedStatementFile | CofferError {
  try {
    const file = readCamt053File(bytes);
    for (const statement of file.statements) for (const _item of statement.items()) void _item;
    return file;
  } catch (err) {
    if (err instanceof CofferError) return err;
    throw err;
  }
}

const BOMB =
  '<!DOCTYPE Document [\n' +
  '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n' +
  Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${'&a;'.repeat(10)}">\n`,
  ).join('') +
  ']>\n';

/** Ways a download goes wrong or a hostile file is shaped; each keeps the rest of the text. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop-tag' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop-close' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('doctype' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('garble' as const),
    at: fc.nat(),
    text: fc.string({ maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.nat({ max: 400 }) }),
);

function mutate(text: string, m: MutationValue): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'drop-tag':
    case 'drop-close': {
      const start = text.indexOf(m.kind === 'drop-tag' ? '<' : '</', at);
      if (start === -1) return text;
      return text.slice(0, start) + text.slice(text.indexOf('>', start) + 1);
    }
    case 'doctype': {
      // At a line start: never inside a CDATA section, where it would be plain text.
      const line = text.indexOf('\n', at);
      return line === -1 ? text + BOMB : text.slice(0, line + 1) + BOMB + text.slice(line + 1);
    }
    case 'garble':
      return text.slice(0, at) + m.text + text.slice(at + m.text.length);
    case 'repeat':
      return text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
  }
}

type MutationValue = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

describe('readCamt053File: fuzzed input', () => {
  it('random bytes give a CofferError or statements, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        readAll(Buffer.from(bytes));
      }),
      { seed: 7053, numRuns: 300 },
    );
  });

  it('random XML-like text never escapes as another error', () => {
    const piece = fc.constantFrom(
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">',
      '<BkToCstmrStmt>',
      '<Stmt>',
      '<Ntry>',
      '</Ntry>',
      '</Stmt>',
      '<Amt Ccy="EUR">',
      '</Amt>',
      '<![CDATA[',
      ']]>',
      '&amp;',
      '&#x41;',
      '&',
      '<',
      '>',
      '"',
      '<!--',
      '-->',
      '<?xml version="1.0"?>',
      '1.00',
      '\n',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 60 }),
        (parts) => {
          readAll(Buffer.from(parts.join(''), 'utf8'));
        },
      ),
      { seed: 70531, numRuns: 400 },
    );
  });

  it('mutated fixtures (truncated, tags dropped, unclosed elements, DOCTYPE, garbled) fail only as CofferErrors', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (index, mutations) => {
          let text = FIXTURES[index] as string;
          for (const m of mutations) text = mutate(text, m);
          const result = readAll(Buffer.from(text, 'utf8'));
          if (mutations.some((m) => m.kind === 'doctype')) {
            expect(result).toBeInstanceOf(CofferError);
          }
          if (result instanceof CofferError) expect(result.message).toMatch(/^line \d+: /);
        },
      ),
      { seed: 70532, numRuns: 300 },
    );
  });

  it('refuses an entity-expansion bomb at its DOCTYPE, without reading past it', () => {
    const body = FIXTURES[0] as string;
    const bomb = body.replace('<Document ', `${BOMB}<Document `);
    const err = readAll(Buffer.from(bomb, 'utf8'));
    expect(err).toBeInstanceOf(CofferError);
    expect((err as CofferError).code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    expect((err as CofferError).details).toEqual({ line: 2 });

    // The scanner stops where the declaration starts: no entity is defined, let alone expanded.
    const scanner = new XmlScanner(bomb);
    expect(() => {
      for (;;) if (scanner.next() === null) break;
    }).toThrow(CofferError);
    expect(scanner.offset).toBeLessThanOrEqual(bomb.indexOf('<!DOCTYPE'));
  });
});
