// Settings → Security against the real sync server: an authenticator app set up from the
// key the screen shows, backup codes shown once, a sign-in with the app's code; the
// password changed with the step-up dialog asked in place, a session signed out, the
// sign-in history; and email codes, down to a sign-in with a code read from the server's
// outbox.
import { readFile } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';

import type { Page } from '@playwright/test';

import { parseFingerprint } from '../../electron/core/sync/client/pinned-agent.js';
import { SyncHttpClient } from '../../electron/core/sync/client/sync-http.client.js';
import { latestMailedCode } from '../../electron/core/sync/client/testing/server-outbox.js';
import { totpCodeForStep, totpStep } from '../../electron/core/sync/client/testing/totp-code.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { SecurityPage } from './pages/security.page.js';
import { SyncPage } from './pages/sync.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/sync-server.fixture.js';
import { withDevice } from './support/web-mode.fixture.js';

const PASSWORD = 'quartz meadow lantern 71';
const WRONG_PASSWORD = 'quartz meadow lantern 72';
const NEW_PASSWORD = 'amber harbour thistle 58';

/**
 * For what waits on the server's Argon2id (a password checked, a new one hashed): seconds
 * on a loaded two-core machine. A bound on a hang, not a speed.
 */
const PASSWORD_WORK = { timeout: 30_000 };

const address = (name: string): string => `${name}-${process.pid}-${Date.now()}@example.test`;

/** A new vault in `page`, signed up to the server; answers the Account Recovery Key. */
async function signUpInApp(
  page: Page,
  url: string,
  server: { url: string },
  email: string,
): Promise<string> {
  await page.goto(url);
  await new FirstRunPage(page).createVault();
  return signUp(page, server, email);
}

/** The open vault signed up to the server from the Sync screen; answers the Recovery Key. */
async function signUp(page: Page, server: { url: string }, email: string): Promise<string> {
  const sync = new SyncPage(page);
  await sync.open();
  await sync.checkServer(server.url);
  await sync.trustCertificate();
  await sync.createAccount(email, PASSWORD);
  await expect(sync.recoveryKey()).toBeVisible();
  const recoveryKey = ((await sync.recoveryKey().textContent()) ?? '').trim();
  await sync.confirmSaved();
  await sync.continueButton().click();
  await expect(sync.signedIn()).toContainText(email);
  return recoveryKey;
}

/** A six-digit code the server would not take for `secret` around now. */
function wrongTotpCode(secret: string): string {
  const now = totpStep(Date.now());
  const near = new Set([-2, -1, 0, 1, 2, 3].map((d) => totpCodeForStep(secret, now + d)));
  let code = '000000';
  for (let n = 0; near.has(code); n += 1) code = String(n).padStart(6, '0');
  return code;
}

/** Codes of a TOTP key, each for a step the server has not seen (a code is taken once). */
function totpCodes(secret: string): () => Promise<string> {
  let last = Number.NEGATIVE_INFINITY;
  return async () => {
    const step = Math.max(last + 1, totpStep(Date.now()));
    // The server allows one step either side of its clock: wait until time has caught up.
    while (totpStep(Date.now()) < step - 1) await setTimeout(250);
    last = step;
    return totpCodeForStep(secret, step);
  };
}

/** Runs `fn` with a session of the account opened through the server's API, as a phone would. */
async function serverSession<T>(
  server: { url: string; fingerprint: string },
  email: string,
  deviceName: string,
  fn: (http: SyncHttpClient, token: string) => Promise<T>,
): Promise<T> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  try {
    const grant = await http.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, deviceName },
    });
    return await fn(http, grant.token);
  } finally {
    http.close();
  }
}

