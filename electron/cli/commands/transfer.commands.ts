import { resolve } from 'node:path';
import {
  CSV_DATE_FORMAT_HELP,
  CSV_DATE_FORMATS,
  CSV_DELIMITERS,
  CSV_FEE_RULES,
  CSV_FIELDS,
  CSV_TWO_DIGIT_YEARS,
  importStatementFile,
  parseCsvMappingSpec,
  previewStatementFile,
  type CsvDateFormat,
  type CsvDelimiter,
} from '../../core/import/index.js';
import {
  exportTransactionsCsv,
  importExport,
  readExportFile,
  writeExport,
} from '../../core/export/index.js';
import {
  flag,
  oneOf,
  optionalInteger,
  optionalString,
  requireString,
  type ParsedArgs,
} from '../args.js';
import { NO_POSITIONALS, type Command, type CommandResult } from '../command.js';
import { UsageError } from '../usage-error.js';
import { importText, previewText } from './import-text.js';

const ONE_FILE = { min: 1, max: 1 } as const;
const ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
const FIELD_HELP = CSV_FIELDS.map((f) => `${f.field} (${f.description})`).join('; ');
const DATE_HELP = CSV_DATE_FORMAT_HELP.map((d) => `${d.format} (${d.examples})`).join('; ');

/** Options every statement format takes. */
const COMMON_OPTIONS = {
  account: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'statement-account': { type: 'string' },
  'create-categories': { type: 'boolean' },
  'only-currency': { type: 'string' },
} as const;
const COMMON_USAGE =
  '--account NAME [--dry-run] [--statement-account ID] [--create-categories] [--only-currency CODE]';

type Format = 'csv' | 'ofx' | 'qif' | 'camt053' | 'mt940';

/** Runs the import (or its dry run) the same way for every format. */
async function runImport(
  ctx: Parameters<Command['run']>[0],
  args: ParsedArgs,
  format: Format,
  readerOptions: Record<string, unknown>,
  statementAccount: string | undefined = optionalString(args, 'statement-account'),
): Promise<CommandResult> {
  const account = optionalString(args, 'account');
  const onlyCurrency = optionalString(args, 'only-currency');
  const options = {
    file: resolve(args.positionals[0] as string),
    format,
    ...(account === undefined ? {} : { account }),
    ...(statementAccount === undefined ? {} : { statementAccount }),
    createCategories: flag(args, 'create-categories'),
    ...(onlyCurrency === undefined ? {} : { onlyCurrency: onlyCurrency.toUpperCase() }),
    readerOptions,
  };
  const vault = await ctx.vault();
  if (flag(args, 'dry-run')) {
    const preview = await previewStatementFile(vault, options);
    return { data: preview, text: previewText(preview) };
  }
  const result = await importStatementFile(vault, options);
  return { data: result, text: importText(result) };
}

function decimalSeparator(args: ParsedArgs): '.' | ',' | undefined {
  const given = oneOf(
    optionalString(args, 'decimal-separator'),
    ['.', ','] as const,
    'decimal-separator',
  );
  if (flag(args, 'decimal-comma')) {
    if (given === '.') throw new UsageError('--decimal-comma contradicts --decimal-separator .');
    return ',';
  }
  return given;
}

/** Only the flags given: what is left out is detected, or taken from a saved profile. */
function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export const importCsvCommand: Command = {
  path: ['import', 'csv'],
  summary: `Import a bank statement CSV (re-importing the same rows adds nothing; --dry-run shows what would be stored). --map fields: ${FIELD_HELP}. --date-format: ${DATE_HELP}; ${CSV_TWO_DIGIT_YEARS}.`,
  usage: `import csv FILE ${COMMON_USAGE} [--map "date=Date,amount=Amount,payee=Description"] [--date-format FMT] [--decimal-separator .|,] [--delimiter ,|;|tab|"|"] [--encoding utf-8|windows-1252|iso-8859-1] [--no-header] [--header-line N | --skip-lines N] [--sign as-is|negate] [--fee subtract|add|included]`,
  options: {
    ...COMMON_OPTIONS,
    map: { type: 'string' },
    'date-format': { type: 'string' },
    'decimal-separator': { type: 'string' },
    'decimal-comma': { type: 'boolean' },
    delimiter: { type: 'string' },
    'no-header': { type: 'boolean' },
    'header-line': { type: 'string' },
    'skip-lines': { type: 'string' },
    encoding: { type: 'string' },
    sign: { type: 'string' },
    fee: { type: 'string' },
  },
  positionals: ONE_FILE,
  async run(ctx, args) {
    requireString(args, 'account');
    const map = optionalString(args, 'map');
    const readerOptions = defined({
      mapping: map === undefined ? undefined : parseCsvMappingSpec(map),
      dateFormat: oneOf<CsvDateFormat>(
        optionalString(args, 'date-format'),
        CSV_DATE_FORMATS,
        'date-format',
      ),
      delimiter: oneOf<CsvDelimiter>(
        optionalString(args, 'delimiter'),
        CSV_DELIMITERS,
        'delimiter',
        {
          tab: '\t',
        },
      ),
      encoding: oneOf(optionalString(args, 'encoding'), ENCODINGS, 'encoding'),
      decimalSeparator: decimalSeparator(args),
      header: flag(args, 'no-header') ? false : undefined,
      headerLine: optionalInteger(args, 'header-line'),
      skipLines: optionalInteger(args, 'skip-lines'),
      sign: oneOf(optionalString(args, 'sign'), ['as-is', 'negate'] as const, 'sign'),
      fee: oneOf(optionalString(args, 'fee'), CSV_FEE_RULES, 'fee'),
    });
    return runImport(ctx, args, 'csv', readerOptions);
  },
};

