import { expect, type Page } from '@playwright/test';
import { openScreen } from './invoicing-controls.js';

/** The clients screen: add, edit and delete clients. */
export class ClientsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openScreen(this.page, 'Clients');
    await expect(this.page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  }

  async add(client: { name: string; email?: string; currency?: string }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add a client' });
    await form.getByLabel('Name', { exact: true }).fill(client.name);
    if (client.email !== undefined) await form.getByLabel('Email').fill(client.email);
    if (client.currency !== undefined) {
      await form.getByLabel('Default currency').fill(client.currency);
    }
    await form.getByRole('button', { name: 'Add client' }).click();
    await expect(this.row(client.name)).toBeVisible();
  }

  row(name: string) {
    return this.page.getByRole('grid', { name: 'Clients' }).getByRole('row', { name });
  }

  async delete(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete ${name}` }).click();
    await this.page.getByRole('alertdialog').getByRole('button', { name: 'Delete client' }).click();
  }
}
