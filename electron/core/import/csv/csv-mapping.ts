import * as z from 'zod';
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
    indicator: CsvColumnRefSchema.optional(),
    payee: CsvColumnRefSchema.optional(),
    memo: CsvColumnRefSchema.optional(),
    category: CsvColumnRefSchema.optional(),
    id: CsvColumnRefSchema.optional(),
    currency: CsvColumnRefSchema.optional(),
    status: CsvColumnRefSchema.optional(),
  })
  .refine((m) => (m.amount === undefined) !== (m.debit === undefined && m.credit === undefined), {
    message: 'Map either an amount column or debit/credit columns, not both and not neither',
  })
  .refine((m) => m.indicator === undefined || m.amount !== undefined, {
    message: 'A debit/credit indicator column goes with an amount column',
  });

export type CsvMapping = z.infer<typeof CsvMappingSchema>;
export type CsvField = keyof CsvMapping;

/** Column positions (0-based, internal) for each mapped field. */
export type ResolvedMapping = Partial<Record<CsvField, { index: number; name: string }>>;

/**
 * Turns a given mapping into column positions, reporting problems at the header line.
 */
export function resolveMapping(
  mapping: CsvMapping,
  header: readonly string[] | null,
  headerLine: number,
): ResolvedMapping {
  const names = header?.map((h) => h.trim().toLowerCase()) ?? null;
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

function listColumns(header: readonly string[]): string {
  return header.map((h) => `"${h.trim()}"`).join(', ');
}

/** The fields a column can be mapped to, with what each means, for the CLI help. */
export const CSV_FIELDS: readonly { field: CsvField; description: string }[] = [
  { field: 'date', description: 'booking date of the row (required)' },
  { field: 'amount', description: 'signed amount; or map debit and/or credit instead' },
  { field: 'debit', description: 'money out, written positive or negative' },
  { field: 'credit', description: 'money in' },
  {
    field: 'indicator',
    description: 'debit/credit marker for an unsigned amount (DR/CR, S/H, Af/Bij)',
  },
  { field: 'payee', description: 'who was paid or paid you' },
  { field: 'memo', description: 'free text kept in the notes' },
  { field: 'category', description: 'category name' },
  { field: 'id', description: "the bank's own transaction id" },
  { field: 'currency', description: 'ISO currency code of the row' },
  { field: 'status', description: 'booked/pending; pending rows are skipped' },
];

const MAPPING_FIELDS: readonly CsvField[] = CSV_FIELDS.map((f) => f.field);

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
