import { expect, type Locator, type Page } from '@playwright/test';

/** The accounts screen: the table of balances, totals per currency, and the add form. */
export class AccountsPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
  }

  async addAccount(name: string, currency: string, openingBalance: string): Promise<void> {
    await this.submit(name, currency, openingBalance);
    await expect(this.row(name)).toBeVisible();
  }

  /** Fills the add form and submits it, whether or not the account is accepted. */
  async submit(name: string, currency: string, openingBalance: string): Promise<void> {
    const form = this.form();
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Currency', { exact: true }).fill(currency);
    await form.getByLabel('Opening balance', { exact: true }).fill(openingBalance);
    await form.getByRole('button', { name: 'Add account' }).click();
  }

  /** The add form's error next to a field. */
  fieldError(): Locator {
    return this.form().locator('[slot="errorMessage"]').first();
  }

  private form(): Locator {
    return this.page.getByRole('form', { name: 'Add an account' });
  }

  row(name: string): Locator {
    return this.page
      .getByRole('grid', { name: 'Accounts' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('link', { name: `${name}: open its transactions` }) });
  }

  totals(): Locator {
    return this.page.getByTestId('account-totals');
  }

  async openLedgerOf(name: string): Promise<void> {
    await this.page.getByRole('link', { name: `${name}: open its transactions` }).click();
  }
}
