/**
 * What a statement import reports (or, as a preview, would do): the shapes the CLI's
 * `--json`, the app's import screen and scripts read. They live in shared/ because a
 * window receives them as plain JSON; the core builds them (electron/core/import).
 */
import type { STATEMENT_FORMATS } from './import.schema.js';

export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export type StatementSkipReason =
  | 'pending'
  | 'summary'
  | 'repeated-header'
  | 'preamble'
  | 'empty'
  | 'not-a-transaction'
  /** A row in another currency than the one asked for (`--only-currency`). */
  | 'other-currency';

/** A line the reader chose not to import, and why; the summary counts and lists these. */
export interface StatementSkip {
  line: number;
  reason: StatementSkipReason;
  /** The skipped text, shortened for display. */
  text: string;
}

/** How one source column or tag was used, for the dry run and the import summary. */
export interface ColumnUse {
  column: string;
  /** A ledger field ('date', 'amount', 'payee', …) or 'notes' for a kept extra. */
  field: string;
}

/** A guess the reader made, and where it came from, so every guess can be shown and overridden. */
export interface DetectedSetting {
  /** e.g. 'date format', 'decimal separator', 'sign rule', 'delimiter', 'encoding'. */
  name: string;
  value: string;
  source: 'detected' | 'flag' | 'profile' | 'file';
  /** The CLI flag that overrides it, e.g. '--date-format'. */
  flag?: string;
  /**
   * How a window overrides it: the reader option the flag sets, its value now (as the
   * option takes it: a tab is '\t'), and every value it can take. Only for a setting that is
   * one value of a short list.
   */
  override?: SettingOverride;
}

export interface SettingOverride {
  option: string;
  value: string;
  choices: string[];
}

export interface FlaggedRow {
  line: number;
  transactionId: string;
  relatedTransactionId: string;
  detail: string;
}

export interface StatementImportSummary {
  /** Line where the statement starts in the file. */
  line: number;
  bankAccountId: string | null;
  accountId: string;
  accountName: string;
  rows: number;
  created: number;
  skippedAsImported: number;
  flaggedForReview: number;
}

export interface RuleUse {
  ruleId: string;
  description: string;
  rows: number;
}

/** What an import did (or, in a preview, would do), for the CLI, the app and scripts. */
export interface ImportSummary {
  format: StatementFormat;
  fileSha256: string;
  /**
   * Label stored on every transaction this import created: `<format>:` and the first 16 hex
   * digits of `fileSha256`.
   */
  importBatch: string;
  /** Transaction rows read from the file. */
  rows: number;
  created: number;
  /** Rows the account already held (same bank id or content key). */
  skippedAsImported: number;
  /** Rows written and flagged: they look like a transaction from elsewhere. */
  flaggedForReview: number;
  flagged: FlaggedRow[];
  /** Lines the reader did not import, counted by reason, the first ones listed. */
  skippedLines: {
    total: number;
    byReason: Partial<Record<StatementSkipReason, number>>;
    lines: StatementSkip[];
  };
  columns: ColumnUse[];
  settings: DetectedSetting[];
  warnings: string[];
  categoriesCreated: string[];
  /** Names no category has; their rows are uncategorised with "Category: <name>" in the notes. */
  categoriesLeft: string[];
  rulesApplied: RuleUse[];
  statements: StatementImportSummary[];
}

export interface ImportStatementFileResult extends ImportSummary {
  dryRun: boolean;
  /** The profile saved (CSV) for this file's header signature, if any. */
  profile: { id: string; signature: string } | null;
  /** Bank account ids this import bound to accounts. */
  remembered: { bankAccountId: string; accountId: string }[];
}

/** One row exactly as the import would store it (read back from the rolled-back write). */
export interface PreviewRow {
  line: number;
  /** new: would be added; already_imported: the account holds it; flagged: added and flagged. */
  outcome: 'new' | 'already_imported' | 'flagged';
  date: string;
  amountMinor: number;
  currency: string;
  /** After payee rules. */
  payee: string | null;
  /** Category name (after rules); null: uncategorised. */
  category: string | null;
  notes: string;
  importId: string | null;
  importKey: string | null;
  splits: { category: string; amountMinor: number; memo: string }[];
  review: { relatedTransactionId: string; detail: string } | null;
}

export interface ImportPreview extends ImportStatementFileResult {
  firstRows: PreviewRow[];
  /** Rows the account already holds, the first ones listed (the count is `skippedAsImported`). */
  alreadyImported: { line: number; date: string; amountMinor: number; payee: string | null }[];
}
