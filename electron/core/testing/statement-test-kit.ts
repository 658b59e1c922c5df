/** Test-only: statements built in memory, shaped as a reader yields them. */
import { descriptionKey } from '../import/description-key.js';
import { importParseError } from '../import/parse-error.js';
import type {
  ParsedStatement,
  ParsedStatementFile,
  StatementItem,
  StatementRow,
} from '../import/statement.js';

export type RowSpec = Partial<Omit<StatementRow, 'descriptionKey'>> &
  Pick<StatementRow, 'date' | 'amountMinor'>;

/** A row as a reader gives it: the description key covers payee, memo and every extra. */
export function row(spec: RowSpec, line = 2): StatementRow {
  const base = {
    line,
    currency: null,
    payee: null,
    memo: null,
    category: null,
    externalId: null,
    extras: [],
    splits: [],
    ...spec,
  };
  return {
    ...base,
    descriptionKey: descriptionKey(base.payee, base.memo, ...base.extras.map((e) => e.value)),
  };
}

export function statement(
  rows: readonly RowSpec[],
  options: {
    bankAccountId?: string | null;
    currency?: string | null;
    /** After the rows, a malformed line that throws IMPORT_PARSE_ERROR when reached. */
    failAtEnd?: boolean;
    skips?: StatementItem[];
  } = {},
): ParsedStatement {
  return {
    bankAccountId: options.bankAccountId ?? null,
    currency: options.currency === undefined ? 'USD' : options.currency,
    line: 1,
    *items(): Iterable<StatementItem> {
      yield* options.skips ?? [];
      let line = 2;
      for (const spec of rows) yield { kind: 'row', row: row(spec, spec.line ?? line++) };
      if (options.failAtEnd === true) {
        throw importParseError(rows.length + 2, 'the amount "12,,3" is not a number');
      }
    },
  };
}

export function statementFile(
  statements: readonly ParsedStatement[],
  extra: Partial<ParsedStatementFile> = {},
): ParsedStatementFile {
  return { format: 'csv', statements, columns: [], settings: [], warnings: [], ...extra };
}
