// Payee rules made in the window: a rule added on its screen renames the bank's payee in
// the import's preview and in what the import stores; a rule that could stall an import
// is refused with the core's reason.
import { FirstRunPage } from './pages/first-run.page.js';
import { ImportPage } from './pages/import.page.js';
import { NewAccountForm } from './pages/new-account-form.page.js';
import { RulesPage } from './pages/rules.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

const STATEMENT = {
  name: 'march.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(
    [
      'Date,Amount,Description',
      '2025-03-02,-23.99,AMZN MKTP US*2K4',
      '2025-03-05,-4.50,BLUE BOTTLE 0042',
      '',
    ].join('\n'),
    'utf8',
  ),
};

test('a rule made on its screen renames the payee in the import preview', async ({
  page,
  webMode,
}) => {
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  await new NewAccountForm(page).add('Checking', 'USD');

  const rules = new RulesPage(page);
  await rules.open();
  await rules.add({ when: 'matches the pattern', text: '(a+)+$', renameTo: 'Evil' });
  await expect(rules.error()).toContainText('INVALID_INPUT');
  await rules.add({ when: 'contains', text: 'AMZN', renameTo: 'Amazon' });
  await expect(rules.rows().filter({ hasText: 'AMZN' })).toContainText('Amazon');
  await checkScreen(page, 'rules');

  const screen = new ImportPage(page);
  await screen.open();
  await screen.pick(STATEMENT);
  await expect
    .poll(async () => (await screen.previewRows()).map((r) => r[3]))
    .toEqual(['Amazon', 'BLUE BOTTLE 0042']);
});
