import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import { runCliProcess } from './testing/run-cli-process.js';
import { CSV_DATE_FORMATS, CSV_FIELDS } from '../core/import/index.js';

/**
 * Statement import through the real `coffer` process and keychain: the dry run shows the
 * reading and the rows as they would be stored and writes nothing, the import says which
 * column went where, a confirmed reading is reused for next month's file, and possible
 * duplicates wait in `review`.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-import-');
const OFX = fileURLToPath(new URL('../core/import/fixtures/ofx1-checking.ofx', import.meta.url));

const JANUARY = [
  'Date,Description,Amount,Reference',
  '03/01/2025,TESCO STORES,-23.40,REF-1',
  '04/01/2025,FREELANCE CLIENT,1250.00,REF-2',
  '12/01/2025,CITY WATER,-82.17,REF-3',
  '',
].join('\n');
const FEBRUARY = [
  'Date,Description,Amount,Reference',
  '03/02/2025,TESCO STORES,-12.00,REF-4',
  '05/02/2025,BOOKSHOP,-9.99,REF-5',
  '',
].join('\n');

describe('coffer import csv / review (child process, real keychain)', { timeout: 300_000 }, () => {
  it('dry run, import, profile reuse and review, end to end', async () => {
    const vault = scratch.path('vault');
    const created = await cliOk(vault, ['init']);
    scratch.vaultIds.push(String(created['vaultId']));
    await cliOk(vault, ['account', 'add', '--name', 'Current', '--currency', 'GBP']);
    const jan = scratch.path('jan.csv');
    const feb = scratch.path('feb.csv');
    writeFileSync(jan, JANUARY);
    writeFileSync(feb, FEBRUARY);
    const csvArgs = (file: string, ...more: string[]) => [
      'import',
      'csv',
      file,
      '--account',
      'Current',
      ...more,
    ];

    // The dates fit DD/MM and MM/DD: the import asks rather than guessing.
    const ambiguous = await cliFailed(vault, csvArgs(jan));
    expect(ambiguous.error.message).toMatch(/--date-format/);

    const dry = await runCliProcess([
      '--vault',
      vault,
      ...csvArgs(
        jan,
        '--dry-run',
        '--date-format',
        'DD/MM/YYYY',
        '--map',
        'date=Date,amount=Amount,payee=Description',
      ),
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(dry.stdout).toContain('date format: DD/MM/YYYY (from --date-format)');
    expect(dry.stdout).toMatch(/delimiter: , \(detected; override with --delimiter\)/);
    expect(dry.stdout).toMatch(/sign rule: as-is \(detected; override with --sign\)/);
    expect(dry.stdout).toContain('Description → payee');
    expect(dry.stdout).toMatch(/line 2 {2}2025-01-03 {2}-£23\.40 {2}TESCO STORES {2}new/);
    expect(dry.stdout).toContain('Would import 3 of 3 row(s) into Current');
    expect((await cliOk(vault, ['status']))['counts']).toMatchObject({ transactions: 0 });

    const dryJson = await cliOk(vault, csvArgs(jan, '--dry-run', '--date-format', 'DD/MM/YYYY'));
    expect(dryJson).toMatchObject({ dryRun: true, created: 3, profile: null });
    expect((dryJson['firstRows'] as unknown[]).length).toBe(3);
    expect((dryJson['firstRows'] as { importKey: string }[])[0]?.importKey).toMatch(
      /^k:[A-Za-z0-9_-]{22}$/,
    );

    const human = await runCliProcess([
      '--vault',
      vault,
      ...csvArgs(jan, '--date-format', 'DD/MM/YYYY'),
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(
      'Imported 3 of 3 row(s) into Current; 0 already imported; 0 flagged for review.',
    );
    expect(human.stdout).toContain('Date → date');
    expect(human.stdout).toContain('Amount → amount');

    // Next month's file from the same bank: no flags, the saved reading is used.
    await cliOk(vault, [
      'tx',
      'add',
      '--account',
      'Current',
      '--amount',
      '-9.99',
      '--date',
      '2025-02-04',
      '--payee',
      'Books',
    ]);
    const second = await cliOk(vault, csvArgs(feb));
    expect(second).toMatchObject({ created: 2, flaggedForReview: 1 });
    expect(second['settings']).toContainEqual(
      expect.objectContaining({
        name: 'date format',
        value: 'DD/MM/YYYY',
        source: 'profile',
        flag: '--date-format',
      }),
    );

    const listed = (await cliOk(vault, ['review', 'list'])) as {
      reviews: { id: string; detail: string; transaction: { payee: string } }[];
    };
    expect(listed.reviews).toHaveLength(1);
    expect(listed.reviews[0]?.transaction.payee).toBe('BOOKSHOP');
    expect(listed.reviews[0]?.detail).toMatch(/2025-02-04 transaction "Books".*entered by hand/);
    const usage = await runCliProcess([
      '--vault',
      vault,
      'review',
      'resolve',
      listed.reviews[0]?.id ?? '',
    ]);
    expect(usage.code).toBe(2);
    await cliOk(vault, ['review', 'resolve', listed.reviews[0]?.id ?? '', '--delete']);
    expect(((await cliOk(vault, ['review', 'list'])) as { reviews: unknown[] }).reviews).toEqual(
      [],
    );
    expect((await cliOk(vault, ['status']))['counts']).toMatchObject({ transactions: 5 });

    // Importing February again adds nothing, the deleted duplicate included.
    expect(await cliOk(vault, csvArgs(feb))).toMatchObject({ created: 0, skippedAsImported: 2 });
  });

  it('OFX: --ofx-account picks the statement and remembers it, so the next import needs no --account', async () => {
    const vault = scratch.path('ofx-vault');
    const created = await cliOk(vault, ['init']);
    scratch.vaultIds.push(String(created['vaultId']));
    await cliOk(vault, ['account', 'add', '--name', 'Checking', '--currency', 'USD']);

    const noAccount = await cliFailed(vault, ['import', 'ofx', OFX]);
    expect(noAccount.error.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(noAccount.error.message).toContain('000123456789');
    const wrongId = await cliFailed(vault, [
      'import',
      'ofx',
      OFX,
      '--account',
      'Checking',
      '--ofx-account',
      '999',
    ]);
    expect(wrongId.error.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect((await cliOk(vault, ['status']))['counts']).toMatchObject({ transactions: 0 });

    const first = await cliOk(vault, [
      'import',
      'ofx',
      OFX,
      '--account',
      'Checking',
      '--ofx-account',
      '000123456789',
    ]);
    expect(first).toMatchObject({ remembered: [{ bankAccountId: '000123456789' }] });
    expect(first['created']).toBeGreaterThan(0);
    const again = await cliOk(vault, ['import', 'ofx', OFX]);
    expect(again).toMatchObject({ created: 0, skippedAsImported: first['created'] });
    expect((again['statements'] as { accountName: string }[])[0]?.accountName).toBe('Checking');
  });

  it('import --help lists the CSV field names and the date formats', async () => {
    const help = await runCliProcess(['import', '--help']);
    expect(help.code).toBe(0);
    for (const field of CSV_FIELDS) {
      expect(help.stdout).toContain(`${field.field} (${field.description})`);
    }
    for (const format of CSV_DATE_FORMATS) expect(help.stdout).toContain(format);
    expect(help.stdout).toContain('23-Jan-15');
    expect(help.stdout).toContain('two-digit years');
    expect(help.stdout).toContain('--only-currency CODE');
    expect(help.stdout).toContain('--statement-account ID');
    expect(help.stdout).toContain('import ofx FILE');
    expect(help.stdout).toContain('[--ofx-account ID]');
  });
});
