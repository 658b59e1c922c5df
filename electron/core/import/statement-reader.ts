import type { AccountKind } from '../../../shared/domain/ledger.schema.js';
import type { ParsedStatementFile, StatementFormat } from './statement.js';
import type { TextEncodingName } from './text-decoding.js';
import type { TextSource } from './text-source.js';

/**
 * The file a reader reads. A streaming reader (CSV) takes `text()` and reads it in pieces;
 * the others call `bytes()`, which reads it whole within the import size limit. `file`
 * names it in messages (the bytes may come from memory rather than that path).
 */
export interface StatementInput {
  file: string;
  bytes(): Buffer;
  /** The decoded text, in pieces; the encoding is chosen from the bytes when not given. */
  text(encoding?: TextEncodingName): TextSource;
}

/** What the orchestrator knows before a file is read. */
export interface StatementReaderContext {
  /** Currency of the target account when one was named (CSV reads amounts in its units). */
  currency: string | null;
  /** Kind of the target account when one was named (a card's purchases may be positive). */
  accountKind: AccountKind | null;
  /** The format's own flags (mapping, date format, …), validated by the reader's schema. */
  options: Record<string, unknown>;
  /**
   * The saved reading (profile) for a header signature, or null. A reader with profiles
   * calls it once it knows the file's signature, before it detects anything, so a file
   * that would need flags imports with none; the flags in `options` still win over it.
   */
  profileFor(signature: string): Record<string, unknown> | null;
  /**
   * The currency of the account remembered for a bank account id, or null: how a reader of
   * a format that names no currency (QIF) reads a file of several accounts with no flags.
   */
  currencyOfBankAccount(bankAccountId: string): string | null;
}

/**
 * A reader's answer: the statements, plus for formats with profiles (CSV) the file's header
 * `signature` and the `resolved` reading to save once the user confirms an import.
 */
export interface ReadStatementFile extends ParsedStatementFile {
  signature?: string;
  resolved?: Record<string, unknown>;
}

/** Pure: reads bytes, never the vault. Throws IMPORT_PARSE_ERROR, IMPORT_NEEDS_CHOICE, … */
export type StatementReader = (
  input: StatementInput,
  context: StatementReaderContext,
) => ReadStatementFile;

export type StatementReaders = Partial<Record<StatementFormat, StatementReader>>;
