// Two devices of one account in the app, against the real server: the second signs in by
// approval from the first (the same code shown on both), follows the first's changes in its
// open ledger without a reload, reviews an amount both changed while the server was down,
// and, once the first device signs it out, says so and goes back to first run with its vault gone.
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Page } from '@playwright/test';

import { VAULT_MANIFEST_FILE } from '../../electron/core/vault/vault-files.js';
import { AccountsPage } from './pages/accounts.page.js';
import { AppNav } from './pages/app-nav.page.js';
import { DevicesPage } from './pages/devices.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { LedgerPage } from './pages/ledger.page.js';
import { ReviewPage } from './pages/review.page.js';
import { SecurityPage } from './pages/security.page.js';
import { SyncPage } from './pages/sync.page.js';
import { WorkspaceSetupPage } from './pages/workspace-setup.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/sync-server.fixture.js';
import { withDevice } from './support/web-mode.fixture.js';

const PASSWORD = 'quartz meadow lantern 71';
const DEVICE = 'Coffer (web)';
/** How long a change may take to cross: a round, the server, the other device's round. */
const SYNCED = { timeout: 45_000 };

async function addTransaction(page: Page, payee: string, amount: string, notes: string) {
  const ledger = new LedgerPage(page);
  await ledger.quickField('Date').fill('2026-11-20');
  await ledger.quickField('Payee').fill(payee);
  await ledger.quickField('Amount').fill(amount);
  await ledger.quickField('Notes').fill(notes);
  await ledger.quickField('Notes').press('Enter');
  await expect(ledger.row(notes)).toBeVisible();
}

async function editAmount(page: Page, notes: string, amount: string): Promise<void> {
  const ledger = new LedgerPage(page);
  const index = (await ledger.rows().allTextContents()).findIndex((t) => t.includes(notes));
  expect(index).toBeGreaterThanOrEqual(0);
  await ledger.openRowWithKeyboard(index);
  await ledger.dialog().getByLabel('Amount', { exact: true }).fill(amount);
  await ledger.dialog().getByRole('button', { name: 'Save changes' }).click();
  await expect(ledger.dialog()).toBeHidden();
  await expect(ledger.row(notes)).toContainText(amount.replace('-', '-€'));
}

