/**
 * The common shape every statement reader (CSV, OFX/QFX, QIF, CAMT.053, MT940) produces and
 * the statement writer consumes. Readers are pure (they never touch the vault) and lazy:
 * `items()` reads the file again on every call and yields rows one at a time, so a large
 * statement is never held in memory as a whole, and a preview can stop after a few rows.
 */
import type {
  ColumnUse,
  DetectedSetting,
  StatementFormat,
  StatementSkip,
} from '../../../shared/domain/import-result.js';

export type {
  ColumnUse,
  DetectedSetting,
  StatementFormat,
  StatementSkip,
  StatementSkipReason,
} from '../../../shared/domain/import-result.js';

/** One field of the source that is not mapped to a ledger field; kept in the notes. */
export interface StatementExtra {
  /** The column header or tag it came from, e.g. "Saldo", "Reference", "<CHECKNUM>". */
  label: string;
  value: string;
}

export interface StatementSplit {
  /** Category name as the file writes it; null when the split has none. */
  category: string | null;
  amountMinor: number;
  memo: string;
}

/** One transaction read from a statement file, before it is tied to an account. */
export interface StatementRow {
  /** 1-based line where the row starts in the file, for messages. */
  line: number;
  /** Booking date, ISO `YYYY-MM-DD`. */
  date: string;
  /** Signed, in the minor units of `currency` (or of the account when null). */
  amountMinor: number;
  /** ISO 4217 code when the row names its own currency; null: the statement's. */
  currency: string | null;
  payee: string | null;
  memo: string | null;
  /** Category name as the file writes it. */
  category: string | null;
  /** The bank's own id for the row (OFX FITID, CAMT AcctSvcrRef, a mapped id column). */
  externalId: string | null;
  /** Fields of the source row that no ledger field took, in file order. Never dropped. */
  extras: readonly StatementExtra[];
  /**
   * The bank's description text of the row normalised with `descriptionKey()`, built from
   * every descriptive cell whatever field it was mapped to, so the same row read with a
   * different mapping has the same key. Part of the duplicate key when there is no bank id.
   */
  descriptionKey: string;
  /** Splits when the format carries them (QIF `S`/`$` lines); empty otherwise. */
  splits: readonly StatementSplit[];
}

export type StatementItem =
  { kind: 'row'; row: StatementRow } | { kind: 'skip'; skip: StatementSkip };

/** One account's statement inside a file (OFX and CAMT files may hold several). */
export interface ParsedStatement {
  /** The bank's account identifier (OFX ACCTID, IBAN, MT940 :25:), when the file has one. */
  bankAccountId: string | null;
  /** The statement's currency; null when the file does not say (the account's is used). */
  currency: string | null;
  /** Line where the statement starts. */
  line: number;
  /**
   * Rows and skipped lines in file order. Each call starts over. A malformed row throws
   * IMPORT_PARSE_ERROR naming its line (details.line) when it is reached.
   */
  items(): Iterable<StatementItem>;
}

export interface ParsedStatementFile {
  format: StatementFormat;
  statements: readonly ParsedStatement[];
  columns: readonly ColumnUse[];
  settings: readonly DetectedSetting[];
  /** Things the user should know that do not stop the import, e.g. an empty <CURDEF>. */
  warnings: readonly string[];
}
