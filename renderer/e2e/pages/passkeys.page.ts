import { expect, type Locator, type Page } from '@playwright/test';
import { SecurityPage } from './security.page.js';

/** The Passkeys section of Settings → Security, and the step-up dialog it may open. */
export class PasskeysPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await new SecurityPage(this.page).open();
    await expect(this.section()).toBeVisible();
  }

  section(): Locator {
    return this.page.getByRole('region', { name: 'Passkeys' });
  }

  private addForm(): Locator {
    return this.section().getByRole('form', { name: 'Add a passkey' });
  }

  nameField(): Locator {
    return this.addForm().getByRole('textbox', { name: 'Passkey name' });
  }

  async add(name: string): Promise<void> {
    await this.nameField().fill(name);
    await this.addForm().getByRole('button', { name: 'Add passkey' }).click();
  }

  addStatus(): Locator {
    return this.addForm().getByRole('status');
  }

  backupCodes(): Locator {
    return this.section().getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
  }

  table(): Locator {
    return this.section().getByRole('table', { name: 'Passkeys' });
  }

  row(name: string): Locator {
    return this.table()
      .getByRole('row')
      .filter({
        has: this.page.getByRole('rowheader', { name, exact: true }),
      });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.section()
      .getByRole('button', { name: `Rename passkey ${from}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Rename passkey ${from}` });
    await dialog.getByRole('textbox', { name: 'New name' }).fill(to);
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await expect(dialog).toHaveCount(0);
  }

  async remove(name: string): Promise<void> {
    await this.section()
      .getByRole('button', { name: `Remove passkey ${name}` })
      .click();
    await this.page
      .getByRole('alertdialog', { name: `Remove passkey ${name}?` })
      .getByRole('button', { name: 'Remove passkey' })
      .click();
  }

  stepUpDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Confirm it is you' });
  }

  /** The shared step-up: the password, and a code when the account has a second factor. */
  async confirmStepUp(password: string, code?: { label: string; value: string }): Promise<void> {
    const dialog = this.stepUpDialog();
    await dialog.getByLabel('Password', { exact: true }).fill(password);
    if (code !== undefined) {
      await dialog.getByRole('textbox', { name: code.label }).fill(code.value);
    }
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** The shared step-up with the password and the page's passkey instead of a code. */
  async stepUpWithPasskey(password: string): Promise<void> {
    const dialog = this.stepUpDialog();
    await dialog.getByLabel('Password', { exact: true }).fill(password);
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
  }
}
