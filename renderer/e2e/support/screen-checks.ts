/**
 * What every screen spec checks: a screenshot under test-results/screens/, and axe finding
 * no serious or critical violation.
 */
import { AxeBuilder } from '@axe-core/playwright';
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
  const violations = page.frames().length > 1 ? await acrossFrames(page) : await inPage(page);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

/**
 * axe.run in the page, axe injected once per document and asking for violations only.
 * AxeBuilder's default run injects it into the page twice and once more into a blank page
 * it opens to merge each frame's results: about a second a screen, four times this (81
 * checks in the UI specs). A page without frames has nothing for that merge to do.
 */
async function inPage(page: Page): Promise<axe.Result[]> {
  await page.evaluate(`if (window.axe === undefined) { ${axe.source}\n }`);
  return page.evaluate(async (exclude) => {
    const { axe: inWindow } = window as unknown as { axe: typeof axe };
    const results = await inWindow.run({ exclude: [exclude] }, { resultTypes: ['violations'] });
    return results.violations;
  }, SPENT_ANNOUNCEMENTS);
}

/** A page with frames: AxeBuilder, which runs axe in each frame and merges the results. */
async function acrossFrames(page: Page): Promise<axe.Result[]> {
  const results = await new AxeBuilder({ page }).exclude(SPENT_ANNOUNCEMENTS).analyze();
  return results.violations;
}
