import * as fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The `@fontsource` Noto Sans SC and KR packages split each font into about a hundred
 * numbered slices of some 50 kB, each covering the code points its `unicode.json` lists (the
 * unicode-ranges of the web fonts). A PDF loads only the slices its text touches, so a name
 * costs a few slices instead of megabytes, and every character of the full font is reachable.
 */
export type CjkPackage = 'noto-sans-sc' | 'noto-sans-kr';

interface Range {
  from: number;
  to: number;
  slice: string;
}

const tables = new Map<CjkPackage, Range[]>();

function parseRanges(unicode: Record<string, string>): Range[] {
  const ranges: Range[] = [];
  for (const [key, list] of Object.entries(unicode)) {
    const slice = /^\[(\d+)\]$/.exec(key)?.[1];
    if (slice === undefined) continue; // named subsets (latin, cyrillic …): Roboto has those
    for (const item of list.split(',')) {
      const [from = '', to] = item.trim().replace(/^U\+/i, '').split('-');
      const start = parseInt(from, 16);
      ranges.push({ from: start, to: to === undefined ? start : parseInt(to, 16), slice });
    }
  }
  return ranges.sort((a, b) => a.from - b.from);
}

function table(pkg: CjkPackage): Range[] {
  let ranges = tables.get(pkg);
  if (ranges === undefined) {
    const require = createRequire(import.meta.url);
    const file = require.resolve(`@fontsource/${pkg}/unicode.json`);
    ranges = parseRanges(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
    tables.set(pkg, ranges);
  }
  return ranges;
}

/** The numbered slice of `pkg` that has this code point, or null when none has it. */
export function cjkSlice(pkg: CjkPackage, codePoint: number): string | null {
  const ranges = table(pkg);
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = ranges[mid];
    if (range === undefined) break;
    if (codePoint < range.from) high = mid - 1;
    else if (codePoint > range.to) low = mid + 1;
    else return range.slice;
  }
  return null;
}

/** The package files of one slice: regular and bold. */
export function cjkSliceFiles(pkg: CjkPackage, slice: string): { regular: string; bold: string } {
  return {
    regular: `@fontsource/${pkg}/files/${pkg}-${slice}-400-normal.woff`,
    bold: `@fontsource/${pkg}/files/${pkg}-${slice}-700-normal.woff`,
  };
}
