import type { Page } from '@playwright/test';
import { choose, openScreen } from './invoicing-controls.js';

/** Contracts: add one with its document, and see it. */
export class ContractsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openScreen(this.page, 'Contracts');
  }

  async add(contract: { client: string; title: string; file: string }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add a contract' });
    await choose(this.page, 'Client', contract.client);
    await form.getByLabel('Title').fill(contract.title);
    await form.getByLabel('Contract document').setInputFiles(contract.file);
    await form.getByRole('button', { name: 'Add contract' }).click();
  }

  download() {
    return this.page.getByTestId('contract-detail').getByTestId('attachment-download');
  }
}
