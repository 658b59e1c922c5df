// Workspaces and their members in the app, against the real server: an admin creates a
// workspace on the Sync screen and invites a member and a viewer, who join in their own
// apps (their own vaults and browser contexts) with the link or the token; roles show in
// what each can do, the server's refusal shows when a role is refused anyway, and the
// audit log lists it all.
import type { Page } from '@playwright/test';

import { enableTotp } from '../../electron/core/sync/client/testing/totp-account.js';
import { LedgerPage } from './pages/ledger.page.js';
import { MembersPage } from './pages/members.page.js';
import { WorkspaceSetupPage } from './pages/workspace-setup.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/sync-server.fixture.js';
import { withDevice } from './support/web-mode.fixture.js';

const PASSWORD = 'quartz meadow lantern 71';
const PAYEE = 'Harbour chandlery';

const address = (name: string): string => `${name}-${process.pid}-${Date.now()}@example.test`;

/**
 * One call to the core as the page's own API makes it (JSON over web mode's WebSocket, let
 * in by the page's cookie): setup data, and the calls a role's screen does not offer.
 */
async function callCore(
  page: Page,
  service: string,
  method: string,
  input: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }> {
  return page.evaluate(
    ({ service, method, input }) =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://${window.location.host}/api`);
        const id = 1_000_000;
        socket.addEventListener('open', () =>
          socket.send(JSON.stringify({ id, service, method, input })),
        );
        socket.addEventListener('error', () => reject(new Error('socket failed')));
        socket.addEventListener('message', (message: MessageEvent<string>) => {
          const answer = JSON.parse(message.data) as {
            type: string;
            id?: number;
            result?: unknown;
          };
          if (answer.type !== 'result' || answer.id !== id) return;
          socket.close();
          resolve(answer.result as never);
        });
      }),
    { service, method, input },
  );
}

/** Data for the others to see (the ledger has its own spec for entering it). */
async function addTransaction(page: Page): Promise<void> {
  const account = await callCore(page, 'accounts', 'create', { name: 'Checking', currency: 'USD' });
  if (!account.ok) throw new Error(account.error.message);
  const created = await callCore(page, 'transactions', 'create', {
    accountId: (account.value as { id: string }).id,
    date: '2026-12-01',
    amountMinor: -4250,
    payeeName: PAYEE,
  });
  if (!created.ok) throw new Error(created.error.message);
}

