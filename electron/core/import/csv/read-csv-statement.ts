import { createHash } from 'node:crypto';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { AccountKind } from '../../../../shared/domain/ledger.schema.js';
import type {
  ColumnUse,
  DetectedSetting,
  ParsedStatementFile,
  StatementItem,
} from '../statement.js';
import type { TextSource } from '../text-source.js';
import { amountToMinor, readAmountParts, type DecimalSeparator } from './amount-cell.js';
import {
  CsvStats,
  chooseDateFormat,
  chooseDecimal,
  chooseFee,
  chooseSign,
  type FeeColumns,
} from './csv-detect.js';
import { CSV_DELIMITERS, detectDelimiter } from './csv-delimiter.js';
import { findLayout, LAYOUT_SAMPLE, type CsvLayout } from './csv-layout.js';
import { csvRecords, type CsvRecord } from './csv-tokenizer.js';
import { csvItems } from './csv-rows.js';
import {
  CSV_ENCODINGS,
  CSV_FEE_RULES,
  CSV_SIGN_RULES,
  type CsvFeeRule,
  type CsvSettings,
} from './csv-settings.js';
import { readHeader, type HeaderMeaning } from './header-names.js';
import { CSV_DATE_FORMATS, looksLikeDate } from './date-format.js';

export { CsvSettingsSchema, type CsvSettings } from './csv-settings.js';

export interface CsvReadOptions {
  /** Minor units when rows name no currency. */
  accountCurrency: string;
  /** 'credit_card' lets the reader detect statements that write purchases as positive. */
  accountKind: AccountKind;
  /**
   * Given by the user: always win (source 'flag'). `encoding` is applied by whoever makes
   * the TextSource (`bytesTextSource(bytes, label, encoding)`), since the text arrives decoded.
   */
  flags?: Partial<CsvSettings>;
  /** Saved earlier for this header signature (source 'profile'). */
  profile?: Partial<CsvSettings>;
  /**
   * Looks up the reading saved for the file's signature, once the signature is known and
   * before anything is detected; flags still win over it, and it wins over `profile`.
   */
  profileFor?: (signature: string) => Partial<CsvSettings> | null;
}

export interface CsvStatementFile extends ParsedStatementFile {
  format: 'csv';
  /** Stable hash of the normalised header (or of the headerless column layout). */
  signature: string;
  /** Every setting as finally used, flags/profile/detection merged: what a profile saves. */
  resolved: CsvSettings;
}

type Source = DetectedSetting['source'];

/**
 * Reads a CSV bank statement: one streaming pass decides the layout and every format
 * question from bounded statistics of the whole file, and `items()` streams the rows in
 * a second pass. A reading the file does not settle is refused with IMPORT_NEEDS_CHOICE
 * naming the flag; every other guess is listed in `settings` with its flag.
 */
