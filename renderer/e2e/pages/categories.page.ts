import { expect, type Page } from '@playwright/test';

/** The categories screen: expense and income tables and the add form. */
export class CategoriesPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Categories', level: 1 })).toBeVisible();
  }

  async addCategory(name: string, kind: 'Expense' | 'Income'): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add a category' });
    await form.getByLabel('Category name', { exact: true }).fill(name);
    await form.getByRole('button', { name: /Kind$/ }).click();
    await this.page.getByRole('option', { name: kind, exact: true }).click();
    await form.getByRole('button', { name: 'Add category' }).click();
    await expect(this.page.getByRole('rowheader', { name, exact: true })).toBeVisible();
  }
}
