import { resolve } from 'node:path';
import {
  CSV_DATE_FORMATS,
  CSV_DELIMITERS,
  importCsv,
  importOfx,
  parseCsvMappingSpec,
  type CsvDateFormat,
  type CsvDelimiter,
} from '../../core/import/index.js';
import {
  exportTransactionsCsv,
  importExport,
  readExportFile,
  writeExport,
} from '../../core/export/index.js';
import { flag, oneOf, optionalString, requireString } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { UsageError } from '../usage-error.js';

const ONE_FILE = { min: 1, max: 1 } as const;
const ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;

function importSummary(result: { created: number; skipped: number; total: number }): string {
  return `Imported ${result.created} transaction(s); ${result.skipped} already in the vault (of ${result.total} in the file).`;
}

export const importCsvCommand: Command = {
  path: ['import', 'csv'],
  summary: 'Import a bank statement CSV into an account (re-importing the same file adds nothing).',
  usage:
    'import csv FILE --account NAME [--map "date=Date,amount=Amount,payee=Description"] [--date-format FMT] [--decimal-comma] [--delimiter ,|;|tab] [--no-header] [--encoding ENC] [--create-categories]',
  options: {
    account: { type: 'string' },
    map: { type: 'string' },
    'date-format': { type: 'string' },
    'decimal-comma': { type: 'boolean' },
    delimiter: { type: 'string' },
    'no-header': { type: 'boolean' },
    encoding: { type: 'string' },
    'create-categories': { type: 'boolean' },
  },
  positionals: ONE_FILE,
  async run(ctx, args) {
    const map = optionalString(args, 'map');
    const dateFormat = oneOf<CsvDateFormat>(
      optionalString(args, 'date-format'),
      CSV_DATE_FORMATS,
      'date-format',
    );
    const delimiter = oneOf<CsvDelimiter>(
      optionalString(args, 'delimiter'),
      CSV_DELIMITERS,
      'delimiter',
      {
        tab: '\t',
      },
    );
    const encoding = oneOf(optionalString(args, 'encoding'), ENCODINGS, 'encoding');
    const vault = await ctx.vault();
    const result = await importCsv(vault, {
      file: resolve(args.positionals[0] as string),
      account: requireString(args, 'account'),
      ...(map === undefined ? {} : { mapping: parseCsvMappingSpec(map) }),
      dateFormat,
      delimiter,
      encoding,
      header: !flag(args, 'no-header'),
      decimalComma: flag(args, 'decimal-comma'),
      createCategories: flag(args, 'create-categories'),
    });
    return { data: result, text: importSummary(result) };
  },
};

export const importOfxCommand: Command = {
  path: ['import', 'ofx'],
  summary: 'Import an OFX bank statement into an account (idempotent by the bank transaction id).',
  usage: 'import ofx FILE --account NAME',
  options: { account: { type: 'string' } },
  positionals: ONE_FILE,
  async run(ctx, args) {
    const vault = await ctx.vault();
    const result = await importOfx(vault, {
      file: resolve(args.positionals[0] as string),
      account: requireString(args, 'account'),
    });
    return { data: result, text: importSummary(result) };
  },
};

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
  importExportCommand,
  exportCommand,
];
