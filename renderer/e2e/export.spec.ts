// Export and backup in a real browser: the JSON export and an encrypted backup arrive as
// downloads, the export readable, the backup not.
import { readFile } from 'node:fs/promises';

import { ExportPage } from './pages/export.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { NewAccountForm } from './pages/new-account-form.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

test('the JSON export and an encrypted backup download from the export screen', async ({
  page,
  webMode,
}) => {
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  await new NewAccountForm(page).add('Household Zebra', 'EUR');
  const screen = new ExportPage(page);
  await screen.open();

  const json = await screen.download('Export as JSON');
  expect(json.suggestedFilename()).toMatch(/^coffer-export-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile(await json.path(), 'utf8');
  expect((JSON.parse(text) as { format: unknown }).format).toEqual(expect.any(String));
  expect(text).toContain('Household Zebra');

  const backup = await screen.download('Download a backup');
  expect(backup.suggestedFilename()).toMatch(/\.cofferbackup$/);
  const bytes = await readFile(await backup.path());
  expect(bytes.length).toBeGreaterThan(1024);
  expect(bytes.includes(Buffer.from('Household Zebra'))).toBe(false);
  await expect(page.getByRole('status').first()).toContainText('coffer-backup-');
  await checkScreen(page, 'export');
});
