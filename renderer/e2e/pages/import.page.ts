import { expect, type Locator, type Page } from '@playwright/test';

/** The import screen: file, format, account, preview, choices, mapping, import, summary. */
export class ImportPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, '') + '#/import');
    await expect(this.page.getByRole('heading', { name: 'Import a statement' })).toBeVisible();
  }

  async pick(file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.locator('input[type=file]').setInputFiles(file);
  }

  /** A react-aria select: its button is named by its value and label. */
  async choose(label: string, option: string, within: Locator | Page = this.page): Promise<void> {
    await within.getByRole('button', { name: label }).first().click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  async chooseAccount(option: string): Promise<void> {
    await this.choose('Into account', option);
  }

  get preview(): Locator {
    return this.page.getByTestId('import-preview');
  }

  /** The preview's first rows, one array of cell texts per row. */
  async previewRows(): Promise<string[][]> {
    await expect(this.preview).toBeVisible();
    const rows = this.page.getByTestId('preview-rows').getByRole('row');
    const count = await rows.count();
    const out: string[][] = [];
    for (let i = 1; i < count; i += 1) {
      const row = rows.nth(i);
      out.push([
        ...(await row.getByRole('rowheader').allInnerTexts()),
        ...(await row.getByRole('gridcell').allInnerTexts()),
      ]);
    }
    return out;
  }

  async mapColumn(field: string, column: string): Promise<void> {
    const mapping = this.page.getByRole('region', { name: 'Column mapping' });
    await this.choose(field, column, mapping);
    await mapping.getByRole('button', { name: 'Preview with this mapping' }).click();
  }

  /** Changes a guess in "How to read the file" and reads the preview again with it. */
  async changeReading(setting: string, value: string): Promise<void> {
    const reading = this.page.getByRole('region', { name: 'How to read the file' });
    await this.choose(setting, value, reading);
    await reading.getByRole('button', { name: 'Preview with these settings' }).click();
  }

  /** The preview's "How the file was read" row of `setting`: [value, source, change with]. */
  async setting(setting: string): Promise<string[]> {
    const row = this.page
      .getByRole('grid', { name: 'Settings' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: setting, exact: true }) });
    return row.getByRole('gridcell').allInnerTexts();
  }

  async answerChoice(value: string): Promise<void> {
    const region = this.page.locator('.needs-choice');
    await expect(region).toBeVisible();
    await this.choose("The file's", value, region);
    await region.getByRole('button', { name: /^Use this/ }).click();
  }

  async importRows(): Promise<void> {
    await this.page.getByRole('button', { name: /^Import \d+ row/ }).click();
    await expect(this.page.getByTestId('import-summary')).toBeVisible();
  }

  summary(which: 'added' | 'duplicates' | 'flagged' | 'skipped' | 'profile'): Locator {
    return this.page.getByTestId(`summary-${which}`);
  }

  async importAnother(): Promise<void> {
    await this.page.getByRole('button', { name: 'Import another file' }).click();
  }
}
