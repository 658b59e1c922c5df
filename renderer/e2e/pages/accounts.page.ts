import type { Page } from '@playwright/test';

/** Accounts: the list with balances and the form that adds one. */
export class AccountsPage {
  constructor(private readonly page: Page) {}

  private form() {
    return this.page.getByRole('form', { name: 'Add an account' });
  }

  async add(values: { name: string; currency: string; opening?: string }): Promise<void> {
    const form = this.form();
    await form.getByLabel('Name').fill(values.name);
    await form.getByLabel('Currency').fill(values.currency);
    if (values.opening !== undefined) await form.getByLabel('Opening balance').fill(values.opening);
    await form.getByRole('button', { name: 'Add account' }).click();
  }

  row(name: string) {
    return this.page
      .getByRole('grid', { name: 'Accounts' })
      .getByRole('row')
      .filter({ hasText: name });
  }

  error() {
    return this.form()
      .getByRole('alert')
      .or(this.form().locator('.field-error, [slot="errorMessage"]'))
      .first();
  }
}
