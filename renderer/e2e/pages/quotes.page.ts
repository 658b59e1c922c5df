import { expect, type Page } from '@playwright/test';
import { choose, fillLines, openScreen, type LineText } from './invoicing-controls.js';

/** The quotes screen: draft, send, and convert into an invoice. */
export class QuotesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openScreen(this.page, 'Quotes');
  }

  /**
   * Drafts a quote, with a requested deposit when given (an amount, or a percentage such as
   * "30%"); returns the live total the editor showed before saving.
   */
  async create(
    client: string,
    lines: readonly LineText[],
    deposit?: { amount: string; dueDate?: string },
  ): Promise<string> {
    await this.page.getByRole('button', { name: 'New quote' }).click();
    await choose(this.page, 'Client', client);
    await fillLines(this.page, lines);
    if (deposit !== undefined) {
      const form = this.page.getByRole('form', { name: 'New quote' });
      await form.getByLabel('Deposit requested', { exact: true }).fill(deposit.amount);
      if (deposit.dueDate !== undefined) {
        await form.getByLabel('Deposit due', { exact: true }).fill(deposit.dueDate);
      }
    }
    const total = (await this.page.getByTestId('live-total').textContent()) ?? '';
    await this.page.getByRole('button', { name: 'Save quote' }).click();
    await expect(this.page.getByRole('form', { name: 'New quote' })).toBeHidden();
    return total;
  }

  async sendDraft(): Promise<void> {
    await this.page.getByRole('button', { name: 'Send draft quote' }).click();
    await expect(this.page.getByRole('button', { name: /^Accept QUO-/ })).toBeVisible();
  }

  /** Deletes the one draft quote on screen, confirming in the dialog. */
  async deleteDraft(): Promise<void> {
    await this.page.getByRole('button', { name: 'Delete draft quote' }).click();
    await this.page
      .getByRole('alertdialog', { name: 'Delete this draft quote?' })
      .getByRole('button', { name: 'Delete draft' })
      .click();
    await expect(this.page.getByRole('button', { name: 'Send draft quote' })).toBeHidden();
  }

  /** Converts the numbered quote; the app opens the invoice it made. */
  async convert(number: string): Promise<void> {
    await this.page.getByRole('button', { name: `Convert ${number} to an invoice` }).click();
    await expect(this.page.getByRole('heading', { name: 'Draft invoice' })).toBeVisible();
  }
}
