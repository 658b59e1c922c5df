/**
 * What every screen spec checks: a screenshot under test-results/screens/, and axe finding
 * no serious or critical violation.
 */
import axe from 'axe-core';
import { expect, type Page } from '@playwright/test';

/**
 * react-aria's live announcer: when a pending button is announced, it adds a node labelled
 * by the button's text and keeps it for seconds after the screen has moved on, pointing at
 * a label that is gone. Those spent announcements are not the screen; they are left out.
 */
const SPENT_ANNOUNCEMENTS = '[role="log"][aria-relevant="additions"] > [role="img"]';

export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

/** Each serious or critical axe violation on the page as `rule: help (targets)`. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // In every frame, so that axe.run in the top one checks the frames too: axe-core asks
  // each frame's own copy for its part. Injected once per document, with no time limit:
  // AxeBuilder gives a frame's injection one second and then silently leaves that frame
  // out, which a loaded machine reaches. AxeBuilder's default run also injects into the
  // page twice and once more into a blank page it opens to merge the results: about a
  // second a screen, four times this (81 checks in the UI specs).
  for (const frame of page.frames()) {
    await frame.evaluate(`if (window.axe === undefined) { ${axe.source}\n }`);
  }
  const violations = await page.evaluate(async (exclude) => {
    const { axe: inWindow } = window as unknown as { axe: typeof axe };
    const results = await inWindow.run({ exclude: [exclude] }, { resultTypes: ['violations'] });
    return results.violations;
  }, SPENT_ANNOUNCEMENTS);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}