test('an admin creates a workspace, invites a member and a viewer; roles, removal, 2FA policy and the audit log', async ({
  page,
  browser,
  webMode,
  syncServer,
}) => {
  // Three devices' vaults and web servers, three browsers and a sync server in one story.
  test.setTimeout(240_000);
  const adminEmail = address('ana');
  const memberEmail = address('ben');
  const viewerEmail = address('cleo');
  const admin = new WorkspaceSetupPage(page);
  await admin.newSignedInDevice(webMode.url, syncServer, adminEmail, PASSWORD);
  const members = new MembersPage(page);
  // No workspace, no Workspace screen in the navigation.
  await expect(members.navLink()).toHaveCount(0);
  await admin.create('   ');
  await expect(admin.nameField()).toHaveAttribute('aria-invalid', 'true');
  await admin.join('not an invite');
  await expect(admin.inviteField()).toHaveAccessibleDescription(/not an invite link or token/);
  await checkScreen(page, 'team-workspace-setup');
  await admin.create('Harbour books');
  await expect(admin.sync.status()).toContainText('Synced', { timeout: 30_000 });
  await expect(admin.region()).toHaveCount(0);
  await expect(admin.sync.signedIn()).toContainText('Harbour books (admin)');
  await checkScreen(page, 'team-workspace-created');
  await addTransaction(page);

  await members.open();
  await expect(members.memberRow(adminEmail)).toContainText('(you)');
  const memberInvite = await members.invite(memberEmail, 'member');
  expect(memberInvite.link).toMatch(/^coffer:\/\/join\?server=/);
  await checkScreen(page, 'team-invite-made');
  const viewerInvite = await members.invite(viewerEmail, 'viewer');

  await withDevice(browser, async (memberPage) => {
    const member = new WorkspaceSetupPage(memberPage);
    await member.newSignedInDevice(memberPage.url(), syncServer, memberEmail, PASSWORD);
    await member.join(memberInvite.link);
    await expect(member.sync.signedIn()).toContainText('(member)');
    await checkScreen(memberPage, 'team-member-waiting-for-key');

    await withDevice(browser, async (viewerPage) => {
      const viewer = new WorkspaceSetupPage(viewerPage);
      await viewer.newSignedInDevice(viewerPage.url(), syncServer, viewerEmail, PASSWORD);
      // Someone else's invite: refused by the field, what was typed kept.
      await viewer.join(memberInvite.token);
      await expect(viewer.inviteField()).toHaveAccessibleDescription(/another email address/);
      await expect(viewer.inviteField()).toHaveValue(memberInvite.token);
      await viewer.join(viewerInvite.token);
      await expect(viewer.sync.signedIn()).toContainText('(viewer)');

      // The admin's device shares the workspace key as it lists the members.
      await page.reload();
      await members.open();
      await expect(members.memberRow(memberEmail)).toContainText('member');
      await expect(members.memberRow(viewerEmail)).toContainText('Shared');
      // An admin sees who has no second factor, before requiring one.
      await expect(page.getByRole('columnheader', { name: 'Second factor' })).toBeVisible();
      await expect(members.memberRow(viewerEmail)).toContainText('None');
      await checkScreen(page, 'team-members-admin');
      // The viewer's loop fetches the key on its next round by itself.
      await expect(viewer.sync.status()).toContainText('Synced', { timeout: 60_000 });

      // The viewer sees the data and no way to change it.
      const ledger = new LedgerPage(viewerPage);
      await viewerPage
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Transactions' })
        .click();
      await expect(ledger.row(PAYEE)).toBeVisible({ timeout: 30_000 });
      await expect(viewerPage.getByRole('heading', { name: 'New transaction' })).toHaveCount(0);
      // Above every screen: read-only, said before anything is tried.
      await expect(viewerPage.getByRole('note')).toContainText(
        'You are a viewer in this workspace: you can read everything here and change nothing',
      );
      await ledger.row(PAYEE).dblclick();
      await expect(viewerPage.getByRole('dialog', { name: 'Edit transaction' })).toHaveCount(0);
      await checkScreen(viewerPage, 'team-viewer-ledger');
      const viewerMembers = new MembersPage(viewerPage);
      await viewerMembers.open();
      await expect(viewerMembers.memberRow(viewerEmail)).toContainText('(you)');
      await expect(viewerMembers.inviteForm()).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: 'Change role' })).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: /^Remove / })).toHaveCount(0);
      await expect(viewerPage.getByRole('columnheader', { name: 'Second factor' })).toHaveCount(0);
      await checkScreen(viewerPage, 'team-members-viewer');
      // A change the viewer's window asks for anyway: refused by its own core, nothing kept.
      const accountsBefore = await callCore(viewerPage, 'accounts', 'list', {});
      const created = await callCore(viewerPage, 'accounts', 'create', {
        name: 'Petty cash',
        currency: 'EUR',
      });
      expect(created).toMatchObject({
        ok: false,
        error: { code: 'ROLE_FORBIDDEN', message: expect.stringContaining('viewer') as unknown },
      });
      expect(await callCore(viewerPage, 'accounts', 'list', {})).toEqual(accountsBefore);
      // A call the viewer makes anyway: the server refuses it.
      const refused = await callCore(viewerPage, 'workspace', 'invite', {
        email: address('mallory'),
        role: 'admin',
      });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'SERVER_REFUSED',
          message: expect.stringContaining('FORBIDDEN_ROLE') as unknown,
        },
      });

      // The member's device syncs (it has the workspace key by now) before the admin demotes
      // it, and then has no cause for another round: nothing new reaches the workspace, and
      // its poll is minutes away. Waiting after the demotion instead let a first round that
      // came late hear of it, and the change below was then rightly refused on the device.
      await expect(member.sync.status()).toContainText('Synced', { timeout: 60_000 });
      // The admin changes the member's role: the server asks for a step-up first.
      await members.changeRole(memberEmail, 'viewer');
      await expect(members.stepUpDialog()).toBeVisible();
      await checkScreen(page, 'team-step-up');
      await members.confirmStepUp(PASSWORD);
      await expect(members.memberRow(memberEmail)).toContainText('viewer');
      // The member's device has not heard of it yet: a change made there now is taken, the
      // server refuses its push, and it waits unsent while everything else still arrives.
      // The status says so instead of plain "synced".
      const memberAccounts = await callCore(memberPage, 'accounts', 'list', {});
      const checking = memberAccounts.ok
        ? (memberAccounts.value as { id: string; name: string }[]).find(
            (a) => a.name === 'Checking',
          )
        : undefined;
      expect(checking).toBeDefined();
      const offlineEdit = await callCore(memberPage, 'transactions', 'create', {
        accountId: checking?.id,
        date: '2026-12-02',
        amountMinor: -1200,
        payeeName: PAYEE,
      });
      expect(offlineEdit).toMatchObject({ ok: true });
      await expect(member.sync.status()).toContainText('Synced, 1 change unsent');
      await expect(member.sync.status()).toContainText('your role in this workspace sends none');
      await expect(memberPage.getByTestId('sync-state')).toHaveText('(synced, 1 unsent)');
      await checkScreen(memberPage, 'team-member-demoted-held');
      // The last admin keeps the role: the server's refusal shows by the row.
      await members.removeButton(adminEmail).click();
      await expect(members.removeDialog()).toContainText('cannot be taken back');
      await members.removeDialog().getByRole('button', { name: 'Remove member' }).click();
      await expect(members.removeDialog().getByRole('alert')).toContainText('LAST_ADMIN');
      await members.removeDialog().getByRole('button', { name: 'Cancel' }).click();
      await members.removeButton(memberEmail).click();
      await expect(members.removeDialog()).toContainText('cannot be taken back');
      await checkScreen(page, 'team-remove-warning');
      await members.removeDialog().getByRole('button', { name: 'Remove member' }).click();
      await expect(members.removeDialog()).toHaveCount(0);
      await expect(members.memberRow(memberEmail)).toHaveCount(0);

      // Require 2FA: the admin has one; the viewer has none and is sent to enrolment.
      await enableTotp(syncServer, adminEmail, PASSWORD);
      await members.requireMfa().click({ force: true });
      await expect(members.requireMfa()).toBeChecked();
      await viewerPage.reload();
      await viewerMembers.open();
      await expect(viewerMembers.mfaNotice()).toBeVisible();
      // The navigation no longer says "synced": the refused call asked for a round at once.
      await expect(viewerPage.getByTestId('sync-state')).toHaveText('(error)');
      await expect(
        viewerMembers.mfaNotice().getByRole('link', { name: /Settings → Security/ }),
      ).toHaveAttribute('href', '#/settings/security');
      await checkScreen(viewerPage, 'team-viewer-mfa-required');
      // The link leads to where a second factor is set up.
      await viewerMembers
        .mfaNotice()
        .getByRole('link', { name: /Settings → Security/ })
        .click();
      await expect(viewerPage.getByRole('heading', { level: 1 })).toContainText('Security');
    });
  });

  // The audit log lists these events in words, leaves out the devices' reads until asked,
  // filters by type, and pages.
  await page.reload();
  await members.open();
  await expect(members.audit()).toContainText('Changed the security policy');
  await expect(members.audit()).toContainText('PUT /v1/workspaces/:id/policy');
  await expect(members.audit()).not.toContainText('GET /v1/workspaces/:id/member-keys');
  // The removed member's requests stay, under the account id: their address left with them.
  await expect(members.audit()).toContainText('Not a member now');
  // Outcomes in words, the server's code beneath: the refused removal of the last admin.
  await expect(members.audit().getByRole('row').filter({ hasText: 'LAST_ADMIN' })).toContainText(
    'Refused',
  );
  await expect(members.sessions()).toContainText(adminEmail);
  await checkScreen(page, 'team-audit');
  await members.showAuditReads(true);
  await expect(members.audit()).toContainText("Fetched members' public keys");
  await expect(members.audit()).toContainText('GET /v1/workspaces/:id/member-keys');
  await members.showAuditReads(false);
  await expect(members.audit()).not.toContainText('GET /v1/workspaces/:id/member-keys');
  await members.filterAudit('Event type', 'Invites');
  await expect(members.audit()).toContainText('POST /v1/workspaces/:id/invites');
  await expect(members.audit()).not.toContainText('PUT /v1/workspaces/:id/policy');
  await members.filterAudit('Event type', 'Role changes');
  await expect(members.audit()).toContainText('PATCH /v1/workspaces/:id/members/:userId');
  await expect(members.audit()).not.toContainText('POST /v1/workspaces/:id/invites');
  await members.filterAudit('Event type', 'All events');
  await page.getByRole('button', { name: 'Older events' }).click();
  await expect(members.auditPage()).toContainText('Page 2');
  await checkScreen(page, 'team-audit-page-2');
});
