import { describe, expect, it } from 'vitest';
import {
  ABSOLUTE_BASELINE,
  BenchReport,
  JOURNEYAPPS_BASELINE,
  PLAIN_BASELINE,
  absoluteRow,
  absoluteTargetMs,
  formatMs,
  formatSkipped,
  formatTable,
  isTargetMet,
  ratioOf,
} from './report.js';
import { TEST_MACHINE } from './testing/test-machine.js';

const machine = TEST_MACHINE;

describe('ratioOf', () => {
  it('is ours over baseline, rounded to three decimals', () => {
    expect(ratioOf(115, 100)).toBe(1.15);
    expect(ratioOf(1, 3)).toBe(0.333);
    expect(ratioOf(2, 3)).toBe(0.667);
  });

  it('refuses a zero or negative baseline', () => {
    expect(() => ratioOf(1, 0)).toThrow(RangeError);
    expect(() => ratioOf(1, -1)).toThrow(RangeError);
  });
});

describe('targets', () => {
  it('a ratio target is met up to and including the limit', () => {
    expect(isTargetMet({ ours_ms: 115, ratio: 1.15, target: 1.15 })).toBe(true);
    expect(isTargetMet({ ours_ms: 116, ratio: 1.16, target: 1.15 })).toBe(false);
  });

  it('an absolute target judges ours_ms alone', () => {
    expect(absoluteTargetMs('300 ms')).toBe(300);
    expect(absoluteTargetMs('informational')).toBeNull();
    expect(absoluteTargetMs(1.15)).toBeNull();
    expect(isTargetMet({ ours_ms: 299.9, ratio: 5, target: '300 ms' })).toBe(true);
    expect(isTargetMet({ ours_ms: 300.1, ratio: 0.1, target: '300 ms' })).toBe(false);
  });

  it('an informational row is never judged', () => {
    expect(isTargetMet({ ours_ms: 1e9, ratio: 1e9, target: 'informational' })).toBeNull();
  });
});

describe('BenchReport', () => {
  it('writes the results.json shape tools read, one row per measurement and baseline', () => {
    const report = new BenchReport(machine);
    report.addRows('vault', [
      {
        name: 'insert',
        ours_ms: 110.12345,
        baseline: PLAIN_BASELINE,
        baseline_ms: 100,
        target: 1.15,
      },
      {
        name: 'insert',
        ours_ms: 110.12345,
        baseline: JOURNEYAPPS_BASELINE,
        baseline_ms: 4000,
        target: 1,
        notes: 'awaited',
      },
      absoluteRow('open', 120, 300),
    ]);
    const json = JSON.parse(JSON.stringify(report)) as ReturnType<BenchReport['toJSON']>;
    expect(json.machine).toEqual(machine);
    expect(json.rows).toEqual([
      {
        section: 'vault',
        name: 'insert',
        ours_ms: 110.123,
        baseline: PLAIN_BASELINE,
        baseline_ms: 100,
        ratio: 1.101,
        target: 1.15,
        met: true,
      },
      {
        section: 'vault',
        name: 'insert',
        ours_ms: 110.123,
        baseline: JOURNEYAPPS_BASELINE,
        baseline_ms: 4000,
        ratio: 0.028,
        target: 1,
        met: true,
        notes: 'awaited',
      },
      {
        section: 'vault',
        name: 'open',
        ours_ms: 120,
        baseline: ABSOLUTE_BASELINE,
        baseline_ms: 300,
        ratio: 0.4,
        target: '300 ms',
        met: true,
      },
    ]);
  });

  it('lets a later section add rows after an earlier one, and lists the misses', () => {
    const report = new BenchReport(machine);
    report.addRows('vault', [
      { name: 'a', ours_ms: 2, baseline: PLAIN_BASELINE, baseline_ms: 1, target: 1.15 },
    ]);
    report.addRows('server', [
      { name: 'b', ours_ms: 1, baseline: 'other', baseline_ms: 1, target: 'informational' },
    ]);
    expect(report.rows.map((r) => `${r.section}/${r.name}`)).toEqual(['vault/a', 'server/b']);
    expect(report.misses().map((r) => r.name)).toEqual(['a']);
    expect(report.rows[1]?.met).toBeNull();
  });

  it('lists skipped rows with their reason, in the JSON only when there are any', () => {
    const report = new BenchReport(machine);
    report.addRows('ui', [
      { name: 'a', ours_ms: 1, baseline: 'other', baseline_ms: 1, target: 'informational' },
    ]);
    expect(report.toJSON()).not.toHaveProperty('skipped');
    expect(formatSkipped(report.skipped)).toBe('');
    report.addSkipped('ui', [{ name: 'scroll', reason: 'no ledger screen yet' }]);
    expect(report.toJSON().skipped).toEqual([
      { section: 'ui', name: 'scroll', reason: 'no ledger screen yet' },
    ]);
    expect(report.rows).toHaveLength(1);
    expect(report.misses()).toEqual([]);
    expect(formatSkipped(report.skipped)).toBe('skipped: ui / scroll: no ledger screen yet\n');
  });
});

describe('formatTable', () => {
  it('prints a header, a rule and one aligned line per row with the verdict', () => {
    const report = new BenchReport(machine);
    report.addRows('vault', [
      { name: 'short', ours_ms: 1234.4, baseline: PLAIN_BASELINE, baseline_ms: 1000, target: 1.15 },
      {
        name: 'a longer name',
        ours_ms: 5.5,
        baseline: JOURNEYAPPS_BASELINE,
        baseline_ms: 55,
        target: 1,
      },
    ]);
    const lines = formatTable(report.rows).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^section\s+measurement\s+ours ms\s+baseline\s+baseline ms\s+ratio\s+target$/,
    );
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    expect(lines[2]).toMatch(
      /short\s+1234\s+plain better-sqlite3\s+1000\s+1\.234\s+≤ 1\.15\s+MISS$/,
    );
    expect(lines[3]).toMatch(
      /a longer name\s+5\.50\s+@journeyapps\/sqlcipher\s+55\.0\s+0\.100\s+≤ 1\s+ok$/,
    );
    // Columns line up: every "ratio" cell ends at the same offset.
    const ratioEnd = (line: string, ratio: string): number => line.indexOf(ratio) + ratio.length;
    expect(ratioEnd(lines[2] ?? '', '1.234')).toBe(ratioEnd(lines[3] ?? '', '0.100'));
  });

  it('formats milliseconds with fewer decimals as they grow', () => {
    expect(formatMs(1.234)).toBe('1.23');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(1234.5)).toBe('1235');
  });
});
