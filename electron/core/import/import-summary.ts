export type {
  FlaggedRow,
  ImportSummary,
  RuleUse,
  StatementImportSummary,
} from '../../../shared/domain/import-result.js';

/** Lists in a summary stop here; the counts beside them stay exact. */
export const MAX_LISTED = 200;
