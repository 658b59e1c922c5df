import { expect, type Locator, type Page } from '@playwright/test';

/** The budgets screen: month picker, budget-vs-actual rows, totals. */
export class BudgetsPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Budgets', level: 1 })).toBeVisible();
  }

  row(category: string): Locator {
    return this.page.getByTestId('budget-row').filter({
      has: this.page.getByRole('rowheader', { name: new RegExp(`^${category}`) }),
    });
  }

  async setBudget(category: string, amount: string): Promise<void> {
    const field = this.page.getByLabel(`Budget for ${category}`, { exact: true });
    await field.fill(amount);
    await field.press('Enter');
  }
}
