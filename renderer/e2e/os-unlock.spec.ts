// Touch ID and Windows Hello belong to the desktop app's main process: a browser tab in
// web mode has no OS check, so neither Settings nor the lock screen offers one there.
import { AppNav } from './pages/app-nav.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { LockPage } from './pages/lock.page.js';
import { SettingsPage } from './pages/settings.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

const PASSCODE = 'amber-harbour-7';
const OS_CHECK = /Touch ID|Windows Hello/;

test('web mode offers no OS unlock: the passcode alone opens the lock', async ({
  page,
  webMode,
}) => {
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const nav = new AppNav(page);
  await nav.open('Settings');
  const settings = new SettingsPage(page);
  await settings.turnOnAppLock(PASSCODE, 5);

  const lockSection = settings.appLockSection();
  await expect(lockSection.getByRole('button', { name: 'Lock now' })).toBeVisible();
  await expect(settings.osUnlockSetting()).toHaveCount(0);
  await expect(lockSection.getByText(OS_CHECK)).toHaveCount(0);
  await checkScreen(page, 'settings-app-lock-on');

  await settings.lockNow();
  const lock = new LockPage(page);
  await lock.expectShown();
  await expect(lock.passcodeField()).toBeVisible();
  await expect(page.getByRole('button', { name: OS_CHECK })).toHaveCount(0);
  await expect(page.getByText(OS_CHECK)).toHaveCount(0);
  await checkScreen(page, 'lock-web');

  await lock.unlock(PASSCODE);
  await expect(nav.link('Settings')).toBeVisible();
});