export function readCsvStatement(source: TextSource, options: CsvReadOptions): CsvStatementFile {
  const flags = options.flags ?? {};
  const signature = fileSignature(source);
  const saved = options.profileFor?.(signature) ?? null;
  const profile: Partial<CsvSettings> = { ...options.profile, ...saved };
  const pick = <K extends keyof CsvSettings>(key: K): [CsvSettings[K], Source] | null => {
    const flag = flags[key];
    if (flag !== undefined) return [flag, 'flag'];
    const kept = profile[key];
    if (kept !== undefined) return [kept, 'profile'];
    return null;
  };

  const delimiterPick = pick('delimiter') ?? [detectDelimiter(firstText(source)), 'detected'];
  const delimiter = delimiterPick[0];
  const sample: CsvRecord[] = [];
  for (const record of csvRecords(source.chunks(), delimiter)) {
    sample.push(record);
    if (sample.length >= LAYOUT_SAMPLE) break;
  }
  const headerPick = pick('header');
  const skipPick = pick('skipLines');
  const mappingPick = pick('mapping');
  const layout = findLayout(sample, {
    currency: options.accountCurrency,
    ...(headerPick === null ? {} : { header: headerPick[0] }),
    ...(skipPick === null ? {} : { skipLines: skipPick[0] }),
    ...(mappingPick === null ? {} : { mapping: mappingPick[0] }),
  });

  // Each header cell read once for the columns no field takes: fee, balance, parties.
  const meanings = layout.header?.map(readHeader) ?? null;
  const feeColumns = feeColumnsOf(layout, meanings);
  const stats = new CsvStats(layout, options.accountKind === 'credit_card', feeColumns);
  // A statement repeats a few hundred dates; each is checked once.
  const dateLike = new Map<string, boolean>();
  for (const record of csvRecords(source.chunks(), delimiter)) {
    if (record.line <= layout.skipLines || record.line === layout.headerLine) continue;
    const date = (record.cells[layout.mapping.date?.index ?? -1] ?? '').trim();
    let isDate = dateLike.get(date);
    if (isDate === undefined) {
      isDate = looksLikeDate(date);
      if (dateLike.size < 20_000) dateLike.set(date, isDate);
    }
    if (isDate) stats.add(record);
  }

  const datePick = pick('dateFormat') ?? [chooseDateFormat(stats), 'detected'];
  const decimalPick = pick('decimalSeparator') ?? [chooseDecimal(stats), 'detected'];
  const useIndicator =
    layout.mapping.indicator !== undefined &&
    (mappingPick !== null ||
      (stats.indicatorKnown && stats.indicatorSeen > 0 && stats.negative === 0));
  const mapping = { ...layout.mapping };
  if (!useIndicator) delete mapping.indicator;
  const signPick = pick('sign') ?? [
    chooseSign(
      stats,
      options.accountKind === 'credit_card',
      mapping.amount !== undefined && mapping.indicator === undefined,
    ),
    'detected',
  ];
  const finalLayout: CsvLayout = { ...layout, mapping };
  const feeDetected = (): [CsvFeeRule, Source] | null => {
    const rule = chooseFee(
      stats,
      // A net amount ("Net" beside "Gross" and "Fee") already holds the fee.
      mapping.amount !== undefined && meanings?.[mapping.amount.index]?.key === 'net',
      minorReader(decimalPick[0], layout.headerCurrency ?? options.accountCurrency),
      signPick[0] === 'negate',
    );
    return rule === undefined ? null : [rule, 'detected'];
  };
  const feeGiven = pick('fee');
  const feePick: [CsvFeeRule, Source] | null =
    feeColumns === null
      ? null
      : feeGiven?.[0] !== undefined
        ? [feeGiven[0], feeGiven[1]]
        : feeDetected();

  const encoding = source.encoding ?? 'utf-8';
  const resolved: CsvSettings = {
    encoding,
    delimiter,
    header: layout.headerLine !== null,
    skipLines: layout.skipLines,
    mapping: Object.fromEntries(
      Object.entries(mapping).map(([field, c]) => [
        field,
        layout.header === null ? c.index + 1 : c.name,
      ]),
    ) as CsvSettings['mapping'],
    dateFormat: datePick[0],
    decimalSeparator: decimalPick[0],
    sign: signPick[0],
    ...(feePick === null ? {} : { fee: feePick[0] }),
  };
  const detectedOr = (p: [unknown, Source] | null): Source => p?.[1] ?? 'detected';
  const settings: DetectedSetting[] = [
    {
      name: 'encoding',
      value: encoding,
      source: source.encodingGiven === true ? 'flag' : 'detected',
      flag: '--encoding',
      override: { option: 'encoding', value: encoding, choices: [...CSV_ENCODINGS] },
    },
    {
      name: 'delimiter',
      value: delimiterName(delimiter),
      source: delimiterPick[1],
      flag: '--delimiter',
      override: { option: 'delimiter', value: delimiter, choices: [...CSV_DELIMITERS] },
    },
    {
      name: 'header',
      value: layout.headerLine === null ? 'none' : `line ${layout.headerLine}`,
      source: detectedOr(headerPick),
      flag: '--no-header',
    },
    {
      name: 'skip lines',
      value: String(layout.skipLines),
      source: detectedOr(skipPick),
      flag: '--skip-lines',
    },
    {
      name: 'mapping',
      value: Object.entries(resolved.mapping)
        .map(([field, ref]) => `${field}=${String(ref)}`)
        .join(', '),
      source: detectedOr(mappingPick),
      flag: '--map',
    },
    {
      name: 'date format',
      value: datePick[0],
      source: datePick[1],
      flag: '--date-format',
      override: { option: 'dateFormat', value: datePick[0], choices: [...CSV_DATE_FORMATS] },
    },
    {
      name: 'decimal separator',
      value: decimalPick[0],
      source: decimalPick[1],
      flag: '--decimal-separator',
      override: { option: 'decimalSeparator', value: decimalPick[0], choices: ['.', ','] },
    },
    {
      name: 'sign rule',
      value: signRuleText(resolved, useIndicator),
      source: signPick[1],
      flag: '--sign',
      // Debit/credit columns and an indicator column say the sign themselves.
      ...(mapping.amount !== undefined && !useIndicator
        ? { override: { option: 'sign', value: resolved.sign, choices: [...CSV_SIGN_RULES] } }
        : {}),
    },
  ];
  const feeUse =
    feePick === null || feeColumns === null ? null : { index: feeColumns.fee, rule: feePick[0] };
  if (feeUse !== null && feePick !== null) {
    settings.push({
      name: 'fee',
      value: `${columnLabel(layout, feeUse.index)}: ${FEE_RULE_TEXT[feeUse.rule]}`,
      source: feePick[1],
      flag: '--fee',
      override: { option: 'fee', value: feeUse.rule, choices: [...CSV_FEE_RULES] },
    });
  }
  if (layout.headerCurrency !== null) {
    settings.push({ name: 'currency', value: layout.headerCurrency, source: 'file' });
  }
  const warnings: string[] = [];
  if (source.encoding === 'windows-1252' && source.encodingGiven !== true) {
    warnings.push('the file is not UTF-8; it was read as windows-1252 (change with --encoding)');
  }
  if (layout.header === null && mappingPick === null) {
    warnings.push(
      `the file has no header row; columns were mapped by their content (${settings[4]?.value ?? ''}); check them, or give --map`,
    );
  }

  // A mapping given by flag is followed as given. One detected, or read from the profile a
  // detected mapping was saved in, gets the same payer and party columns every month.
  const mappingGiven = mappingPick?.[1] === 'flag';
  const payerColumn = layout.roles.indexOf('payer');
  const payerIndex =
    !mappingGiven &&
    payerColumn !== -1 &&
    mapping.payee !== undefined &&
    !Object.values(mapping).some((c) => c.index === payerColumn)
      ? payerColumn
      : null;
  if (payerIndex !== null) {
    settings.push({
      name: 'payee of money in',
      value: columnLabel(layout, payerIndex),
      source: 'detected',
      flag: '--map',
    });
  }
  const payeeFallbacks = mappingGiven ? [] : payeeFallbacksOf(finalLayout, meanings, payerIndex);
  if (payeeFallbacks.length > 0) {
    settings.push({
      name: 'payee when its cell is empty',
      value: payeeFallbacks.map((index) => columnLabel(layout, index)).join(', then '),
      source: 'detected',
      flag: '--map',
    });
  }
  const context = {
    payerIndex,
    payeeFallbacks,
    layout: finalLayout,
    delimiter,
    dateFormat: datePick[0],
    decimal: decimalPick[0],
    negate: signPick[0] === 'negate',
    currency: layout.headerCurrency ?? options.accountCurrency,
    fee:
      feeUse === null || feeUse.rule === 'included'
        ? null
        : { index: feeUse.index, rule: feeUse.rule },
  };
  return {
    format: 'csv',
    signature,
    resolved,
    columns: columnUses(finalLayout, sample, {
      fee: feeUse,
      payer: payerIndex,
      fallbacks: payeeFallbacks,
    }),
    settings,
    warnings,
    statements: [
      {
        bankAccountId: null,
        currency: layout.headerCurrency,
        line: layout.headerLine ?? layout.skipLines + 1,
        items: (): Iterable<StatementItem> => csvItems(source, context),
      },
    ],
  };
}

