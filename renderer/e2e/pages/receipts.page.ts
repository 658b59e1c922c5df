import type { Page } from '@playwright/test';
import { openScreen } from './invoicing-controls.js';

/** Receipts: add one with its file, see it, link it to a transaction. */
export class ReceiptsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openScreen(this.page, 'Receipts');
  }

  async add(receipt: {
    merchant: string;
    amount?: string;
    currency?: string;
    file: string;
  }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add a receipt' });
    await form.getByLabel('Merchant').fill(receipt.merchant);
    await form.getByLabel('Amount').fill(receipt.amount ?? '');
    await form.getByLabel('Currency').fill(receipt.currency ?? '');
    await form.getByLabel('Receipt file').setInputFiles(receipt.file);
    await form.getByRole('button', { name: 'Add receipt' }).click();
  }

  formError() {
    return this.page.getByRole('form', { name: 'Add a receipt' }).getByRole('alert');
  }

  preview() {
    return this.page.getByTestId('receipt-detail').getByTestId('attachment-image');
  }
}