test('sets up the authenticator app from the key shown, saves the backup codes, then signs in with a code', async ({
  page,
  webMode,
  syncServer,
}) => {
  test.setTimeout(150_000);
  const email = address('totp');
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const security = new SecurityPage(page);

  // Signed out: Settings and the Security page itself send the user to the Sync screen.
  await page.goto(`${webMode.url}#/settings/security`);
  await expect(security.section('Not signed in')).toContainText('Sync screen');
  await checkScreen(page, 'security-signed-out');

  const recoveryKey = await signUp(page, syncServer, email);
  await security.open();
  await expect(security.section('Authenticator app')).toContainText('Off');
  await checkScreen(page, 'security-signed-in');

  // The server asks for a step-up: the dialog opens in place; a wrong password stays there.
  await security.startTotpSetup();
  await expect(security.stepUpDialog()).toBeVisible();
  await checkScreen(page, 'security-step-up');
  await security.confirmStepUp(WRONG_PASSWORD);
  await expect(security.stepUpPassword()).toHaveAttribute('aria-invalid', 'true', PASSWORD_WORK);
  await expect(security.stepUpPassword()).toHaveAccessibleDescription(/INVALID_CREDENTIALS/);
  await checkScreen(page, 'security-step-up-wrong-password');
  await security.confirmStepUp(PASSWORD);
  await expect(security.stepUpDialog()).toHaveCount(0, PASSWORD_WORK);

  await expect(security.qrCode()).toBeVisible(PASSWORD_WORK);
  const key = await security.totpKey();
  expect(key).toMatch(/^[A-Z2-7]{16,}=*$/);
  await checkScreen(page, 'security-totp-setup');
  const nextCode = totpCodes(key);

  await security.confirmTotp(wrongTotpCode(key));
  await expect(security.totpCodeField()).toHaveAttribute('aria-invalid', 'true');
  await expect(security.totpCodeField()).toHaveAccessibleDescription(/INVALID_CODE/);
  await checkScreen(page, 'security-totp-wrong-code');
  await security.confirmTotp(await nextCode());

  // The backup codes, shown once: Done waits for "I saved these".
  await expect(security.backupCodes().getByRole('listitem')).toHaveCount(10);
  const codes = await security.backupCodeTexts();
  await expect(security.doneButton()).toBeDisabled();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('coffer-backup-codes.txt');
  const saved = await readFile(await download.path(), 'utf8');
  for (const one of codes) expect(saved).toContain(`\n${one}\n`);
  await expect(page.getByRole('button', { name: 'Print' })).toBeEnabled();
  await checkScreen(page, 'security-backup-codes');
  await security.finishBackupCodes();
  await expect(security.section('Authenticator app')).toContainText('On:');
  await expect(security.section('Backup codes')).toContainText('10 of 10 unused');
  await checkScreen(page, 'security-totp-on');
  await expect(page.getByText(codes[0] ?? '')).toHaveCount(0);

  // Signed out and in again, with the app's code.
  const sync = new SyncPage(page);
  await sync.open();
  await sync.signedIn().getByRole('button', { name: 'Sign out' }).click();
  await expect(sync.signedIn()).toHaveCount(0);
  await sync.checkServer(syncServer.url);
  await sync.trustCertificate();
  await sync.signIn(email, PASSWORD);
  await expect(sync.secondFactor()).toBeVisible();
  await sync.enterCode(await nextCode());
  await sync.enterRecoveryKey(recoveryKey);
  await expect(sync.signedIn()).toContainText(email);

  await security.open();
  await expect(security.historyTable()).toContainText('Second factor: Authenticator app');
  await checkScreen(page, 'security-history-totp');
});

