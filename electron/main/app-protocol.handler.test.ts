import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/app/content-security-policy.js';
import { createAppProtocolHandler } from './app-protocol.handler.js';
import { APP_SCHEME_REGISTRATION } from './app-scheme.js';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-protocol-'));
const root = path.join(sandbox, 'renderer');
fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Coffer</title>');
fs.writeFileSync(path.join(root, 'assets', 'app-1.js'), 'console.log(1)');
fs.writeFileSync(path.join(root, 'assets', 'app-1.css'), 'body{}');
fs.writeFileSync(path.join(root, 'assets', 'blob.bin'), Buffer.from([1, 2, 3]));
fs.writeFileSync(path.join(sandbox, 'secret.txt'), 'outside the build');
fs.symlinkSync(path.join(sandbox, 'secret.txt'), path.join(root, 'assets', 'leak.js'));
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));

const handle = createAppProtocolHandler(root);
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

function expectHardenedHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('app:// protocol handler', () => {
  it('serves the build with its content type, the CSP header and nosniff', async () => {
    const page = await get('app://coffer/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<!doctype html><title>Coffer</title>');
    expectHardenedHeaders(page);

    const script = await get('app://coffer/assets/app-1.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expectHardenedHeaders(script);

    const style = await get('app://coffer/assets/app-1.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');

    const other = await get('app://coffer/assets/blob.bin');
    expect(other.headers.get('content-type')).toBe('application/octet-stream');
    expectHardenedHeaders(other);
  });

  it('the CSP it sends allows no inline script, no eval and nothing off the app', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name = '', ...sources] = part.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });

  it.each([
    'app://coffer/../secret.txt',
    'app://coffer/%2e%2e/secret.txt',
    'app://coffer/assets/..%5c..%5csecret.txt',
    'app://coffer/assets/leak.js',
    'app://coffer/missing.js',
    'app://coffer/assets',
    'app://other/index.html',
  ])('answers 404 with the hardened headers and nothing of the file: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expectHardenedHeaders(response);
    const body = await response.text();
    expect(body).toBe('Not found');
    expect(body).not.toContain('outside the build');
  });

  it('refuses methods other than GET and HEAD; HEAD has no body', async () => {
    const post = await get('app://coffer/index.html', 'POST');
    expect(post.status).toBe(405);
    expectHardenedHeaders(post);
    const head = await get('app://coffer/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('app:// scheme registration', () => {
  it('is standard and secure, and never bypasses the CSP or runs service workers', () => {
    expect(APP_SCHEME_REGISTRATION).toStrictEqual({
      scheme: 'app',
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        bypassCSP: false,
        allowServiceWorkers: false,
        stream: false,
      },
    });
    expect(Object.isFrozen(APP_SCHEME_REGISTRATION.privileges)).toBe(true);
  });
});
