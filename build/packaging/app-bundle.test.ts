import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAppBundle, mainProblems, preloadProblems } from '../scripts/check-app-bundle.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-app-build-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the built desktop bundles (electron-vite build)', () => {
  it('build without an Electron binary, and the preload is one CommonJS file exposing only coffer', () => {
    const build = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
        '--ignoreConfigWarning',
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, env: { ...process.env, COFFER_APP_OUT: out }, encoding: 'utf8' },
    );
    expect(build.stderr).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    expect(checkAppBundle(out)).toEqual([]);

    const preload = fs.readFileSync(path.join(out, 'preload', 'preload.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld("coffer"');
    // zod and the shared API table are inside: nothing for a sandbox to fail to require.
    expect(preload).toMatch(/ApiServerMessageSchema/);
    const main = fs.readFileSync(path.join(out, 'main', 'main.js'), 'utf8');
    expect(main).toMatch(/registerSchemesAsPrivileged/);
    expect(main).toMatch(/enableSandbox\(\)/);
  });
});

describe('check-app-bundle', () => {
  const good =
    'const electron = require("electron");\n' +
    'electron.ipcRenderer.on(DESKTOP_IPC.port, () => {});\n' +
    'electron.ipcRenderer.send(DESKTOP_IPC.connect);\n' +
    'electron.ipcRenderer.send(DESKTOP_IPC.osCheck, request);\n' +
    'electron.contextBridge.exposeInMainWorld("coffer", api);\n';

  it('passes a preload like ours', () => {
    expect(preloadProblems(good)).toEqual([]);
  });

  it.each([
    [
      'a generic invoke',
      good.replace(
        'api);',
        '{ invoke: (channel, ...args) => electron.ipcRenderer.invoke(channel, ...args) });',
      ),
    ],
    [
      'ipcRenderer itself',
      good.replace('"coffer", api)', '"coffer", { ipc: electron.ipcRenderer })'),
    ],
    ['a send on any channel', good.replace('send(DESKTOP_IPC.connect)', 'send(channel, data)')],
    [
      'a send of spread arguments on the os-check channel',
      good.replace('send(DESKTOP_IPC.osCheck, request)', 'send(DESKTOP_IPC.osCheck, ...args)'),
    ],
    [
      'a payload on the connect channel',
      good.replace('send(DESKTOP_IPC.connect)', 'send(DESKTOP_IPC.connect, data)'),
    ],
    ['sendSync', good + 'electron.ipcRenderer.sendSync("x");\n'],
    [
      'a second exposed object',
      good + 'electron.contextBridge.exposeInMainWorld("node", { fs });\n',
    ],
    ['another exposed name', good.replace('"coffer"', '"electron"')],
    ['a module a sandbox cannot load', good + 'const fs = require("node:fs");\n'],
    ['an ES import', 'import { x } from "./chunk.js";\n' + good],
  ])('names %s in a preload', (_name, source) => {
    expect(preloadProblems(source)).not.toEqual([]);
  });

  it('names an ipcMain.handle in main', () => {
    expect(mainProblems('ipcMain.on(DESKTOP_IPC.connect, f);')).toEqual([]);
    expect(
      mainProblems('ipcMain.on(DESKTOP_IPC.connect, f); ipcMain.handle("run", f);'),
    ).not.toEqual([]);
  });
});
