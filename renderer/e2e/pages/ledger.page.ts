import { expect, type Locator, type Page } from '@playwright/test';

/** The ledger: quick entry, filters and search, the virtualised grid, the edit dialog. */
export class LedgerPage {
  constructor(private readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
  }

  quickEntry(): Locator {
    return this.page.getByTestId('quick-entry');
  }

  quickField(label: string): Locator {
    return this.quickEntry().getByLabel(label, { exact: true });
  }

  grid(): Locator {
    return this.page.getByRole('grid', { name: 'Transactions' });
  }

  rows(): Locator {
    return this.page.getByTestId('ledger-row');
  }

  row(text: string): Locator {
    return this.rows().filter({ hasText: text });
  }

  count(): Locator {
    return this.page.locator('.ledger-count');
  }

  /**
   * Picks an option of a react-aria Select from the keyboard: the trigger is focused,
   * ArrowDown opens it, typing finds the option, Enter chooses it.
   */
  async chooseWithKeyboard(trigger: Locator, option: string): Promise<void> {
    await trigger.focus();
    await this.page.keyboard.press('ArrowDown');
    await expect(this.page.getByRole('listbox')).toBeVisible();
    await this.page.keyboard.type(option);
    await expect(this.page.getByRole('option', { name: option, exact: true })).toBeFocused();
    await this.page.keyboard.press('Enter');
    await expect(this.page.getByRole('listbox')).toBeHidden();
  }

  /** A Select's button is named by its value, then its label: "All accounts Account". */
  async choose(scope: Locator, label: string, option: string): Promise<void> {
    await scope.getByRole('button', { name: new RegExp(`${label}$`) }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  filters(): Locator {
    return this.page.getByRole('search', { name: 'Filter transactions' });
  }

  async search(text: string): Promise<void> {
    await this.filters().getByRole('searchbox', { name: 'Search' }).fill(text);
  }

  dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Edit transaction' });
  }

  /** Moves the grid's active row with the arrow keys from the top and opens it with Enter. */
  async openRowWithKeyboard(index: number): Promise<void> {
    await this.grid().focus();
    await this.page.keyboard.press('Home');
    for (let i = 0; i < index; i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
    await expect(this.dialog()).toBeVisible();
  }
}
