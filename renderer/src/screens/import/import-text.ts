import type { DetectedSetting, ImportSummary } from '../../../../shared/domain/import-result.js';

const SOURCE_TEXT: Record<DetectedSetting['source'], string> = {
  detected: 'detected from the file',
  flag: 'chosen by you',
  profile: 'from the profile saved for this bank’s layout',
  file: 'stated in the file',
};

export function settingSource(setting: DetectedSetting): string {
  return SOURCE_TEXT[setting.source];
}

/** What overrides a setting: on this screen, and the CLI flag that does the same. */
export function settingOverride(setting: DetectedSetting): string {
  if (setting.flag === undefined) return '—';
  const here =
    setting.flag === '--map'
      ? 'the column mapping below, or '
      : setting.override !== undefined
        ? '“How to read the file” below, or '
        : '';
  return `${here}${setting.flag}`;
}

const REASON_TEXT: Record<string, string> = {
  pending: 'pending (not booked yet)',
  summary: 'a summary or total line',
  'repeated-header': 'a repeated header',
  preamble: 'text before the table',
  empty: 'empty',
  'not-a-transaction': 'not a transaction',
  'other-currency': 'in another currency',
};

export function skipReason(reason: string): string {
  return REASON_TEXT[reason] ?? reason;
}

export function skippedByReason(summary: ImportSummary): string[] {
  return Object.entries(summary.skippedLines.byReason).map(
    ([reason, count]) => `${count ?? 0} ${skipReason(reason)}`,
  );
}
