import { expect, type Page } from '@playwright/test';

/** The "Add an account" form on the accounts screen. */
export class NewAccountForm {
  constructor(private readonly page: Page) {}

  async add(name: string, currency: string, openingBalance = '0'): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, '') + '#/accounts');
    const form = this.page.getByRole('form', { name: 'Add an account' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Currency', { exact: true }).fill(currency);
    await form.getByLabel('Opening balance', { exact: true }).fill(openingBalance);
    await form.getByRole('button', { name: 'Add account' }).click();
    await expect(this.page.getByRole('rowheader', { name })).toBeVisible();
  }
}
