import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confineToRoot, resolveAppAsset } from './app-asset.resolver.js';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-asset-'));
const root = path.join(sandbox, 'renderer');
const secret = path.join(sandbox, 'secret.txt');
fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'export {}');
fs.writeFileSync(secret, 'outside the build');
fs.symlinkSync(secret, path.join(root, 'assets', 'leak.js'));
fs.symlinkSync(sandbox, path.join(root, 'up'));
fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'alias.html'));
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));

describe('resolveAppAsset', () => {
  it('maps app://coffer/ paths to files of the build, / to index.html', () => {
    expect(resolveAppAsset(root, 'app://coffer/')).toEqual({
      ok: true,
      filePath: path.join(root, 'index.html'),
      relativePath: 'index.html',
    });
    expect(resolveAppAsset(root, 'app://coffer')).toMatchObject({ relativePath: 'index.html' });
    expect(resolveAppAsset(root, 'app://coffer/assets/index-abc123.js?v=1#top')).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'index-abc123.js'),
      relativePath: 'assets/index-abc123.js',
    });
    expect(resolveAppAsset(root, 'app://coffer/fonts/Noto%20Sans.woff2')).toMatchObject({
      ok: false,
    });
    expect(resolveAppAsset(root, 'app://coffer/fonts/NotoSans-Regular@2x.woff2')).toMatchObject({
      ok: true,
      relativePath: 'fonts/NotoSans-Regular@2x.woff2',
    });
  });

  it.each([
    ['dot-dot segment', 'app://coffer/../secret.txt'],
    ['dot-dot deeper', 'app://coffer/assets/../../secret.txt'],
    ['encoded dots', 'app://coffer/%2e%2e/secret.txt'],
    ['encoded dots, upper case', 'app://coffer/%2E%2E/secret.txt'],
    ['one encoded dot', 'app://coffer/.%2e/secret.txt'],
    ['encoded slash', 'app://coffer/assets%2f..%2fsecret.txt'],
    ['backslash', 'app://coffer/..\\secret.txt'],
    ['encoded backslash', 'app://coffer/..%5csecret.txt'],
    ['NUL', 'app://coffer/index.html%00.js'],
  ])('refuses traversal: %s', (_name, url) => {
    expect(resolveAppAsset(root, url)).toEqual({ ok: false, reason: 'TRAVERSAL' });
  });

  it.each([
    ['absolute path (empty first segment)', 'app://coffer//etc/passwd'],
    ['drive letter', 'app://coffer/C:/Windows/win.ini'],
    ['hidden file', 'app://coffer/.env'],
    ['current-directory segment', 'app://coffer/./index.html'],
    ['trailing slash (empty segment)', 'app://coffer/assets/'],
    ['malformed escape', 'app://coffer/%E0%A4%A'],
    ['space', 'app://coffer/a b.js'],
  ])('refuses malformed paths: %s', (_name, url) => {
    const result = resolveAppAsset(root, url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['MALFORMED_PATH', 'TRAVERSAL']).toContain(result.reason);
  });

  it.each([
    ['another scheme', 'file:///etc/passwd'],
    ['another host', 'app://evil/index.html'],
    ['a lookalike host', 'app://coffer.evil/index.html'],
    ['user info', 'app://x@coffer/index.html'],
    ['a port', 'app://coffer:80/index.html'],
    ['https', 'https://coffer/index.html'],
  ])('refuses URLs off the app origin: %s', (_name, url) => {
    expect(resolveAppAsset(root, url)).toEqual({ ok: false, reason: 'NOT_APP_ORIGIN' });
  });
});

describe('confineToRoot', () => {
  it('accepts a regular file of the build, and a link that stays inside it', async () => {
    const direct = await confineToRoot(root, path.join(root, 'index.html'));
    expect(direct).toEqual({ ok: true, realPath: fs.realpathSync(path.join(root, 'index.html')) });
    const alias = await confineToRoot(root, path.join(root, 'alias.html'));
    expect(alias).toEqual(direct);
  });

  it('refuses a symbolic link out of the build, file or folder', async () => {
    const leak = resolveAppAsset(root, 'app://coffer/assets/leak.js');
    expect(leak.ok).toBe(true);
    if (!leak.ok) return;
    expect(await confineToRoot(root, leak.filePath)).toEqual({ ok: false, reason: 'OUTSIDE_ROOT' });
    const viaFolder = resolveAppAsset(root, 'app://coffer/up/secret.txt');
    expect(viaFolder.ok).toBe(true);
    if (!viaFolder.ok) return;
    expect(await confineToRoot(root, viaFolder.filePath)).toEqual({
      ok: false,
      reason: 'OUTSIDE_ROOT',
    });
  });

  it('refuses a folder and a missing file', async () => {
    expect(await confineToRoot(root, path.join(root, 'assets'))).toEqual({
      ok: false,
      reason: 'NOT_A_FILE',
    });
    expect(await confineToRoot(root, path.join(root, 'missing.js'))).toEqual({
      ok: false,
      reason: 'NOT_A_FILE',
    });
  });
});
