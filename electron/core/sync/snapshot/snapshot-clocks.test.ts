import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_HLC_COUNTER, MAX_HLC_WALL_MS } from '../../../../shared/hlc/hlc.js';
import type { DeviceRefLookup } from '../field-clocks.js';
import { SnapshotClocks } from './snapshot-clocks.js';

/**
 * SnapshotClocks.localize reads a group whose tail (device and fields) it has seen by its
 * digits alone. Whatever the groups, it must store, refuse and remember the newest HLC
 * exactly as checking every group against the whole pattern does: the pattern is kept here
 * as the reference.
 */
const WRITER = '01a24dbc-62c0-7a95-b860-0eb854a2eb30';
const OTHER = '01a24dbc-6a27-761e-8e19-60e0febbe70f';
const refs: DeviceRefLookup = {
  refOf: (device) => (device === WRITER ? 1 : undefined),
  deviceOf: () => WRITER,
};

const GROUP =
  /^([0-9a-z]{1,10})\.([0-9a-z]{1,4})\.([0-9A-Za-z_-]{1,64})(=[0-9a-z]{1,8}|(?: [A-Za-z][A-Za-z0-9_]{0,63})+)$/;
const KNOWN_CODES = new Set(['t1']);

/** Every group checked against the whole pattern, as localize did before it kept tails. */
function reference(text: string): string {
  return text
    .split(';')
    .map((group) => {
      const match = GROUP.exec(group);
      if (match === null) throw new Error('unreadable');
      const [, wall, counter, device, rest] = match as unknown as string[];
      if (parseInt(wall!, 36) > MAX_HLC_WALL_MS || parseInt(counter!, 36) > MAX_HLC_COUNTER) {
        throw new Error('unreadable');
      }
      if (rest!.startsWith('=') && !KNOWN_CODES.has(rest!.slice(1))) throw new Error('unreadable');
      return `${wall!}.${counter!}.${device === WRITER ? '~1' : device!}${rest!}`;
    })
    .join(';');
}

function outcome(run: () => string): string {
  try {
    return run();
  } catch {
    return 'refused';
  }
}

const digits = (max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefzA-'), minLength: 0, maxLength: max });
const validDigits = (max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789az'), minLength: 1, maxLength: max });
/** Groups a writer emits: most tails repeat, as in a real snapshot. */
const validGroup = fc
  .record({
    wall: validDigits(9),
    counter: validDigits(4),
    device: fc.constantFrom(WRITER, OTHER),
    rest: fc.constantFrom('=t1', ' notes'),
  })
  .map(({ wall, counter, device, rest }) => `${wall}.${counter}.${device}${rest}`);
const anyGroup = fc
  .record({
    // The largest wall and counter an HLC holds, and one more: the bounds are where a reader
    // that checks digits alone would go wrong.
    wall: fc.oneof(digits(11), fc.constantFrom('mxchkbvm', '9ugxnorjlr', '9ugxnorjls')),
    counter: fc.oneof(digits(5), fc.constantFrom('lflr', 'lfls')),
    device: fc.constantFrom(WRITER, OTHER, 'x', '', 'a.b', '~1'),
    rest: fc.constantFrom('=t1', '=t9', '=T1', ' notes', ' date amountMinor', '', ' 9x', '=t1;'),
    dots: fc.constantFrom('..', '.', '...'),
  })
  .map(({ wall, counter, device, rest, dots }) =>
    dots === '..'
      ? `${wall}.${counter}.${device}${rest}`
      : `${wall}${dots}${counter}${device}${rest}`,
  );
const group = fc.oneof({ weight: 6, arbitrary: validGroup }, { weight: 1, arbitrary: anyGroup });

describe('SnapshotClocks.localize', () => {
  it('refuses a group whose tail it knows when its digits are not what a writer writes', () => {
    for (const bad of [
      'MXCHK.0',
      'mx-hk.0',
      'mxchk.0A',
      'mxchk.',
      '.0',
      'mxchkbvm0a.0',
      'mxchk.00000',
    ]) {
      const clocks = new SnapshotClocks(refs);
      expect(clocks.localize(`mxchkbvm.0.${WRITER}=t1`, 'r1')).toBe('mxchkbvm.0.~1=t1');
      expect(() => clocks.localize(`${bad}.${WRITER}=t1`, 'r2')).toThrow(/record r2/);
    }
  });

  it('stores, refuses and keeps the newest HLC as checking every group in full does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(group, { minLength: 1, maxLength: 3 }), { maxLength: 30 }),
        (texts) => {
          const clocks = new SnapshotClocks(refs);
          let newest: [number, number, string] | null = null;
          for (const groups of texts) {
            const text = groups.join(';');
            const expected = outcome(() => reference(text));
            expect(outcome(() => clocks.localize(text, 'r1'))).toBe(expected);
            // A refused text refuses the whole snapshot: nothing after it is read.
            if (expected === 'refused') return;
            for (const g of groups) {
              const [wall, counter, tail] = g.split('.') as [string, string, string];
              const hlc: [number, number, string] = [
                parseInt(wall, 36),
                parseInt(counter, 36),
                /^[^= ]+/.exec(tail)![0],
              ];
              const later =
                newest === null ||
                hlc[0] > newest[0] ||
                (hlc[0] === newest[0] &&
                  (hlc[1] > newest[1] || (hlc[1] === newest[1] && hlc[2] > newest[2])));
              if (later) newest = hlc;
            }
          }
          expect(clocks.newest()).toBe(
            newest === null
              ? null
              : `${String(newest[0]).padStart(15, '0')}:${String(newest[1]).padStart(6, '0')}:${newest[2]}`,
          );
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
