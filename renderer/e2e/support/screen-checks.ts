/**
 * What every screen spec checks: a screenshot under test-results/screens/, and axe finding
 * no serious or critical violation.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * react-aria's live announcer: when a pending button is announced, it adds a node labelled
 * by the button's text and keeps it for seconds after the screen has moved on, pointing at
 * a label that is gone. Those spent announcements are not the screen; they are left out.
 */
const SPENT_ANNOUNCEMENTS = '[role="log"][aria-relevant="additions"] > [role="img"]';

export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).exclude(SPENT_ANNOUNCEMENTS).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(serious, `axe on ${name}`).toEqual([]);
}
