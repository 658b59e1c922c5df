/**
 * Test-only mutations of statement files for the import fuzz properties: what a broken
 * download, a hand edit or a bad disk does to a file.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'flip-byte'; at: number; mask: number };

/** Positions are fractions of the file, so one arbitrary serves files of any size. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1 }) }),
    fc.record({ kind: fc.constant('delete-line' as const), line: fc.double({ min: 0, max: 1 }) }),
    fc.record({
      kind: fc.constant('duplicate-line' as const),
      line: fc.double({ min: 0, max: 1 }),
    }),
    fc.record({
      kind: fc.constant('swap-lines' as const),
      a: fc.double({ min: 0, max: 1 }),
      b: fc.double({ min: 0, max: 1 }),
    }),
    fc.record({
      kind: fc.constant('flip-byte' as const),
      at: fc.double({ min: 0, max: 1 }),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  ),
  { minLength: 1, maxLength: 4 },
);

const index = (fraction: number, length: number): number =>
  Math.min(length - 1, Math.max(0, Math.floor(fraction * length)));

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export function mutate(bytes: Buffer, list: readonly Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of list) {
    if (out.length === 0) break;
    if (m.kind === 'truncate') out = out.subarray(0, index(m.at, out.length));
    else if (m.kind === 'flip-byte') {
      out = Buffer.from(out);
      const at = index(m.at, out.length);
      out[at] = (out[at] ?? 0) ^ m.mask;
    } else {
      const lines = splitLines(out);
      if (m.kind === 'delete-line') lines.splice(index(m.line, lines.length), 1);
      else if (m.kind === 'duplicate-line') {
        const at = index(m.line, lines.length);
        lines.splice(at, 0, lines[at] ?? Buffer.alloc(0));
      } else {
        const a = index(m.a, lines.length);
        const b = index(m.b, lines.length);
        [lines[a], lines[b]] = [lines[b] ?? Buffer.alloc(0), lines[a] ?? Buffer.alloc(0)];
      }
      out = Buffer.concat(lines);
    }
  }
  return out;
}