/**
 * The file's signature as a reading with no flags and no profile sees it, so the profile
 * saved after a first import that needed flags is found again by next month's file read
 * with none. A file whose table cannot be found without flags is known by its first row.
 */
function fileSignature(source: TextSource): string {
  const delimiter = detectDelimiter(firstText(source));
  const sample: CsvRecord[] = [];
  for (const record of csvRecords(source.chunks(), delimiter)) {
    sample.push(record);
    if (sample.length >= LAYOUT_SAMPLE) break;
  }
  try {
    return findLayout(sample, {}).signature;
  } catch (err) {
    // Only "no table found without flags" falls back; anything else is a real failure.
    if (!isCofferError(err)) throw err;
    const first = sample.find((r) => r.cells.some((c) => c.trim() !== ''));
    const cells = first?.cells.map((c) => c.trim().toLowerCase()) ?? [];
    return createHash('sha256')
      .update(`first-row\u0000${cells.join('\u001f')}`)
      .digest('hex');
  }
}

function firstText(source: TextSource): string {
  for (const chunk of source.chunks()) return chunk;
  return '';
}

function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}

const FEE_RULE_TEXT: Readonly<Record<CsvFeeRule, string>> = {
  subtract: 'taken from the amount',
  add: 'added to the amount (fees written as negative)',
  included: 'already in the amount',
};

