// Passkeys from the app against the real server, with Chromium's virtual authenticator as
// the device: sign up, add a passkey (the step-up dialog asks first), rename it, sign out,
// then sign in again choosing "Use a passkey". A cancelled ceremony says so and the
// sign-in goes on with a backup code; finally the passkey is removed, its step-up answered
// with the passkey itself (a cancelled ceremony there says so and elevates nothing).
import type { CDPSession, Page } from '@playwright/test';

import {
  startSyncServerProcess,
  type SyncServerProcess,
} from '../../electron/core/sync/client/testing/sync-server-process.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { PasskeysPage } from './pages/passkeys.page.js';
import { SyncPage } from './pages/sync.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

const PASSWORD = 'quartz meadow lantern 71';

/** The page's own authenticator: CTAP2, built in, user verification always given. */
async function addVirtualAuthenticator(
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

test('a passkey is added, renamed, signs in as the second factor, and is removed', async ({
  page,
  webMode,
}) => {
  // A server of its own (it must allow this web mode's origin), sign-up, two sign-ins.
  test.setTimeout(150_000);
  const server: SyncServerProcess = await startSyncServerProcess(90_000, undefined, [
    '--webauthn-origin',
    webMode.origin,
  ]);
  try {
    expect(new URL(webMode.url).hostname).toBe('localhost');
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    const address = `pia-${process.pid}-${Date.now()}@example.test`;

    await page.goto(webMode.url);
    await new FirstRunPage(page).createVault();
    const sync = new SyncPage(page);
    const connect = async () => {
      await sync.open();
      await sync.checkServer(server.url);
      await sync.trustCertificate();
    };
    await connect();
    await sync.createAccount(address, PASSWORD);
    await expect(sync.recoveryKey()).toBeVisible();
    const recoveryKey = ((await sync.recoveryKey().textContent()) ?? '').trim();
    await sync.confirmSaved();
    await sync.continueButton().click();
    await expect(sync.signedIn()).toContainText(address);

    // Add one: the server wants a step-up first (the password; no second factor yet).
    const passkeys = new PasskeysPage(page);
    await passkeys.open();
    await expect(passkeys.section()).toContainText('No passkeys yet.');
    await passkeys.add('Work laptop');
    await expect(passkeys.stepUpDialog()).toBeVisible();
    await passkeys.confirmStepUp(PASSWORD);
    await expect(passkeys.addStatus()).toHaveText('Passkey “Work laptop” added.');
    await expect(passkeys.row('Work laptop')).toContainText('Never');
    // The first second factor brings ten backup codes, shown this once.
    await expect(passkeys.backupCodes()).toHaveCount(10);
    const backupCodes = (await passkeys.backupCodes().allTextContents()).map((c) => c.trim());
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.rpId).toBe('localhost');

    await passkeys.rename('Work laptop', 'Home laptop');
    await expect(passkeys.row('Home laptop')).toBeVisible();
    await expect(passkeys.row('Work laptop')).toHaveCount(0);
    await checkScreen(page, 'passkeys-added');

    await sync.open();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await connect();
    await sync.signIn(address, PASSWORD);
    await expect(sync.secondFactor()).toBeVisible();
    const usePasskey = sync.secondFactor().getByRole('button', { name: 'Use a passkey' });
    await expect(usePasskey).toBeVisible();

    // With the key gone from the device, the browser gives up: said plainly, step kept.
    const [credential] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId }))
      .credentials;
    if (credential === undefined) throw new Error('the virtual authenticator lost its passkey');
    await cdp.send('WebAuthn.removeCredential', {
      authenticatorId,
      credentialId: credential.credentialId,
    });
    await usePasskey.click();
    await expect(sync.secondFactor().getByRole('alert')).toContainText(
      'The passkey request was cancelled or timed out',
    );
    await checkScreen(page, 'passkeys-sign-in-cancelled');
    // ...and the sign-in goes on with another factor.
    await sync.enterCode(backupCodes[0] ?? '', 'Backup code');
    await expect(sync.recoveryKeyField()).toBeVisible();
    await page
      .getByRole('form', { name: 'Account Recovery Key' })
      .getByRole('button', { name: 'Cancel sign-in' })
      .click();

    // The key back on the device: "Use a passkey" gets through.
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
    await sync.signIn(address, PASSWORD);
    await expect(usePasskey).toBeVisible();
    await screenshot(page, 'passkeys-sign-in');
    await usePasskey.click();
    await expect(sync.recoveryKeyField()).toBeVisible();
    await sync.enterRecoveryKey(recoveryKey);
    await expect(sync.signedIn()).toContainText(address);

    // Remove it: a new session, so the step-up asks for the password and a second factor,
    // here the passkey. With the key off the device the browser gives up: said, not elevated.
    await passkeys.open();
    await expect(passkeys.row('Home laptop')).not.toContainText('Never');
    await passkeys.remove('Home laptop');
    await expect(passkeys.stepUpDialog()).toBeVisible();
    // Taken off as it is now: its signature counter moved on at the sign-in above.
    const [used] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    if (used === undefined) throw new Error('the virtual authenticator lost its passkey');
    await cdp.send('WebAuthn.removeCredential', {
      authenticatorId,
      credentialId: used.credentialId,
    });
    await passkeys.stepUpWithPasskey(PASSWORD);
    await expect(passkeys.stepUpDialog().getByRole('alert')).toContainText(
      'The passkey request was cancelled or timed out',
    );
    await checkScreen(page, 'passkeys-step-up-cancelled');
    await expect(passkeys.stepUpDialog()).toBeVisible();
    // The key back: the passkey confirms it is the owner, and the removal goes through.
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: used });
    await passkeys.stepUpWithPasskey(PASSWORD);
    await expect(passkeys.stepUpDialog()).toHaveCount(0);
    await expect(passkeys.section()).toContainText('No passkeys yet.');
    await checkScreen(page, 'passkeys-removed');
  } finally {
    await server.stop();
  }
});