/** OFX, QIF, CAMT.053 and MT940 share the shape; each may carry its own reader flags. */
function statementCommand(
  word: string,
  format: Format,
  summary: string,
  readerFlags: boolean,
  extra: { aliasOption?: string } = {},
): Command {
  const flagsUsage = readerFlags ? ' [--date-format FMT] [--decimal-separator .|,]' : '';
  const alias = extra.aliasOption === undefined ? '' : ` [--${extra.aliasOption} ID]`;
  return {
    path: ['import', word],
    summary,
    usage: `import ${word} FILE ${COMMON_USAGE}${alias}${flagsUsage}`,
    options: {
      ...COMMON_OPTIONS,
      ...(extra.aliasOption === undefined ? {} : { [extra.aliasOption]: { type: 'string' } }),
      ...(readerFlags
        ? { 'date-format': { type: 'string' }, 'decimal-separator': { type: 'string' } }
        : {}),
    },
    positionals: ONE_FILE,
    async run(ctx, args) {
      const chosen = optionalString(args, 'statement-account');
      const aliased =
        extra.aliasOption === undefined ? undefined : optionalString(args, extra.aliasOption);
      if (chosen !== undefined && aliased !== undefined && chosen !== aliased) {
        throw new UsageError(
          `--${extra.aliasOption} and --statement-account name different accounts`,
        );
      }
      const readerOptions = readerFlags
        ? defined({
            dateFormat: optionalString(args, 'date-format'),
            decimalSeparator: decimalSeparator(args),
          })
        : {};
      return runImport(ctx, args, format, readerOptions, chosen ?? aliased);
    },
  };
}

export const importOfxCommand = statementCommand(
  'ofx',
  'ofx',
  'Import an OFX/QFX statement; a file of several accounts puts each where its bank id was remembered (--ofx-account ID picks one).',
  false,
  { aliasOption: 'ofx-account' },
);
export const importQifCommand = statementCommand(
  'qif',
  'qif',
  'Import a QIF (Quicken) statement; splits are kept.',
  true,
);
export const importCamtCommand = statementCommand(
  'camt',
  'camt053',
  'Import an ISO 20022 CAMT.053 statement; each account statement goes where its IBAN was remembered.',
  false,
);
export const importMt940Command = statementCommand(
  'mt940',
  'mt940',
  'Import a SWIFT MT940 statement.',
  false,
);

export const importExportCommand: Command = {
  path: ['import', 'export'],
  summary: 'Restore a whole-vault JSON export into this (empty) vault.',
  usage: 'import export FILE',
  options: {},
  positionals: ONE_FILE,
  async run(ctx, args) {
    const doc = await readExportFile(resolve(args.positionals[0] as string));
    const counts = importExport(await ctx.vault(), doc);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { data: { restored: counts }, text: `Restored ${total} record(s) into the vault.` };
  },
};

export const exportCommand: Command = {
  path: ['export'],
  summary: 'Export the whole vault to JSON, or its transactions to CSV. The file is NOT encrypted.',
  usage: 'export --out FILE [--format json|csv] [--account NAME] [--month YYYY-MM]',
  options: {
    out: { type: 'string' },
    format: { type: 'string' },
    account: { type: 'string' },
    month: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const out = resolve(requireString(args, 'out'));
    const format =
      oneOf(optionalString(args, 'format'), ['json', 'csv'] as const, 'format') ?? 'json';
    const account = optionalString(args, 'account');
    const month = optionalString(args, 'month');
    if (format === 'json' && (account !== undefined || month !== undefined)) {
      throw new UsageError('--account and --month filter the CSV export only (--format csv)');
    }
    const vault = await ctx.vault();
    ctx.warn(
      `${out} holds your data unencrypted (mode 0600); delete it when you no longer need it.`,
    );
    if (format === 'csv') {
      const { rows } = exportTransactionsCsv(vault, out, {
        account,
        month,
      });
      return { data: { file: out, format, rows }, text: `Wrote ${rows} transaction(s) to ${out}` };
    }
    const counts = writeExport(vault, out);
    return {
      data: { file: out, format, records: counts },
      text: `Wrote the whole vault to ${out}`,
    };
  },
};

export const TRANSFER_COMMANDS: Command[] = [
  importCsvCommand,
  importOfxCommand,
  importQifCommand,
  importCamtCommand,
  importMt940Command,
  importExportCommand,
  exportCommand,
];
