import * as fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { STATEMENT_FORMATS } from '../../../shared/domain/import.schema.js';
import type { AccountKind } from '../../../shared/domain/ledger.schema.js';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { AccountService } from '../ledger/account.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { importStatementFile } from './import-statement-file.js';
import { fixturePath, tempDir } from './testing/import-test-helpers.js';
import { importStateCounts } from './testing/import-state.js';
import { mutate, mutations } from './testing/file-mutations.js';

type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** The codes an import may refuse a file with; anything else is a crash. */
const IMPORT_CODES = new Set([
  'IMPORT_PARSE_ERROR',
  'IMPORT_NEEDS_CHOICE',
  'IMPORT_FORMAT_UNSUPPORTED',
  'IMPORT_BANK_ERROR',
  'IMPORT_ACCOUNT_UNKNOWN',
  'CURRENCY_MISMATCH',
  'FILE_TOO_LARGE',
  'INVALID_INPUT',
]);

interface Seed {
  file: string;
  currency: string;
  kind?: AccountKind;
}

const SEEDS: Record<StatementFormat, Seed[]> = {
  csv: [
    { file: 'us-checking.csv', currency: 'USD' },
    { file: 'de-girokonto.csv', currency: 'EUR' },
    { file: 'csv/de-dkb-preamble.csv', currency: 'EUR' },
    { file: 'csv/fr-debit-credit.csv', currency: 'EUR' },
    { file: 'csv/nl-ing.csv', currency: 'EUR' },
    { file: 'csv/us-amex-card.csv', currency: 'USD', kind: 'credit_card' },
    { file: 'csv/ca-td-headerless.csv', currency: 'CAD' },
    { file: 'csv/uk-nationwide.csv', currency: 'GBP' },
  ],
  ofx: [
    { file: 'ofx/us-checking-ofx102.ofx', currency: 'USD' },
    { file: 'ofx/ca-chequing-ofx211.ofx', currency: 'CAD' },
    { file: 'ofx/us-card.qfx', currency: 'USD', kind: 'credit_card' },
    { file: 'ofx/no-fitid.ofx', currency: 'AUD' },
    { file: 'ofx/empty-curdef.ofx', currency: 'USD' },
  ],
  qif: [
    { file: 'qif/quicken-checking.qif', currency: 'USD' },
    { file: 'qif/eu-girokonto.qif', currency: 'EUR' },
  ],
  camt053: [
    { file: 'camt/de-bank-camt053-001-02.xml', currency: 'EUR' },
    { file: 'camt/ch-bank-camt053-001-08.xml', currency: 'CHF' },
    { file: 'camt/fr-bank-camt053-001-02.xml', currency: 'EUR' },
  ],
  mt940: [
    { file: 'mt940/de-sparkasse.sta', currency: 'EUR' },
    { file: 'mt940/nl-ing.940', currency: 'EUR' },
    { file: 'mt940/at-erste.mt940', currency: 'EUR' },
  ],
};

interface Malformed {
  format: StatementFormat;
  seed: Seed;
  /** Whether the malformed row may go in before this line (0-based) of the file. */
  before(line: string, index: number): boolean;
  /** Lines in the format's own shape; the first holds an amount that cannot be read. */
  row: string[];
}

