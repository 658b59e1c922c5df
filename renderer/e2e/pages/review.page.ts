import { expect, type Locator, type Page } from '@playwright/test';

/** Needs review: each possible duplicate beside the transaction it resembles. */
export class ReviewPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Needs review', level: 1 })).toBeVisible();
  }

  cards(): Locator {
    return this.page.getByTestId('review-card');
  }
}
