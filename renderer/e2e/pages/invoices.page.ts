import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { choose, openScreen } from './invoicing-controls.js';

/** The invoices screen: the list, and one invoice's detail with its actions. */
export class InvoicesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openScreen(this.page, 'Invoices');
  }

  detail() {
    return this.page.getByTestId('invoice-detail');
  }

  async issue(): Promise<string> {
    await this.page.getByRole('button', { name: 'Issue invoice' }).click();
    const heading = this.page.getByRole('heading', { name: /^Invoice INV-/ });
    await expect(heading).toBeVisible();
    return ((await heading.textContent()) ?? '').replace('Invoice ', '');
  }

  async expectStatus(label: string): Promise<void> {
    await expect(this.detail().locator('.status-badge')).toHaveText(label);
  }

  /** Downloads the invoice's PDF into `file` and returns its text (poppler's pdftotext). */
  async downloadPdfText(file: string): Promise<string> {
    const download = this.page.waitForEvent('download');
    await this.detail().getByRole('button', { name: 'Download PDF' }).click();
    await (await download).saveAs(file);
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  }

  balanceDue() {
    return this.page.getByTestId('balance-due');
  }

  depositRequested() {
    return this.detail().getByTestId('deposit-requested');
  }

  /** Shown only while some of the requested deposit is unpaid. */
  depositOutstanding() {
    return this.detail().getByTestId('deposit-outstanding');
  }

  /** The label of the requested deposit, with its due date. */
  depositLabel() {
    return this.detail().getByText(/^Deposit requested/);
  }

  async recordPayment(amount: string, reference = ''): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Record a payment' });
    await form.getByLabel('Amount received').fill(amount);
    await form.getByLabel('Reference').fill(reference);
    await form.getByRole('button', { name: 'Record payment' }).click();
  }

  async filterByStatus(label: string): Promise<void> {
    await choose(this.page, 'Status', label);
  }

  listRow(number: string) {
    return this.page.getByRole('grid', { name: 'Invoices' }).getByRole('row', { name: number });
  }
}
