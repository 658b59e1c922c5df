import { expect, type Page } from '@playwright/test';

/** The lock screen: nothing of the vault on it, only the passcode. */
export class LockPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Coffer is locked' })).toBeVisible();
  }

  passcodeField() {
    return this.page.getByLabel('Passcode');
  }

  async unlock(passcode: string): Promise<void> {
    await this.page.getByLabel('Passcode').fill(passcode);
    await this.page.getByRole('button', { name: 'Unlock', exact: true }).click();
  }

  error() {
    return this.page.getByRole('alert');
  }
}
