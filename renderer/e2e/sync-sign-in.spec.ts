// Sync from the Sync screen against the real server: the server's certificate checked and
// trusted, an account created with its Recovery Key shown once, then a second device (its
// own vault, its own browser context) signed in with the password, the authenticator code
// and that Recovery Key, every wrong answer shown by its field.
import { readFile } from 'node:fs/promises';

import type { Page } from '@playwright/test';

import {
  formatAccountRecoveryKey,
  generateAccountRecoverySecret,
} from '../../electron/core/sync/crypto/account-recovery-key.js';
import { enableTotp } from '../../electron/core/sync/client/testing/totp-account.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { SyncPage } from './pages/sync.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/sync-server.fixture.js';
import { withDevice } from './support/web-mode.fixture.js';

const PASSWORD = 'quartz meadow lantern 71';
const WRONG_PASSWORD = 'not the password 99';
/** 56 Crockford base32 characters in 14 groups of 4. */
const ACCOUNT_RECOVERY_KEY = /^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/;

/**
 * A screenshot only, for a state whose widgets axe has already checked in another state
 * of this spec (axe takes seconds a run on a loaded machine).
 */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

test('sign-up shows the Recovery Key once; a second device signs in with password, code and key', async ({
  page,
  browser,
  webMode,
  syncServer,
}) => {
  // Two devices' vaults and web servers, two browsers and a sync server in one story: on a
  // busy two-core machine it has taken close to the default minute.
  test.setTimeout(150_000);
  const address = `ana-${process.pid}-${Date.now()}@example.test`;
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const sync = new SyncPage(page);
  await sync.open();
  await screenshot(page, 'sync-server');

  // The certificate's fingerprint in full, as the server printed it, before anything is sent.
  await sync.checkServer(syncServer.url);
  const groups = syncServer.fingerprint
    .replace(/^sha256:/, '')
    .toUpperCase()
    .match(/.{4}/g);
  expect(groups).toHaveLength(16);
  await expect(sync.fingerprint()).toContainText((groups ?? []).join(' '));
  await checkScreen(page, 'sync-certificate');
  await sync.trustCertificate();

  // The two passwords must match before anything reaches the server.
  await sync.createAccount(address, PASSWORD, `${PASSWORD}x`);
  const confirm = sync.field('Create an account', 'Confirm password');
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).toHaveAccessibleDescription('The two passwords differ');
  await sync.createAccount(address, PASSWORD);

  await expect(sync.recoveryKey()).toBeVisible();
  const recoveryKey = ((await sync.recoveryKey().textContent()) ?? '').trim();
  expect(recoveryKey).toMatch(ACCOUNT_RECOVERY_KEY);
  await expect(sync.continueButton()).toBeDisabled();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('coffer-account-recovery-key.txt');
  expect(await readFile(await download.path(), 'utf8')).toContain(`\n${recoveryKey}\n`);
  await checkScreen(page, 'sync-recovery-key');
  // Printed, the page holds the key and nothing else: no navigation, no other card.
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(sync.recoveryKey()).toBeVisible();
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(sync.continueButton()).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Sync', level: 1 })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await sync.confirmSaved();
  await sync.continueButton().click();

  await expect(sync.signedIn()).toContainText(address);
  await expect(sync.signedIn()).toContainText(syncServer.url);
  await expect(sync.status()).toContainText('No workspace yet');
  await checkScreen(page, 'sync-signed-in');
  // Shown once: the key is gone from the screen and does not come back.
  await expect(sync.recoveryKey()).toHaveCount(0);
  await page.reload();
  await sync.open();
  await expect(sync.signedIn()).toBeVisible();
  await expect(page.getByText(recoveryKey)).toHaveCount(0);

  // The account's owner turns on an authenticator app (through the server's API).
  const totp = await enableTotp(syncServer, address, PASSWORD);

  await withDevice(browser, async (second) => {
    await new FirstRunPage(second).createVault();
    const other = new SyncPage(second);
    await other.open();
    // Nothing listens on port 1: the check fails by the address, which stays as typed.
    const closed = new URL(syncServer.url);
    closed.port = '1';
    await other.checkServer(closed.origin);
    await expect(other.serverAddress()).toHaveAccessibleDescription(/SERVER_UNREACHABLE/);
    await expect(other.serverAddress()).toHaveValue(closed.origin);
    await other.checkServer(syncServer.url);
    await other.trustCertificate();

    // A wrong password: refused by the password field, the typed email kept.
    await other.signIn(address, WRONG_PASSWORD);
    const password = other.field('Sign in', 'Password');
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(/INVALID_CREDENTIALS/);
    await expect(
      second.getByRole('form', { name: 'Sign in' }).getByRole('textbox', { name: 'Email' }),
    ).toHaveValue(address);
    await screenshot(second, 'sync-sign-in-wrong-password');

    await other.signIn(address, PASSWORD);
    await expect(other.secondFactor()).toBeVisible();
    // The methods the account offers; the authenticator app is the first.
    await expect(second.getByRole('radio', { name: 'Authenticator app' })).toBeChecked();
    await expect(second.getByRole('radio', { name: 'Backup code' })).toBeVisible();

    const near = new Set(totp.codesNearNow());
    let wrongCode = '000000';
    for (let n = 0; near.has(wrongCode); n += 1) wrongCode = String(n).padStart(6, '0');
    await other.enterCode(wrongCode);
    await expect(other.codeField()).toHaveAttribute('aria-invalid', 'true');
    await expect(other.codeField()).toHaveAccessibleDescription(/INVALID_CODE/);
    await expect(other.codeField()).toHaveValue(wrongCode);
    await checkScreen(second, 'sync-second-factor-wrong-code');

    await other.enterCode(await totp.nextCode());
    await expect(other.recoveryKeyField()).toBeVisible();

    // One character mistyped: the key's own check catches it, by the field.
    const mistyped = [...recoveryKey]
      .map((c, i) => (i === 0 ? (c === 'A' ? 'B' : 'A') : c))
      .join('');
    await other.enterRecoveryKey(mistyped);
    await expect(other.recoveryKeyField()).toHaveAccessibleDescription(/RECOVERY_KEY_MALFORMED/);
    // A well-formed key that is not this account's: refused by the key field, kept there.
    let wrongKey = formatAccountRecoveryKey(generateAccountRecoverySecret());
    while (wrongKey === recoveryKey) {
      wrongKey = formatAccountRecoveryKey(generateAccountRecoverySecret());
    }
    await other.enterRecoveryKey(wrongKey);
    await expect(other.recoveryKeyField()).toHaveAttribute('aria-invalid', 'true');
    await expect(other.recoveryKeyField()).toHaveAccessibleDescription(/RECOVERY_KEY_WRONG/);
    await expect(other.recoveryKeyField()).toHaveValue(wrongKey);
    await checkScreen(second, 'sync-recovery-key-wrong');

    await other.enterRecoveryKey(recoveryKey);
    await expect(other.signedIn()).toContainText(address);
    await expect(other.status()).toContainText('No workspace yet');
    await screenshot(second, 'sync-second-device-signed-in');

    await other.signedIn().getByRole('button', { name: 'Sign out' }).click();
    // Signed out: the screen offers to sign in again to the server just trusted.
    await expect(other.signedIn()).toHaveCount(0);
    await expect(second.getByRole('tab', { name: 'Sign in' })).toBeVisible();
  });
});
