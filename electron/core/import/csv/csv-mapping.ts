import { z } from 'zod';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { importParseError } from '../parse-error.js';

/**
 * A column is named by its header text (matched ignoring case and surrounding spaces) or
 * by its position counted from 1, as a spreadsheet user counts.
 */
export const CsvColumnRefSchema = z.union([
  z.string().trim().min(1, 'A column name must not be empty'),
  z.number().int().min(1, 'Column positions start at 1'),
]);
export type CsvColumnRef = z.infer<typeof CsvColumnRefSchema>;

export const CsvMappingSchema = z
  .strictObject({
    date: CsvColumnRefSchema,
    amount: CsvColumnRefSchema.optional(),
    debit: CsvColumnRefSchema.optional(),
    credit: CsvColumnRefSchema.optional(),
    payee: CsvColumnRefSchema.optional(),
    memo: CsvColumnRefSchema.optional(),
    category: CsvColumnRefSchema.optional(),
    id: CsvColumnRefSchema.optional(),
  })
  .refine((m) => (m.amount === undefined) !== (m.debit === undefined && m.credit === undefined), {
    message: 'Map either an amount column or debit/credit columns, not both and not neither',
  });

export type CsvMapping = z.infer<typeof CsvMappingSchema>;
export type CsvField = keyof CsvMapping;

/** Column positions (0-based, internal) for each mapped field. */
export type ResolvedMapping = Partial<Record<CsvField, { index: number; name: string }>>;

// Header names seen in bank exports, lowercase. Only used when no mapping is given.
const GUESSES: Record<CsvField, readonly string[]> = {
  date: [
    'date',
    'transaction date',
    'posted date',
    'posting date',
    'booking date',
    'value date',
    'datum',
    'buchungstag',
    'date opération',
    'fecha',
  ],
  amount: ['amount', 'transaction amount', 'betrag', 'montant', 'importe', 'value'],
  debit: ['debit', 'debit amount', 'withdrawal', 'withdrawals', 'money out', 'paid out', 'soll'],
  credit: ['credit', 'credit amount', 'deposit', 'deposits', 'money in', 'paid in', 'haben'],
  payee: [
    'payee',
    'name',
    'merchant',
    'counterparty',
    'description',
    'beneficiary',
    'empfänger',
    'libellé',
  ],
  memo: ['memo', 'notes', 'note', 'reference', 'verwendungszweck', 'concepto'],
  category: ['category'],
  id: ['id', 'transaction id', 'fitid'],
};

/**
 * Turns the user's mapping (or, with a header and no mapping, a guess from common header
 * names) into column positions. Problems are reported against line 1, where the header is.
 */
export function resolveMapping(
  mapping: CsvMapping | undefined,
  header: readonly string[] | null,
  headerLine: number,
): ResolvedMapping {
  const names = header?.map((h) => h.trim().toLowerCase()) ?? null;
  if (mapping === undefined) {
    if (names === null) {
      throw importParseError(
        headerLine,
        'the file has no header row, so a column mapping is required (date, amount or debit/credit, payee, memo)',
      );
    }
    return guessMapping(names, header ?? [], headerLine);
  }
  const resolved: ResolvedMapping = {};
  for (const [field, ref] of Object.entries(mapping) as [CsvField, CsvColumnRef | undefined][]) {
    if (ref === undefined) continue;
    resolved[field] = resolveRef(field, ref, names, header, headerLine);
  }
  return resolved;
}

function resolveRef(
  field: CsvField,
  ref: CsvColumnRef,
  names: readonly string[] | null,
  header: readonly string[] | null,
  headerLine: number,
): { index: number; name: string } {
  if (typeof ref === 'number') {
    const index = ref - 1;
    if (names !== null && index >= names.length) {
      throw importParseError(
        headerLine,
        `${field} is mapped to column ${ref}, but the header has only ${names.length} columns`,
        { column: ref },
      );
    }
    return { index, name: header?.[index]?.trim() || `column ${ref}` };
  }
  if (names === null) {
    throw importParseError(
      headerLine,
      `${field} is mapped to column "${ref}" by name, but the file has no header row; use its position instead`,
    );
  }
  const wanted = ref.trim().toLowerCase();
  const indexes = names.flatMap((n, i) => (n === wanted ? [i] : []));
  const [index] = indexes;
  if (index === undefined) {
    throw importParseError(
      headerLine,
      `no column named "${ref}" for ${field}; the columns are ${listColumns(header ?? [])}`,
    );
  }
  if (indexes.length > 1) {
    throw importParseError(
      headerLine,
      `${indexes.length} columns are named "${ref}"; map ${field} by position instead`,
    );
  }
  return { index, name: header?.[index]?.trim() ?? ref };
}

function guessMapping(
  names: readonly string[],
  header: readonly string[],
  headerLine: number,
): ResolvedMapping {
  const resolved: ResolvedMapping = {};
  const taken = new Set<number>();
  const order: CsvField[] = [
    'date',
    'amount',
    'debit',
    'credit',
    'id',
    'category',
    'payee',
    'memo',
  ];
  for (const field of order) {
    if ((field === 'debit' || field === 'credit') && resolved.amount !== undefined) continue;
    for (const guess of GUESSES[field]) {
      const index = names.findIndex((n, i) => n === guess && !taken.has(i));
      if (index !== -1) {
        resolved[field] = { index, name: header[index]?.trim() ?? guess };
        taken.add(index);
        break;
      }
    }
  }
  const hasAmount =
    resolved.amount !== undefined || resolved.debit !== undefined || resolved.credit !== undefined;
  if (resolved.date === undefined || !hasAmount) {
    throw importParseError(
      headerLine,
      `cannot tell which columns hold the date and the amount among ${listColumns(header)}; give a column mapping`,
    );
  }
  return resolved;
}

function listColumns(header: readonly string[]): string {
  return header.map((h) => `"${h.trim()}"`).join(', ');
}

const MAPPING_FIELDS: readonly CsvField[] = [
  'date',
  'amount',
  'debit',
  'credit',
  'payee',
  'memo',
  'category',
  'id',
];

/**
 * Reads a mapping written on a command line: "date=Posting Date,amount=Amount,payee=3".
 * A value made only of digits is a column position (from 1); anything else a header name.
 * Throws USAGE for an unknown field or a malformed pair.
 */
export function parseCsvMappingSpec(spec: string): CsvMapping {
  const mapping: Record<string, CsvColumnRef> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const field = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (eq === -1 || value === '' || !(MAPPING_FIELDS as readonly string[]).includes(field)) {
      throw new CofferError(
        'USAGE',
        `Bad column mapping "${part.trim()}": expected field=column with field one of ${MAPPING_FIELDS.join(', ')}`,
      );
    }
    if (field in mapping) throw new CofferError('USAGE', `The column mapping names ${field} twice`);
    mapping[field] = /^\d+$/.test(value) ? Number(value) : value;
  }
  const result = CsvMappingSchema.safeParse(mapping);
  if (!result.success) {
    throw new CofferError(
      'USAGE',
      `Bad column mapping: ${result.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}
