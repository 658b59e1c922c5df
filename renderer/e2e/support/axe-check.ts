import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * react-aria announces a pending button by pointing a live-region node at the button's
 * label; the node stays for seven seconds after the label is gone, so axe would judge a
 * spent announcement rather than the screen. Only those nodes are left out.
 */
const SPENT_ANNOUNCEMENTS = '[role="log"][aria-relevant="additions"] > [role="img"]';

/** Fails on any serious or critical accessibility violation axe finds on the page. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).exclude(SPENT_ANNOUNCEMENTS).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** Writes `test-results/screens/<name>.png` of the whole page. */
export async function screenshotScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
