import type { Locator, Page } from '@playwright/test';
import { AppNav } from './app-nav.page.js';

/** Payee rules: the ordered list and the form that adds one. */
export class RulesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await new AppNav(this.page).open('Payee rules');
  }

  async add(rule: { when: string; text: string; renameTo?: string }): Promise<void> {
    const form = this.form();
    await form.getByRole('button', { name: /When the payee/ }).click();
    await this.page.getByRole('option', { name: rule.when, exact: true }).click();
    await form.getByLabel('Text', { exact: true }).fill(rule.text);
    await form.getByLabel('Rename to', { exact: true }).fill(rule.renameTo ?? '');
    await form.getByRole('button', { name: 'Add rule' }).click();
  }

  rows(): Locator {
    return this.page.getByRole('grid', { name: 'Payee rules' }).getByRole('row');
  }

  error(): Locator {
    return this.form().getByRole('alert');
  }

  private form(): Locator {
    return this.page.getByRole('form', { name: 'Add a rule' });
  }
}
