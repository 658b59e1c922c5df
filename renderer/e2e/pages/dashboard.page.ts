import { expect, type Locator, type Page } from '@playwright/test';

/** The dashboard: balances, this month, review count, overdue invoices, cash flow. */
export class DashboardPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, '') + '#/dashboard');
    await expect(this.page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    await expect(this.page.getByRole('heading', { name: 'Balances' })).toBeVisible();
  }

  balance(currency: string): Locator {
    return this.page.getByTestId(`balance-${currency}`);
  }

  income(currency: string): Locator {
    return this.page.getByTestId(`income-${currency}`);
  }

  spending(currency: string): Locator {
    return this.page.getByTestId(`spending-${currency}`);
  }

  /** The table behind one currency's cash-flow chart. */
  cashFlowTable(currency: string): Locator {
    return this.page.getByRole('table', { name: `Cash flow in ${currency} by month` });
  }
}
