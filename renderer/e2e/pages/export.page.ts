import { expect, type Download, type Page } from '@playwright/test';

/** The export and backup screen: each button hands the browser a file to save. */
export class ExportPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, '') + '#/export');
    await expect(this.page.getByRole('heading', { name: 'Export and backup' })).toBeVisible();
  }

  async download(button: string): Promise<Download> {
    const waiting = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: button }).click();
    return waiting;
  }
}
