import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Needs review: values two devices changed at once, side by side; each possible duplicate
 * beside the transaction it resembles.
 */
export class ReviewPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Needs review', level: 1 })).toBeVisible();
  }

  cards(): Locator {
    return this.page.getByTestId('review-card');
  }

  conflictCards(): Locator {
    return this.page.getByTestId('conflict-card');
  }

  /** One kept value of a conflict card: "Shown now" or "Also kept". */
  side(card: Locator, name: 'Shown now' | 'Also kept'): Locator {
    return card.getByRole('region', { name });
  }
}