test('changes the password with the step-up asked in place, signs another session out, lists the sign-ins', async ({
  page,
  webMode,
  syncServer,
}) => {
  test.setTimeout(150_000);
  const email = address('password');
  await signUpInApp(page, webMode.url, syncServer, email);
  // Another session of the account, as a phone signed in through the server's API would be.
  const phoneToken = await serverSession(syncServer, email, 'Phone', async (_http, t) => t);

  const security = new SecurityPage(page);
  await security.open();
  await expect(security.sessionRow(/this device/)).toBeVisible();
  await expect(security.sessionRow(/Phone/)).toBeVisible();

  // Too short for the server's rules: the step-up comes first, then the refusal by the field.
  await security.changePassword(PASSWORD, 'short pw');
  await expect(security.stepUpDialog()).toBeVisible();
  // What was typed stays behind the dialog.
  await expect(security.passwordField('New password')).toHaveValue('short pw');
  await security.confirmStepUp(PASSWORD);
  await expect(security.stepUpDialog()).toHaveCount(0, PASSWORD_WORK);
  await expect(security.passwordField('New password')).toHaveAccessibleDescription(
    /PASSWORD_TOO_SHORT/,
    PASSWORD_WORK,
  );
  await expect(security.passwordField('New password')).toHaveValue('short pw');
  await expect(security.passwordField('Current password')).toHaveValue(PASSWORD);
  await checkScreen(page, 'security-password-refused');

  await security.passwordField('New password').fill(NEW_PASSWORD);
  await security.passwordField('New password again').fill(NEW_PASSWORD);
  await security.submitPassword();
  await expect(security.passwordStatus()).toHaveText(
    'Password changed. Your other devices are still signed in.',
    PASSWORD_WORK,
  );
  await expect(security.passwordField('New password')).toHaveValue('');
  await checkScreen(page, 'security-password-changed');

  // Within the step-up's 10 minutes, signing the phone out asks nothing more.
  await security.signOutSession('Phone');
  await expect(security.sessionRow(/Phone/)).toHaveCount(0);
  await expect(security.sessionRow(/this device/)).toBeVisible();
  await checkScreen(page, 'security-session-signed-out');
  const http = new SyncHttpClient({
    url: syncServer.url,
    fingerprint: parseFingerprint(syncServer.fingerprint),
  });
  try {
    await expect(http.request('GET', '/v1/me', { token: phoneToken })).rejects.toMatchObject({
      code: 'SESSION_REVOKED',
    });
  } finally {
    http.close();
  }

  await page.reload();
  await expect(security.heading()).toBeVisible();
  const history = security.historyTable();
  await expect(history.getByRole('row', { name: /Account created/ })).toHaveCount(1);
  await expect(history.getByRole('row', { name: /Confirmation \(step-up\)/ })).toHaveCount(1);
  await expect(history.getByRole('row', { name: /Succeeded Password/ })).toHaveCount(1);
  await checkScreen(page, 'security-history');
});

test('turns email codes on, then another device signs in with a code from the email', async ({
  page,
  browser,
  webMode,
  syncServer,
}) => {
  test.setTimeout(150_000);
  const email = address('email');
  const recoveryKey = await signUpInApp(page, webMode.url, syncServer, email);
  const security = new SecurityPage(page);
  await security.open();
  await security.turnOnEmailCodes();
  await security.confirmStepUp(PASSWORD);
  // The account's first second factor: its backup codes come with it, shown once.
  await expect(security.backupCodes().getByRole('listitem')).toHaveCount(10, PASSWORD_WORK);
  await security.finishBackupCodes();
  await expect(security.section('Codes by email')).toContainText(`On: signing in can ask`);
  await checkScreen(page, 'security-email-codes-on');

  await withDevice(browser, async (second) => {
    await new FirstRunPage(second).createVault();
    const other = new SyncPage(second);
    await other.open();
    await other.checkServer(syncServer.url);
    await other.trustCertificate();
    await other.signIn(email, PASSWORD);
    await expect(other.secondFactor()).toBeVisible();
    await other.secondFactor().getByRole('radio', { name: 'Code by email' }).check();
    // No code was mailed to this account before this one.
    expect(await latestMailedCode(syncServer.dataDir, email)).toBeNull();
    await other.secondFactor().getByRole('button', { name: 'Send code' }).click();
    await expect(other.secondFactor().getByRole('status')).toHaveText(
      'Code sent: check your email.',
    );
    let code = await latestMailedCode(syncServer.dataDir, email);
    for (let tries = 0; code === null && tries < 40; tries += 1) {
      await setTimeout(250);
      code = await latestMailedCode(syncServer.dataDir, email);
    }
    expect(code).not.toBeNull();
    await checkScreen(second, 'security-email-code-sign-in');
    await other.enterCode(code ?? '', 'Code from the email');
    await other.enterRecoveryKey(recoveryKey);
    await expect(other.signedIn()).toContainText(email);
  });

  await page.reload();
  await expect(security.historyTable()).toContainText('Second factor: Code by email');
  // The header, this device and the second one.
  await expect(security.sessionsTable().getByRole('row')).toHaveCount(3);
});
