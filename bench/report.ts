/**
 * The benchmark report: rows in the shape other tools read from `bench/results.json`,
 * a printable table, and the target check. Sections (vault now, server later) add their
 * rows through `addRows`, so a new section needs no change here.
 */

export const PLAIN_BASELINE = 'plain better-sqlite3';
export const JOURNEYAPPS_BASELINE = '@journeyapps/sqlcipher';
/** Baseline label of a row that is judged against an absolute time, not another engine. */
export const ABSOLUTE_BASELINE = 'absolute target';

/**
 * A ratio target (`ours / baseline` must not exceed it), an absolute time budget in
 * milliseconds (written as "300 ms"), or "informational" (shown, never judged).
 */
export type Target = number | `${number} ms` | 'informational';

export interface BenchRow {
  section: string;
  name: string;
  ours_ms: number;
  baseline: string;
  baseline_ms: number;
  /** ours_ms / baseline_ms, rounded to 3 decimals. */
  ratio: number;
  target: Target;
  /** Whether the row meets its target; null for informational rows. */
  met: boolean | null;
  /** What each side did, so a reader can check the comparison is like for like. */
  notes?: string;
}

/** What a section hands in: the report fills in section, ratio and met. */
export interface RowInput {
  name: string;
  ours_ms: number;
  baseline: string;
  baseline_ms: number;
  target: Target;
  notes?: string;
}

export interface Machine {
  cpus: number;
  model: string;
  memGiB: number;
  node: string;
  platform: string;
  date: string;
}

/** A row a section could not measure (what it needs is not in the app yet), and why. */
export interface SkippedRow {
  section: string;
  name: string;
  reason: string;
}

export interface BenchResults {
  machine: Machine;
  rows: BenchRow[];
  /** Present only when some row was skipped. */
  skipped?: SkippedRow[];
}

export function ratioOf(oursMs: number, baselineMs: number): number {
  if (!(baselineMs > 0) || !Number.isFinite(oursMs)) {
    throw new RangeError(`cannot take a ratio of ${oursMs} ms over ${baselineMs} ms`);
  }
  return round(oursMs / baselineMs, 3);
}

/** Parses an absolute target such as "300 ms"; null when the target is not absolute. */
export function absoluteTargetMs(target: Target): number | null {
  if (typeof target !== 'string') return null;
  const match = /^(\d+(?:\.\d+)?) ms$/.exec(target);
  return match ? Number(match[1]) : null;
}

export function isTargetMet(row: Pick<BenchRow, 'ours_ms' | 'ratio' | 'target'>): boolean | null {
  if (typeof row.target === 'number') return row.ratio <= row.target;
  const limitMs = absoluteTargetMs(row.target);
  if (limitMs !== null) return row.ours_ms <= limitMs;
  return null;
}

/** A row judged by ours_ms alone; baseline_ms is the budget so the ratio reads "share of budget". */
export function absoluteRow(
  name: string,
  oursMs: number,
  limitMs: number,
  notes?: string,
): RowInput {
  const row: RowInput = {
    name,
    ours_ms: oursMs,
    baseline: ABSOLUTE_BASELINE,
    baseline_ms: limitMs,
    target: `${limitMs} ms`,
  };
  if (notes !== undefined) row.notes = notes;
  return row;
}

export class BenchReport {
  private readonly collected: BenchRow[] = [];
  private readonly skippedRows: SkippedRow[] = [];

  constructor(readonly machine: Machine) {}

  addRows(section: string, rows: readonly RowInput[]): void {
    for (const input of rows) {
      const oursMs = round(input.ours_ms, 3);
      const baselineMs = round(input.baseline_ms, 3);
      const ratio = ratioOf(oursMs, baselineMs);
      const row: BenchRow = {
        section,
        name: input.name,
        ours_ms: oursMs,
        baseline: input.baseline,
        baseline_ms: baselineMs,
        ratio,
        target: input.target,
        met: isTargetMet({ ours_ms: oursMs, ratio, target: input.target }),
      };
      if (input.notes !== undefined) row.notes = input.notes;
      this.collected.push(row);
    }
  }

  get rows(): readonly BenchRow[] {
    return this.collected;
  }

  addSkipped(section: string, skipped: readonly Omit<SkippedRow, 'section'>[]): void {
    for (const { name, reason } of skipped) this.skippedRows.push({ section, name, reason });
  }

  get skipped(): readonly SkippedRow[] {
    return this.skippedRows;
  }

  /** Rows with a target that they miss. */
  misses(): BenchRow[] {
    return this.collected.filter((row) => row.met === false);
  }

  toJSON(): BenchResults {
    const results: BenchResults = { machine: this.machine, rows: [...this.collected] };
    if (this.skippedRows.length > 0) results.skipped = [...this.skippedRows];
    return results;
  }
}

export function formatTarget(target: Target): string {
  return typeof target === 'number' ? `≤ ${target}` : target;
}

export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

function verdict(met: boolean | null): string {
  if (met === null) return '';
  return met ? 'ok' : 'MISS';
}

/** A fixed-width text table, one line per row, grouped by section in insertion order. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = [
    'section',
    'measurement',
    'ours ms',
    'baseline',
    'baseline ms',
    'ratio',
    'target',
    '',
  ];
  const body = rows.map((row) => [
    row.section,
    row.name,
    formatMs(row.ours_ms),
    row.baseline,
    formatMs(row.baseline_ms),
    row.ratio.toFixed(3),
    formatTarget(row.target),
    verdict(row.met),
  ]);
  const numeric = new Set([2, 4, 5]);
  const widths = header.map((title, col) =>
    Math.max(title.length, ...body.map((cells) => (cells[col] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => {
        const width = widths[col] ?? 0;
        return numeric.has(col) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n') + '\n';
}

/** One line per skipped row, for under the table; empty when none was skipped. */
export function formatSkipped(skipped: readonly SkippedRow[]): string {
  return skipped.map((row) => `skipped: ${row.section} / ${row.name}: ${row.reason}\n`).join('');
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
