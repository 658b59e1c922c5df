import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { readMt940File } from './read-mt940.js';

const FIXTURES = ['de-sparkasse.sta', 'nl-ing.940', 'at-erste.mt940', 'swift-wrapped.mt940'].map(
  (name) => readFileSync(new URL(`../fixtures/mt940/${name}`, import.meta.url), 'utf8'),
);

/** Reads a file to its last row; the only failure allowed is a CofferError naming a line. */
function readAll(text: string): void {
  try {
    const file = readMt940File(text);
    for (const statement of file.statements) for (const _item of statement.items()) void _item;
  } catch (err) {
    if (!(err instanceof CofferError)) throw err;
    // A plain check: expect() per run costs more than the reading being fuzzed.
    if (!/^line \d+: /.test(err.message)) throw new Error(`no line in "${err.message}"`);
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat-line' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('garble' as const),
    at: fc.nat(),
    text: fc.string({ maxLength: 6 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const next = text.indexOf('\n', at);
  const end = next === -1 ? text.length : next + 1;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'drop-line':
      return text.slice(0, start) + text.slice(end);
    case 'repeat-line':
      return text.slice(0, end) + text.slice(start, end) + text.slice(end);
    case 'garble':
      return text.slice(0, at) + m.text + text.slice(at + m.text.length);
  }
}

/** ASCII, plus what MT940 text is made of and what breaks naive readers: separators, BOM, ä, €. */
const character = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    ':',
    '?',
    '/',
    '\n',
    '\r',
    '-',
    '{',
    '}',
    'ä',
    '€',
    '\u2028',
    '\ufeff',
    '\ud83d\ude00',
  ),
);

describe('readMt940File: fuzzed input', () => {
  it('random text never escapes as another error', () => {
    fc.assert(fc.property(fc.string({ unit: character, maxLength: 500 }), readAll), {
      seed: 940,
      numRuns: 300,
    });
  });

  it('random field-shaped lines never escape as another error', () => {
    const tag = fc.constantFrom(
      ':20:',
      ':25:',
      ':28C:',
      ':60F:',
      ':61:',
      ':86:',
      ':62F:',
      '-',
      '{4:',
      '-}',
      '',
    );
    const body = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'C240101EUR1,00',
        '2401010101D1,00NTRFNONREF//X',
        '166?00X?20Y?32Z',
        '/NAME/A/REMI/B',
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(tag, body), { maxLength: 30 }), (lines) => {
        readAll(lines.map(([t, b]) => t + b).join('\n'));
      }),
      { seed: 9401, numRuns: 400 },
    );
  });

  it('mutated fixtures (truncated, lines dropped or repeated, garbled) fail only as CofferErrors', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (index, mutations) => {
          let text = FIXTURES[index] as string;
          for (const m of mutations) text = mutate(text, m);
          readAll(text);
        },
      ),
      { seed: 9402, numRuns: 300 },
    );
  });
});
