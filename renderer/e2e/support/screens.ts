/**
 * What every UI spec checks on every screen it visits: no serious or critical axe
 * violation, and a screenshot under test-results/screens/ for people to look at.
 */
import path from 'node:path';

import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const SCREENS_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'test-results', 'screens');

export async function checkScreen(page: Page, name: string): Promise<void> {
  // react-aria's live announcer briefly holds a role=img node labelled by the button it
  // announces; it is an off-screen message for screen readers, not content, so it is left out.
  const results = await new AxeBuilder({ page }).exclude('[data-live-announcer]').analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  expect(serious, `accessibility of ${name}`).toEqual([]);
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
