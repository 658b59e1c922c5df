import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary } from './electron-available.mjs';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-electron-'));
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/** A project folder whose `electron` package resolves to `binary` (as the real one does). */
function project(name: string, binary: string | null): string {
  const root = path.join(sandbox, name);
  const pkg = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"p"}');
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron","main":"index.js"}');
  fs.writeFileSync(
    path.join(pkg, 'index.js'),
    binary === null
      ? "throw new Error('Electron failed to install correctly');"
      : `module.exports = ${JSON.stringify(binary)};`,
  );
  return root;
}

const DISPLAY = { DISPLAY: ':0' };

describe('electronBinary', () => {
  it('finds a binary the electron package points at', () => {
    const binary = path.join(sandbox, 'electron-bin');
    fs.writeFileSync(binary, '');
    expect(
      electronBinary({ root: project('ok', binary), env: DISPLAY, platform: 'linux' }),
    ).toEqual({
      ok: true,
      path: binary,
    });
  });

  it('says why when the package has no binary (download skipped)', () => {
    const found = electronBinary({ root: project('none', null), env: DISPLAY, platform: 'linux' });
    expect(found).toEqual({
      ok: false,
      reason: expect.stringMatching(/no binary here .*failed to install/) as string,
    });
  });

  it('says why when the path it names is missing, or no package at all', () => {
    const gone = electronBinary({
      root: project('gone', path.join(sandbox, 'missing-bin')),
      env: DISPLAY,
      platform: 'linux',
    });
    expect(gone).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) as string });
    const empty = path.join(sandbox, 'empty');
    fs.mkdirSync(empty);
    expect(electronBinary({ root: empty, env: DISPLAY, platform: 'linux' }).ok).toBe(false);
  });

  it('on Linux, needs a display to open a window', () => {
    const binary = path.join(sandbox, 'electron-bin-2');
    fs.writeFileSync(binary, '');
    const root = project('headless', binary);
    expect(electronBinary({ root, env: {}, platform: 'linux' })).toEqual({
      ok: false,
      reason: 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set',
    });
    expect(
      electronBinary({ root, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' }).ok,
    ).toBe(true);
    expect(electronBinary({ root, env: {}, platform: 'darwin' }).ok).toBe(true);
  });
});
