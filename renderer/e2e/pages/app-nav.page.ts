import type { Locator, Page } from '@playwright/test';

/** The navigation beside every screen. */
export class AppNav {
  constructor(private readonly page: Page) {}

  link(name: string | RegExp): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  }

  async open(name: string | RegExp): Promise<void> {
    await this.link(name).click();
  }
}
