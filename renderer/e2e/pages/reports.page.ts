import { expect, type Locator, type Page } from '@playwright/test';

/** The reports screen, one tab per report. */
export class ReportsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, '') + '#/reports');
    await expect(this.page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  }

  async tab(name: string): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
    await expect(this.page.getByRole('heading', { name, level: 2 })).toBeVisible();
  }

  /** Rows of a report table as cell texts, header row left out. */
  async rows(testId: string): Promise<string[][]> {
    const table: Locator = this.page.getByTestId(testId);
    await expect(table).toBeVisible();
    const rows = table.getByRole('row');
    const out: string[][] = [];
    for (let i = 1; i < (await rows.count()); i += 1) {
      const row = rows.nth(i);
      out.push([
        ...(await row.getByRole('rowheader').allInnerTexts()),
        ...(await row.getByRole('gridcell').allInnerTexts()),
      ]);
    }
    return out;
  }
}