const MALFORMED: Malformed[] = [
  {
    format: 'csv',
    seed: { file: 'us-checking.csv', currency: 'USD' },
    before: (_line, i) => i >= 1,
    row: ['DEBIT,01/03/2024,"CORNER SHOP",12.3x,DEBIT_CARD,0.00,'],
  },
  {
    format: 'csv',
    seed: { file: 'de-girokonto.csv', currency: 'EUR' },
    before: (_line, i) => i >= 1,
    row: ['03.01.2024;Kiosk am Markt;Zeitung;-12,3x;EUR'],
  },
  {
    format: 'csv',
    seed: { file: 'uk-current-account.csv', currency: 'GBP' },
    before: (_line, i) => i >= 1,
    row: ['04/01/2024,NEWSAGENT,12.3x,,0.00'],
  },
  {
    format: 'qif',
    seed: { file: 'qif/quicken-checking.qif', currency: 'USD' },
    // A whole record, in before another record's date line.
    before: (line, i) => i >= 19 && line.startsWith('D'),
    row: ['T-12.3x', "D 1/20'25", 'PCORNER SHOP', '^'],
  },
  {
    format: 'ofx',
    seed: { file: 'ofx/us-checking-ofx102.ofx', currency: 'USD' },
    before: (line) => line.trim() === '<STMTTRN>',
    row: [
      '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250105<TRNAMT>-12.3x<FITID>MALFORMED-1<NAME>CORNER SHOP</STMTTRN>',
    ],
  },
  {
    format: 'camt053',
    seed: { file: 'camt/de-bank-camt053-001-02.xml', currency: 'EUR' },
    before: (line) => line.trim() === '<Ntry>',
    row: [
      '<Ntry><Amt Ccy="EUR">12.3x</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-04</Dt></BookgDt></Ntry>',
    ],
  },
  {
    format: 'mt940',
    seed: { file: 'mt940/de-sparkasse.sta', currency: 'EUR' },
    before: (line) => line.startsWith(':61:') || line.startsWith(':62F:'),
    row: [':61:2401020102DR12,3xNMSCNONREF'],
  },
];

let temp: TempVault;
let files: ReturnType<typeof tempDir>;
let fileNo = 0;
/** One account per seed, kept across runs: a bank id stays bound to one account. */
const accountOf = new Map<string, string>();

beforeAll(async () => {
  temp = await createTempVault();
  files = tempDir();
  const accounts = new AccountService(temp.vault);
  for (const seed of [...Object.values(SEEDS).flat(), ...MALFORMED.map((m) => m.seed)]) {
    if (accountOf.has(seed.file)) continue;
    const account = accounts.create({
      name: `Fuzz ${seed.file}`,
      currency: seed.currency,
      kind: seed.kind ?? 'checking',
    });
    accountOf.set(seed.file, account.id);
  }
});
afterAll(() => {
  temp.cleanup();
  files.cleanup();
});

/** Imports bytes; returns the error code, or null when it imported. Fails on any other error. */
async function importBytes(
  format: StatementFormat,
  seed: Seed,
  bytes: Buffer,
): Promise<{ code: string; details: unknown } | null> {
  const file = files.file(`f${++fileNo}`, bytes);
  const before = importStateCounts(temp.vault);
  try {
    await importStatementFile(temp.vault, {
      file,
      format,
      account: accountOf.get(seed.file) ?? '',
    });
    return null;
  } catch (err) {
    if (!isCofferError(err) || !IMPORT_CODES.has(err.code)) throw err;
    // Refused: nothing written, no category, no profile.
    expect(importStateCounts(temp.vault)).toEqual(before);
    return { code: err.code, details: err.details };
  } finally {
    fs.rmSync(file);
  }
}

describe('fuzzed statement files through importStatementFile', () => {
  it.each(Object.entries(SEEDS) as [StatementFormat, Seed[]][])(
    '%s: a mutated fixture imports, or is refused with an import code writing nothing',
    async (format, seeds) => {
      const originals = new Map(seeds.map((s) => [s.file, fs.readFileSync(fixturePath(s.file))]));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...seeds), mutations, async (seed, list) => {
          await importBytes(
            format,
            seed,
            mutate(originals.get(seed.file) ?? Buffer.alloc(0), list),
          );
        }),
        { seed: 7_0007, numRuns: 60 },
      );
    },
  );

  it.each(MALFORMED.map((m) => [m.format, m.seed.file, m] as const))(
    '%s (%s): a malformed row inserted at line N is refused as line N, writing nothing',
    async (format, _file, malformed) => {
      const text = fs.readFileSync(fixturePath(malformed.seed.file), 'latin1');
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const lines = text.split(eol);
      const points = lines.flatMap((line, i) => (malformed.before(line, i) ? [i] : []));
      expect(points.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...points), async (at) => {
          const mutated = [...lines.slice(0, at), ...malformed.row, ...lines.slice(at)].join(eol);
          const refused = await importBytes(format, malformed.seed, Buffer.from(mutated, 'latin1'));
          expect(refused).toMatchObject({ code: 'IMPORT_PARSE_ERROR', details: { line: at + 1 } });
        }),
        { seed: 17, numRuns: Math.min(points.length * 3, 30) },
      );
    },
  );
});
