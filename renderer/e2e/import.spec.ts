// Import in a real browser against web mode: a CSV whose payee column is remapped, the
// preview re-read with it, imported with a summary, then the same file again adding
// nothing; a file that leaves its date order open asks for it; a wrong guess (the sign of
// a card file) changed on the screen; a fee column asked about, then changed; and an OFX
// statement.
import path from 'node:path';

import { FirstRunPage } from './pages/first-run.page.js';
import { ImportPage } from './pages/import.page.js';
import { NewAccountForm } from './pages/new-account-form.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

const OFX_FIXTURE = path.resolve(
  import.meta.dirname,
  '../../electron/core/import/fixtures/ofx1-checking.ofx',
);

const csv = (lines: string[]) => ({
  name: 'january.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\n')}\n`, 'utf8'),
});

const STATEMENT = csv([
  'Date,Amount,Description,Memo',
  '2025-01-02,-4.50,BLUE BOTTLE 0042,Coffee with Ana',
  '2025-01-09,-82.17,CITY WTR 778,Water bill',
  '2025-01-20,2500.00,ACME PAYROLL,January salary',
]);

test.beforeEach(async ({ page, webMode }) => {
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  await new NewAccountForm(page).add('Checking', 'USD');
});

test('a CSV with its payee column remapped: preview, import, summary, and no double on re-import', async ({
  page,
}) => {
  const screen = new ImportPage(page);
  await screen.open();
  await screen.pick(STATEMENT);
  await expect(page.getByTestId('preview-counts')).toContainText('Would import 3 of 3 row(s)');
  expect((await screen.previewRows()).map((r) => r[3])).toEqual([
    'BLUE BOTTLE 0042',
    'CITY WTR 778',
    'ACME PAYROLL',
  ]);
  await expect(page.getByTestId('preview-columns')).toContainText('Memo');

  await screen.mapColumn('Payee', '4: Memo');
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[3]))
    .toEqual(['Coffee with Ana', 'Water bill', 'January salary']);
  // The bank's description is not lost: it is kept in the notes.
  expect((await screen.previewRows())[0]?.[5]).toContain('BLUE BOTTLE 0042');
  expect((await screen.previewRows()).map((r) => r[2])).toEqual(['-$4.50', '-$82.17', '$2,500.00']);
  await checkScreen(page, 'import-preview');

  await screen.importRows();
  await expect(screen.summary('added')).toHaveText('3');
  await expect(screen.summary('duplicates')).toHaveText('0');
  await expect(screen.summary('profile')).toBeVisible();
  await checkScreen(page, 'import-summary');

  // Next month's file from the same bank is read with the saved mapping; these rows are in.
  await screen.importAnother();
  await screen.pick(STATEMENT);
  await expect(
    page.getByText('from the profile saved for this bank’s layout').first(),
  ).toBeVisible();
  expect((await screen.previewRows()).map((r) => r[6])).toEqual([
    'Already imported',
    'Already imported',
    'Already imported',
  ]);
  await screen.importRows();
  await expect(screen.summary('added')).toHaveText('0');
  await expect(screen.summary('duplicates')).toHaveText('3');
});

test('a file whose dates read both ways asks which, and the preview follows the answer', async ({
  page,
}) => {
  const screen = new ImportPage(page);
  await screen.open();
  await screen.pick(csv(['Date,Amount,Payee', '01/02/2025,-1.00,A', '03/04/2025,-2.00,B']));
  await expect(page.getByRole('heading', { name: /choose the date format/ })).toBeVisible();
  await checkScreen(page, 'import-choice');
  await screen.answerChoice('DD/MM/YYYY');
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[1]))
    .toEqual(['Feb 1, 2025', 'Apr 3, 2025']);
});

test('a guess that is wrong is changed on the screen: a card file read with its sign reversed', async ({
  page,
}) => {
  const screen = new ImportPage(page);
  await screen.open();
  // A card issuer's export: purchases positive, the payment negative. Into a checking
  // account nothing says it is a card, so the file is read as written.
  await screen.pick(
    csv([
      'Date,Description,Amount',
      '2025-01-13,GROCERY STORE,54.20',
      '2025-01-15,ONLINE PAYMENT - THANK YOU,-500.00',
      '2025-01-17,GAS STATION,40.00',
    ]),
  );
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[2]))
    .toEqual(['$54.20', '-$500.00', '$40.00']);
  expect(await screen.setting('sign rule')).toEqual([
    'as-is',
    'detected from the file',
    '“How to read the file” below, or --sign',
  ]);
  await checkScreen(page, 'import-reading');

  await screen.changeReading('Sign rule', 'Reversed (purchases are written as positive)');
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[2]))
    .toEqual(['-$54.20', '$500.00', '-$40.00']);
  expect((await screen.setting('sign rule')).slice(0, 2)).toEqual(['negate', 'chosen by you']);
  await screen.importRows();
  await expect(screen.summary('added')).toHaveText('3');
});

test('a fee beside the amount: asked when no balance shows how it counts, then changed', async ({
  page,
}) => {
  const screen = new ImportPage(page);
  await screen.open();
  await screen.pick(
    csv([
      'Date,Description,Amount,Fee',
      '2025-01-07,Exchanged to EUR,-100.00,0.50',
      '2025-01-10,Cash at Bank St,-50.00,1.25',
    ]),
  );
  await expect(page.getByRole('heading', { name: /choose the fee/ })).toBeVisible();
  await checkScreen(page, 'import-fee-choice');
  await screen.answerChoice('Taken from the amount (fees written as a positive cost)');
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[2]))
    .toEqual(['-$100.50', '-$51.25']);
  expect((await screen.setting('fee')).slice(0, 2)).toEqual([
    'Fee: taken from the amount',
    'chosen by you',
  ]);
  // The fee is not lost from the row either way: the notes keep it.
  expect((await screen.previewRows())[0]?.[5]).toContain('Fee: 0.50');
  await checkScreen(page, 'import-fee-reading');

  await screen.changeReading('Fee', 'Already in the amount');
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[2]))
    .toEqual(['-$100.00', '-$50.00']);
  await screen.importRows();
  await expect(screen.summary('added')).toHaveText('2');
});

test('an OFX statement imports into the account chosen, which remembers its bank id', async ({
  page,
}) => {
  const screen = new ImportPage(page);
  await screen.open();
  await screen.pick(OFX_FIXTURE);
  await expect(page.getByRole('button', { name: /Format/ })).toContainText('OFX / QFX');
  await expect(page.getByTestId('preview-counts')).toContainText('into Checking');
  const rows = await screen.previewRows();
  expect(rows.length).toBeGreaterThan(0);
  await screen.importRows();
  await expect(screen.summary('added')).toHaveText(String(rows.length));
  await expect(page.getByText('Remembered bank account 000123456789')).toBeVisible();
  await checkScreen(page, 'import-ofx');
});
