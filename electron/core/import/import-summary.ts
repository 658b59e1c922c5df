import type {
  ColumnUse,
  DetectedSetting,
  StatementFormat,
  StatementSkip,
  StatementSkipReason,
} from './statement.js';

/** Lists in a summary stop here; the counts beside them stay exact. */
export const MAX_LISTED = 200;

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
  /** Label stored on every transaction this import created (`<format>:<fileSha256>`). */
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
