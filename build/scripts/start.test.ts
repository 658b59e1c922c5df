// `npm start`'s choice: the desktop window when an Electron binary is there, else web mode
// with the reason said first.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { electronBinary } from './electron-available.mjs';
import { start, type StartPlan } from './start.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function tempProject(withElectron: boolean): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-start-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x","type":"module"}\n');
  if (withElectron) {
    const pkg = path.join(root, 'node_modules', 'electron');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'electron-binary'), '');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron","main":"index.js"}\n');
    fs.writeFileSync(
      path.join(pkg, 'index.js'),
      "module.exports = require('path').join(__dirname, 'electron-binary');\n",
    );
  }
  return root;
}

async function plan(options: NonNullable<Parameters<typeof start>[0]>) {
  const written: string[] = [];
  let ran: StartPlan | null = null;
  const code = await start({
    ...options,
    write: (text) => written.push(text),
    run: async (chosen) => {
      ran = chosen;
      return 0;
    },
  });
  return { code, written: written.join(''), ran: ran as StartPlan | null };
}

describe('npm start', () => {
  it('falls back to web mode and says why when there is no Electron binary', async () => {
    const root = tempProject(false);
    const found = electronBinary({ root, env: { DISPLAY: ':0' }, platform: 'linux' });
    expect(found.ok).toBe(false);
    const { code, written, ran } = await plan({ root, found, args: ['--vault', '/books'] });
    expect(code).toBe(0);
    expect(written).toMatch(
      /^Coffer: no desktop window here: the electron package has no binary here/,
    );
    expect(written).toContain('Starting web mode instead');
    expect(ran?.mode).toBe('web');
    expect(ran?.args.slice(-3)).toEqual([
      path.join('electron', 'web', 'main.ts'),
      '--vault',
      '/books',
    ]);
  });

  it('falls back to web mode on Linux without a display, saying so', async () => {
    const root = tempProject(true);
    const found = electronBinary({ root, env: {}, platform: 'linux' });
    const { written, ran } = await plan({ root, found });
    expect(written).toContain(
      'no desktop window here: no display: neither DISPLAY nor WAYLAND_DISPLAY is set',
    );
    expect(ran?.mode).toBe('web');
  });

  it('opens the Electron window, saying nothing, when the binary is there', async () => {
    const root = tempProject(true);
    const found = electronBinary({ root, env: { DISPLAY: ':0' }, platform: 'linux' });
    expect(found).toEqual({
      ok: true,
      path: path.join(root, 'node_modules', 'electron', 'electron-binary'),
    });
    const { written, ran } = await plan({ root, found, args: ['--vault', '/books'] });
    expect(written).toBe('');
    expect(ran).toMatchObject({
      mode: 'electron',
      command: path.join(root, 'node_modules', 'electron', 'electron-binary'),
      args: ['.', '--vault', '/books'],
    });
  });

  it('really starts web mode as the fallback: its --help exits 0, a bad argument 2', async () => {
    const found = { ok: false as const, reason: 'none in this test' };
    const write = (): void => undefined;
    expect(await start({ found, write, args: ['--help'] })).toBe(0);
    expect(await start({ found, write, args: ['--port', 'x'] })).toBe(2);
  });
});