/**
 * The best-named fee column of a file with a header, and its running balance, or null: a
 * fee column is never a ledger field, so its text stays in the notes whatever the rule.
 */
function feeColumnsOf(
  layout: CsvLayout,
  meanings: readonly HeaderMeaning[] | null,
): FeeColumns | null {
  if (meanings === null) return null;
  const best = (role: 'fee' | 'balance'): number | null => {
    let found: number | null = null;
    meanings.forEach((meaning, index) => {
      if (meaning.role !== role) return;
      if (found === null || meaning.rank < (meanings[found]?.rank ?? 0)) found = index;
    });
    return found;
  };
  const fee = best('fee');
  const mapped = new Set(Object.values(layout.mapping).map((c) => c.index));
  if (fee === null || mapped.has(fee)) return null;
  const balance = best('balance');
  return { fee, balance: balance === null || mapped.has(balance) ? null : balance };
}

/**
 * The columns, besides the mapped payee, whose header names a party or a description (Wise:
 * "Payee Name", then "Merchant", then "Description"), in the order their headers rank, that
 * no field took: where the payee cell of a row is empty, the first of them with text is.
 */
function payeeFallbacksOf(
  layout: CsvLayout,
  meanings: readonly HeaderMeaning[] | null,
  payerIndex: number | null,
): number[] {
  if (meanings === null || layout.mapping.payee === undefined) return [];
  const taken = new Set(Object.values(layout.mapping).map((c) => c.index));
  return meanings
    .map((meaning, index) => ({ index, meaning }))
    .filter(({ index, meaning }) => meaning.role === 'payee' && !taken.has(index))
    .filter(({ index }) => index !== payerIndex)
    .sort((a, b) => a.meaning.rank - b.meaning.rank)
    .map(({ index }) => index);
}

/** Reads an amount cell to minor units once the decimal separator is known; null if it cannot. */
function minorReader(decimal: DecimalSeparator, currency: string): (text: string) => number | null {
  return (text) => {
    const parts = readAmountParts(text);
    if (parts === null) return null;
    try {
      return amountToMinor(parts, decimal, parts.currency ?? currency, text);
    } catch {
      return null;
    }
  };
}

function signRuleText(settings: CsvSettings, indicator: boolean): string {
  const m = settings.mapping;
  if (m.amount === undefined) return 'debit/credit columns';
  if (indicator) return `indicator column ${String(m.indicator)}`;
  return settings.sign;
}

/** Unmapped columns that still count for a row, besides being kept in its notes. */
interface AlsoUsed {
  fee: { index: number; rule: CsvFeeRule } | null;
  payer: number | null;
  fallbacks: readonly number[];
}

function columnUses(layout: CsvLayout, sample: readonly CsvRecord[], also: AlsoUsed): ColumnUse[] {
  const width = Math.max(layout.header?.length ?? 0, ...sample.map((r) => r.cells.length));
  const byIndex = new Map<number, string>();
  for (const [field, column] of Object.entries(layout.mapping)) byIndex.set(column.index, field);
  if (also.fee !== null) {
    byIndex.set(also.fee.index, `notes; the fee, ${FEE_RULE_TEXT[also.fee.rule]}`);
  }
  if (also.payer !== null) byIndex.set(also.payer, 'notes; the payee of money in');
  for (const index of also.fallbacks) byIndex.set(index, 'notes; the payee when its cell is empty');
  return Array.from({ length: width }, (_, i) => ({
    column: columnLabel(layout, i),
    field: byIndex.get(i) ?? 'notes',
  }));
}

export function columnLabel(layout: CsvLayout, index: number): string {
  const name = layout.header?.[index];
  return name === undefined || name === '' ? `column ${index + 1}` : name;
}
