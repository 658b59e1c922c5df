import type { Page } from '@playwright/test';

/** Picks `option` in the react-aria Select labelled `label`. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('button', { name: label }).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

export interface LineText {
  description: string;
  quantity?: string;
  unitPrice: string;
  taxRate?: string;
  discount?: string;
}

/** Types the lines into a document editor, adding rows after the first. */
export async function fillLines(page: Page, lines: readonly LineText[]): Promise<void> {
  for (const [i, line] of lines.entries()) {
    const n = i + 1;
    if (i > 0) await page.getByRole('button', { name: 'Add line' }).click();
    const field = (name: string) => page.getByLabel(`Line ${n} ${name}`, { exact: true });
    await field('description').fill(line.description);
    await field('quantity').fill(line.quantity ?? '1');
    await field('unit price').fill(line.unitPrice);
    await field('tax %').fill(line.taxRate ?? '0');
    await field('discount %').fill(line.discount ?? '0');
  }
}

/** Opens a screen from the main navigation. */
export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
}
