import { expect, type Page } from '@playwright/test';

/** The first-run screen: create a vault and get past its Recovery Key, or open one. */
export class FirstRunPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Welcome to Coffer' })).toBeVisible();
  }

  /** Creates the vault and returns the Recovery Key it showed, once saved and confirmed. */
  async createVault(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create vault' }).click();
    const key = this.page.getByTestId('recovery-key');
    await expect(key).toBeVisible();
    const recoveryKey = (await key.textContent()) ?? '';
    const proceed = this.page.getByRole('button', { name: 'Continue to Coffer' });
    await expect(proceed).toBeDisabled();
    await this.page.getByText('I have saved my Recovery Key somewhere safe').click();
    await proceed.click();
    return recoveryKey;
  }

  async openVault(): Promise<void> {
    await this.page.getByRole('button', { name: 'Open vault' }).click();
  }
}
