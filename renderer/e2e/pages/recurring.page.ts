import { expect, type Page } from '@playwright/test';
import { choose, fillLines, openScreen, type LineText } from './invoicing-controls.js';

/** Recurring invoices: schedules and "generate due invoices now". */
export class RecurringPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openScreen(this.page, 'Recurring');
  }

  async create(schedule: {
    client: string;
    frequency: string;
    startDate: string;
    lines: readonly LineText[];
  }): Promise<void> {
    await this.page.getByRole('button', { name: 'New schedule' }).click();
    await choose(this.page, 'Client', schedule.client);
    await choose(this.page, 'Frequency', schedule.frequency);
    await this.page.getByLabel('First invoice date').fill(schedule.startDate);
    await fillLines(this.page, schedule.lines);
    await this.page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(this.page.getByRole('grid', { name: 'Recurring schedules' })).toBeVisible();
  }

  async generateDue() {
    await this.page.getByRole('button', { name: 'Generate due invoices now' }).click();
    const list = this.page.getByRole('list', { name: 'Generated invoices' });
    await expect(list).toBeVisible();
    return list.getByRole('listitem');
  }
}
