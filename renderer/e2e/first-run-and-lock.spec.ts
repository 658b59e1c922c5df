// The first minutes of a new user: a vault made in the real keychain, its Recovery Key
// saved before anything else, the profile, then the app lock engaged and released.
import { AccountsPage } from './pages/accounts.page.js';
import { AppNav } from './pages/app-nav.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { LockPage } from './pages/lock.page.js';
import { SettingsPage } from './pages/settings.page.js';
import { writePng } from './support/invoicing-files.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

const PASSCODE = 'amber-harbour-7';
const WRONG_PASSCODE = 'not-the-passcode';

test('first run makes a vault, shows its Recovery Key once, and opens the app', async ({
  page,
  webMode,
}) => {
  await page.goto(webMode.url);
  const firstRun = new FirstRunPage(page);
  await firstRun.expectShown();
  await checkScreen(page, 'first-run');

  await page.getByRole('button', { name: 'Create vault' }).click();
  const key = page.getByTestId('recovery-key');
  await expect(key).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7,}$/);
  await expect(page.getByRole('button', { name: 'Continue to Coffer' })).toBeDisabled();
  await checkScreen(page, 'recovery-key');
  await page.getByText('I have saved my Recovery Key somewhere safe').click();
  await page.getByRole('button', { name: 'Continue to Coffer' }).click();

  await expect(new AppNav(page).link('Accounts')).toBeVisible();
  await new AppNav(page).open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.submit('Girokonto', 'EUR', '1.234,50');
  await expect(accounts.fieldError()).toContainText('ambiguous');
  await accounts.addAccount('Girokonto', 'EUR', '1234.50');
  await expect(accounts.row('Girokonto')).toContainText('€1,234.50');
  await checkScreen(page, 'accounts');

  // The Recovery Key is not shown again, not even after a reload.
  await page.reload();
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
});

test('the app lock hides everything until the passcode is given', async ({
  page,
  webMode,
}, testInfo) => {
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const nav = new AppNav(page);
  await nav.open('Settings');
  const settings = new SettingsPage(page);

  await settings.saveProfile({ name: 'Zoë Ångström Design', email: 'not an email' });
  await expect(settings.fieldError('Email')).toHaveAttribute('aria-invalid', 'true');
  await settings.saveProfile({ name: 'Zoë Ångström Design', email: 'zoe@example.com' });
  await settings.expectProfileSaved();
  // The logo goes into the vault and comes back as the file the core hands over.
  await settings.chooseLogo(writePng(testInfo.outputPath('logo.png'), 120, 48));
  await expect(settings.logoPreview()).toBeVisible();
  expect(await settings.logoPreview().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(
    120,
  );
  await checkScreen(page, 'settings');

  await settings.turnOnAppLock(PASSCODE, 5);
  await settings.lockNow();
  const lock = new LockPage(page);
  await lock.expectShown();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(page.getByText('Zoë Ångström Design')).toHaveCount(0);
  await checkScreen(page, 'lock');

  // A reload does not get past the lock.
  await page.reload();
  await lock.expectShown();

  await lock.unlock(WRONG_PASSCODE);
  await expect(lock.error()).toContainText('PASSCODE_WRONG');
  await lock.unlock(PASSCODE);
  await expect(nav.link('Settings')).toBeVisible();
});
