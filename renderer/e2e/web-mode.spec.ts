// Web mode in a real browser: the printed address opens the app with its CSP and trades
// the token for a cookie script cannot read; without the token, or from another origin,
// nothing answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { CONTENT_SECURITY_POLICY } from '../../shared/app/content-security-policy.js';
import { expect, test } from './support/web-mode.fixture.js';

/** Opens the API socket from the page and makes one call; 'refused' if it cannot connect. */
function callStatusFromPage(apiUrl: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(apiUrl);
    socket.onopen = () =>
      socket.send(JSON.stringify({ id: 1, service: 'app', method: 'status', input: {} }));
    socket.onmessage = (event) => {
      resolve(String(event.data));
      socket.close();
    };
    socket.onerror = () => resolve('refused');
  });
}

test('the printed address opens Coffer with its CSP, and the token leaves the address bar', async ({
  page,
  webMode,
}) => {
  const response = await page.goto(webMode.url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  await expect(page).toHaveTitle('Coffer');
  expect(page.url()).toBe(`${webMode.origin}/`);

  const cookies = await page.context().cookies();
  expect(cookies).toEqual([
    expect.objectContaining({ name: 'coffer-token', httpOnly: true, sameSite: 'Strict' }),
  ]);
  expect(await page.evaluate(() => document.cookie)).toBe('');

  // The page's own origin reaches the API over the WebSocket.
  const answer = await page.evaluate(callStatusFromPage, `ws://localhost:${webMode.port}/api`);
  expect(JSON.parse(answer)).toMatchObject({
    type: 'result',
    id: 1,
    result: { ok: true, value: { host: 'web', vault: 'missing' } },
  });
});

test('a browser without the token gets nothing', async ({ browser, webMode }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`${webMode.origin}/`);
  expect(response?.status()).toBe(401);
  expect(await page.title()).not.toBe('Coffer');
  await context.close();
});

test('a page on another origin cannot open the API, even with the cookie in the browser', async ({
  page,
  webMode,
}) => {
  await page.goto(webMode.url);
  // Another site on localhost: same-site for cookies (ports do not count), so the
  // browser sends coffer-token along; only the Origin check stands in the way.
  const other = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end('<!doctype html><title>Elsewhere</title>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = other.address() as AddressInfo;
    await page.goto(`http://localhost:${port}/`);
    await expect(page).toHaveTitle('Elsewhere');
    expect(await page.evaluate(callStatusFromPage, `ws://localhost:${webMode.port}/api`)).toBe(
      'refused',
    );
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});
