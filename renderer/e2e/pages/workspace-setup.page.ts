import { expect, type Locator, type Page } from '@playwright/test';
import { FirstRunPage } from './first-run.page.js';
import { SyncPage } from './sync.page.js';

/**
 * The Sync screen's workspace forms, shown to a signed-in vault with no workspace, and the
 * way there for a fresh device: a vault, a trusted server, an account.
 */
export class WorkspaceSetupPage {
  readonly sync: SyncPage;

  constructor(private readonly page: Page) {
    this.sync = new SyncPage(page);
  }

  /** A new vault at `url`, signed up on the server: the state the workspace forms start from. */
  async newSignedInDevice(
    url: string,
    server: { url: string },
    email: string,
    password: string,
  ): Promise<void> {
    await this.page.goto(url);
    await new FirstRunPage(this.page).createVault();
    await this.sync.open();
    await this.sync.checkServer(server.url);
    await this.sync.trustCertificate();
    await this.sync.createAccount(email, password);
    await expect(this.sync.recoveryKey()).toBeVisible();
    await this.sync.confirmSaved();
    await this.sync.continueButton().click();
    await expect(this.sync.signedIn()).toBeVisible();
  }

  region(): Locator {
    return this.page.getByRole('region', { name: 'Workspace' });
  }

  private form(name: string): Locator {
    return this.page.getByRole('form', { name });
  }

  nameField(): Locator {
    return this.form('Create a workspace').getByRole('textbox', { name: 'Workspace name' });
  }

  inviteField(): Locator {
    return this.form('Join with an invite').getByRole('textbox', { name: 'Invite link or token' });
  }

  async create(name: string): Promise<void> {
    await this.nameField().fill(name);
    await this.form('Create a workspace').getByRole('button', { name: 'Create workspace' }).click();
  }

  async join(invite: string): Promise<void> {
    await this.inviteField().fill(invite);
    await this.form('Join with an invite').getByRole('button', { name: 'Join workspace' }).click();
  }
}
