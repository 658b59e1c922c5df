import type { ImportPreview, ImportStatementFileResult } from '../../core/import/index.js';
import { showMoney } from '../amounts.js';

/** Text for people: what an import did, or (dry run) would do, naming every choice made. */

function settingLines(result: ImportStatementFileResult): string[] {
  if (result.settings.length === 0) return [];
  return [
    'Settings:',
    ...result.settings.map((s) => {
      const how = s.source === 'flag' ? `from ${s.flag ?? 'a flag'}` : s.source;
      const override =
        s.source !== 'flag' && s.flag !== undefined ? `; override with ${s.flag}` : '';
      return `  ${s.name}: ${s.value} (${how}${override})`;
    }),
  ];
}

function columnLines(result: ImportStatementFileResult): string[] {
  if (result.columns.length === 0) return [];
  return ['Columns:', ...result.columns.map((c) => `  ${c.column} → ${c.field}`)];
}

function skippedLines(result: ImportStatementFileResult, verb: string): string[] {
  const out: string[] = [];
  const { skippedLines: skips } = result;
  if (skips.total > 0) {
    const reasons = Object.entries(skips.byReason).map(([reason, n]) => {
      const lines = skips.lines.filter((l) => l.reason === reason).map((l) => l.line);
      return `${n} ${reason} (line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? ', …' : ''})`;
    });
    out.push(`Lines ${verb} skipped: ${reasons.join('; ')}`);
  }
  return out;
}

function extraLines(result: ImportStatementFileResult, would: boolean): string[] {
  const out: string[] = [];
  const w = (yes: string, no: string) => (would ? yes : no);
  if (result.flagged.length > 0) {
    out.push(`${w('Would be flagged', 'Flagged')} for review (possible duplicates):`);
    for (const f of result.flagged.slice(0, 20)) out.push(`  line ${f.line}: ${f.detail}`);
  }
  if (result.categoriesCreated.length > 0) {
    out.push(`Categories ${w('to create', 'created')}: ${result.categoriesCreated.join(', ')}`);
  }
  if (result.categoriesLeft.length > 0) {
    out.push(
      `Unknown categories ${w('would be left', 'left')} uncategorised (named in the notes; --create-categories creates them): ${result.categoriesLeft.join(', ')}`,
    );
  }
  for (const rule of result.rulesApplied) out.push(`Rule ${rule.description}: ${rule.rows} row(s)`);
  for (const warning of result.warnings) out.push(`Warning: ${warning}`);
  return out;
}

function counts(result: ImportStatementFileResult): string {
  const into = result.statements.map((s) => s.accountName).join(', ');
  return `${result.created} of ${result.rows} row(s) into ${into === '' ? '(no statement)' : into}; ${result.skippedAsImported} already imported; ${result.flaggedForReview} flagged for review`;
}

export function importText(result: ImportStatementFileResult): string {
  const lines = [
    `Imported ${counts(result)}.`,
    ...columnLines(result),
    ...skippedLines(result, 'were'),
    ...extraLines(result, false),
  ];
  if (result.flaggedForReview > 0) lines.push('Check them with: coffer review list');
  return lines.join('\n');
}

export function previewText(preview: ImportPreview): string {
  const rows = preview.firstRows.map((r) => {
    const category = r.category === null ? '' : `  [${r.category}]`;
    const head = `  line ${r.line}  ${r.date}  ${showMoney(r.amountMinor, r.currency)}  ${r.payee ?? '(no payee)'}${category}  ${r.outcome.replace('_', ' ')}`;
    const notes = r.notes === '' ? [] : [`      notes: ${r.notes.replace(/\n/g, ' | ')}`];
    const splits = r.splits.map(
      (s) => `      split: ${s.category} ${showMoney(s.amountMinor, r.currency)} ${s.memo}`,
    );
    return [head, ...notes, ...splits].join('\n');
  });
  const already =
    preview.alreadyImported.length === 0
      ? []
      : [
          `Already imported, would be skipped: lines ${preview.alreadyImported
            .slice(0, 20)
            .map((r) => r.line)
            .join(', ')}${preview.skippedAsImported > 20 ? ', …' : ''}`,
        ];
  return [
    'Dry run: nothing was written.',
    ...settingLines(preview),
    ...columnLines(preview),
    `First ${preview.firstRows.length} row(s) as they would be stored:`,
    ...rows,
    ...already,
    ...skippedLines(preview, 'would be'),
    ...extraLines(preview, true),
    `Would import ${counts(preview)}.`,
  ].join('\n');
}
