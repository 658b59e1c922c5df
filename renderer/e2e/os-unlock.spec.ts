// Touch ID and Windows Hello belong to the desktop app's main process: a browser tab in
// web mode has no OS check, so neither Settings nor the lock screen offers one there.
// Where main reports one (here a stand-in desktop bridge over web mode's socket), both
// offer it, and a page that claims the check passed still unlocks nothing.
import { AppNav } from './pages/app-nav.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { LockPage } from './pages/lock.page.js';
import { SettingsPage } from './pages/settings.page.js';
import { installDesktopBridge } from './support/desktop-bridge.js';
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

test('where main reports Touch ID, Settings and the lock offer it, and a page saying "verified" unlocks nothing', async ({
  page,
  webMode,
}) => {
  await installDesktopBridge(page);
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const nav = new AppNav(page);
  await nav.open('Settings');
  const settings = new SettingsPage(page);
  await settings.turnOnAppLock(PASSCODE, 5);

  // Turning it on takes the passcode, checked by the core.
  await settings.turnOnOsUnlock('Touch ID', `${PASSCODE}-wrong`);
  await expect(settings.osUnlockSetting().getByRole('alert')).toContainText('PASSCODE_WRONG');
  await settings.turnOnOsUnlock('Touch ID', PASSCODE);
  await expect(settings.osUnlockSetting()).toContainText('On: Touch ID unlocks Coffer');
  await checkScreen(page, 'settings-os-unlock');

  await settings.lockNow();
  const lock = new LockPage(page);
  await lock.expectShown();
  const touchId = page.getByRole('button', { name: 'Unlock with Touch ID' });
  await expect(touchId).toBeVisible();
  await checkScreen(page, 'lock-os-unlock');

  // The page's own osCheck claims success; the core was never told, so it stays locked.
  await touchId.click();
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { forgedOsUnlocks: number }).forgedOsUnlocks),
    )
    .toBe(1);
  await expect(touchId).toBeEnabled();
  await page.reload();
  await lock.expectShown();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  await lock.unlock(PASSCODE);
  await expect(nav.link('Settings')).toBeVisible();
});
