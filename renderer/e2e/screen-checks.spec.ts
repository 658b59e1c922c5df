// The accessibility check every screen spec relies on (support/screen-checks.ts) finds what
// it must: a screen that passes it means something only because it fails these pages.
import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/screen-checks.js';

const UNNAMED = '<main><h1>Unnamed</h1><button></button><img src="data:,"></main>';
const NAMED = '<main><h1>Named</h1><button>Save</button><img src="data:," alt="Logo"></main>';

const rules = (violations: string[]): string[] => violations.map((v) => v.split(':')[0] ?? v);

test('finds an unnamed button and image, again in the same document, and none once fixed', async ({
  page,
}) => {
  await page.setContent(`<!doctype html><html lang="en"><title>t</title><body>${UNNAMED}`);
  expect(rules(await seriousViolations(page)).sort()).toEqual(['button-name', 'image-alt']);
  // Injected once per document; a second check on the same page still reads the DOM afresh.
  await page.evaluate(() => document.querySelector('img')?.setAttribute('alt', 'Logo'));
  expect(rules(await seriousViolations(page))).toEqual(['button-name']);

  await page.setContent(`<!doctype html><html lang="en"><title>t</title><body>${NAMED}`);
  expect(await seriousViolations(page)).toEqual([]);
});

test('leaves out only the live announcer’s spent announcements', async ({ page }) => {
  await page.setContent(
    '<!doctype html><html lang="en"><title>t</title><body><main><h1>Live</h1>' +
      '<div role="log" aria-relevant="additions"><span role="img" aria-labelledby="gone"></span></div>' +
      '<div role="status"><span role="img" aria-labelledby="gone"></span></div></main>',
  );
  const found = await seriousViolations(page);
  expect(rules(found)).toEqual(['role-img-alt']);
  expect(found[0]).toContain('div[role="status"]');
});

test('checks inside a frame too', async ({ page }) => {
  // Served from one origin, as the app is: axe asks a frame for its part only within it.
  const pages: Record<string, string> = {
    '/': '<main><h1>Framed</h1><iframe title="inner" src="/inner"></iframe></main>',
    '/inner': '<main><h1>Inner</h1><button></button></main>',
  };
  await page.route('http://screens.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><title>t</title><body>${pages[new URL(route.request().url()).pathname] ?? ''}`,
    }),
  );
  await page.goto('http://screens.test/');
  await page.frameLocator('iframe').getByRole('heading', { name: 'Inner' }).waitFor();
  expect(rules(await seriousViolations(page))).toEqual(['button-name']);
});