test('a second device is approved by its code, follows live changes, reviews a conflict and is removed when revoked', async ({
  page,
  browser,
  webMode,
  syncServer,
}) => {
  // Two devices, two browsers and a server (stopped once) in one story on a loaded machine.
  test.setTimeout(300_000);
  const address = `ana-${process.pid}-${Date.now()}@example.test`;
  const first = new WorkspaceSetupPage(page);
  await first.newSignedInDevice(webMode.url, syncServer, address, PASSWORD);
  await first.create('Harbour books');
  await expect(first.sync.status()).toContainText('Synced', SYNCED);
  const nav = new AppNav(page);
  await nav.open('Accounts');
  await new AccountsPage(page).addAccount('Checking', 'EUR', '0');

  await withDevice(browser, async (second, secondDevice) => {
    await new FirstRunPage(second).createVault();
    const other = new SyncPage(second);
    await other.open();
    await other.checkServer(syncServer.url);
    await other.trustCertificate();
    await other.signIn(address, PASSWORD);
    await expect(other.recoveryKeyField()).toBeVisible();

    // The new device asks for approval and shows its code while it waits.
    const waiting = new DevicesPage(second);
    await waiting.askForApproval();
    const code = await waiting.shownCode();
    await expect(waiting.waitProgress()).toHaveAccessibleName(/minutes left/);
    await expect(waiting.waitRegion()).toContainText('expires 15 minutes after');
    await checkScreen(second, 'devices-approval-wait');

    // The signed-in device lists it, with the same code derived on its side.
    const approving = new DevicesPage(page);
    await expect(nav.link(/^Sync/)).toContainText('1 device waiting', SYNCED);
    await first.sync.open();
    await expect(approving.codeHere(DEVICE)).toHaveText(code);
    await checkScreen(page, 'devices-approval-request');
    // A code that is not this request's approves nothing, and says so by the code field.
    // One character changed: a code that can never be this request's.
    const wrong = `${code.startsWith('A') ? 'B' : 'A'}${code.slice(1)}`;
    await approving.approve(DEVICE, wrong);
    await expect(approving.typedCodeField(DEVICE)).toHaveAttribute('aria-invalid', 'true');
    await expect(approving.typedCodeField(DEVICE)).toHaveAccessibleDescription(
      /not the one this request gives/,
    );
    await checkScreen(page, 'devices-approval-wrong-code');
    // The right code: the server wants the password again first, asked in place.
    await approving.approve(DEVICE, code);
    await expect(approving.stepUpDialog()).toBeVisible();
    await expect(approving.typedCodeField(DEVICE)).toHaveValue(code);
    await checkScreen(page, 'devices-approval-step-up');
    await approving.confirmStepUp(PASSWORD);
    await expect(approving.notice()).toHaveCount(0, SYNCED);
    await expect(other.signedIn()).toContainText('Harbour books', SYNCED);
    await checkScreen(second, 'devices-approved');

    // The second device's open ledger shows the first's new transaction without a reload.
    const otherNav = new AppNav(second);
    await otherNav.open('Transactions');
    const otherLedger = new LedgerPage(second);
    await otherLedger.expectShown();
    await nav.open('Transactions');
    await addTransaction(page, 'Harbour Cafe', '-12.00', 'coffee with the team');
    await expect(otherLedger.row('coffee with the team')).toContainText('-€12.00', SYNCED);
    await checkScreen(second, 'devices-live-ledger');

    // Both change the amount while the server is stopped: neither sees the other's edit.
    await syncServer.halt();
    await editAmount(page, 'coffee with the team', '-15.00');
    await editAmount(second, 'coffee with the team', '-18.00');
    await syncServer.start();
    // Each device has backed off while the server was down: Retry, as a user would, rather
    // than wait out the backoff. The button goes away by itself when a round starts on its
    // own, so a click is tried briefly and the status decides.
    for (const p of [page, second]) {
      const screen = new SyncPage(p);
      await screen.open();
      const retry = screen.signedIn().getByRole('button', { name: 'Retry' });
      await expect(async () => {
        if (await retry.isVisible()) await retry.click({ timeout: 2_000 });
        await expect(screen.status()).toContainText('Synced', { timeout: 5_000 });
      }).toPass({ timeout: 90_000 });
    }

    // Once both have synced, each lists the same conflict with both amounts.
    for (const [p, n] of [
      [page, nav],
      [second, otherNav],
    ] as const) {
      await expect(n.link(/^Needs review/)).toHaveText('Needs review (1)', { timeout: 90_000 });
      await n.open(/^Needs review/);
      const review = new ReviewPage(p);
      await expect(review.conflictCards()).toHaveCount(1);
      const card = review.conflictCards().first();
      await expect(card).toContainText('Amount changed on two devices');
      await expect(card).toContainText('-€15.00');
      await expect(card).toContainText('-€18.00');
    }
    await checkScreen(second, 'devices-needs-review');
    const card = new ReviewPage(second).conflictCards().first();
    await card.getByRole('button', { name: 'Keep -€15.00' }).click();
    await expect(new ReviewPage(second).conflictCards()).toHaveCount(0);
    await expect(second.getByText('Nothing needs review.')).toBeVisible();
    await expect(nav.link(/^Needs review/)).toHaveText('Needs review', SYNCED);
    await expect(new ReviewPage(page).conflictCards()).toHaveCount(0);
    for (const [p, n] of [
      [page, nav],
      [second, otherNav],
    ] as const) {
      await n.open('Transactions');
      await expect(new LedgerPage(p).row('coffee with the team')).toContainText('-€15.00');
    }

    // The first device signs the second out from Settings → Security (its own row has no
    // sign-out; approving stepped it up minutes ago). The next change announced to the
    // second device meets the refusal, and it shreds its vault and says why.
    const security = new SecurityPage(page);
    await security.open();
    await expect(security.sessionRow(/this device/)).toBeVisible();
    await security.signOutSession(DEVICE);
    await expect(
      security.sessionsTable().getByRole('button', { name: `Sign out ${DEVICE}` }),
    ).toHaveCount(0);
    await checkScreen(page, 'devices-signed-out-from-first');
    await nav.open('Transactions');
    await addTransaction(page, 'Harbour Cafe', '-3.00', 'after the revocation');
    const removed = second.getByRole('alert').filter({ hasText: 'sync session was revoked' });
    await expect(removed).toBeVisible(SYNCED);
    await expect(removed).toContainText('The data was removed from this device');
    await expect(removed).toContainText('SESSION_REVOKED');
    await checkScreen(second, 'devices-revoked');
    expect(existsSync(path.join(secondDevice.vaultDir, VAULT_MANIFEST_FILE))).toBe(false);
    // A reload does not lose why: the core keeps it until the user has read it.
    await second.reload();
    await expect(
      second.getByRole('alert').filter({ hasText: 'sync session was revoked' }),
    ).toContainText('SESSION_REVOKED');
    await second.getByRole('button', { name: 'Continue to set up Coffer' }).click();
    await expect(second.getByRole('heading', { name: 'Welcome to Coffer' })).toBeVisible();
    await second.reload();
    await expect(second.getByRole('heading', { name: 'Welcome to Coffer' })).toBeVisible();
    await expect(second.getByRole('alert').filter({ hasText: 'revoked' })).toHaveCount(0);
  });
});
