import { expect, type Page } from '@playwright/test';

/** The frame around the open app: its main navigation. */
export class AppShellPage {
  constructor(private readonly page: Page) {}

  async goTo(screen: string): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: screen })
      .click();
    await expect(this.page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
  }

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }
}
