import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARDENED_WEB_PREFERENCES, windowWebPreferences } from './web-preferences.js';

const here = import.meta.dirname;

describe('window webPreferences', () => {
  it('are exactly the hardened set plus the preload path and the DevTools switch', () => {
    const preferences = windowWebPreferences({ preload: '/app/preload.cjs', devTools: false });
    // toStrictEqual: a key added (say nodeIntegrationInWorker: true) fails as surely as a
    // key flipped.
    expect(preferences).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      plugins: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      preload: '/app/preload.cjs',
      devTools: false,
    });
  });

  it('cannot be weakened at run time: the hardened set is frozen', () => {
    expect(Object.isFrozen(HARDENED_WEB_PREFERENCES)).toBe(true);
    expect(() => {
      (HARDENED_WEB_PREFERENCES as Record<string, unknown>)['sandbox'] = false;
    }).toThrow(TypeError);
    expect(windowWebPreferences({ preload: 'p', devTools: true }).sandbox).toBe(true);
  });

  it('every window of the main process is made by the one factory, with those preferences', () => {
    const sources = fs
      .readdirSync(here)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => ({ name, text: fs.readFileSync(path.join(here, name), 'utf8') }));
    const makers = sources.filter(({ text }) => /new\s+BrowserWindow\s*\(/.test(text));
    expect(makers.map(({ name }) => name)).toEqual(['main-window.ts']);
    const factory = makers[0]?.text ?? '';
    expect(factory.match(/new\s+BrowserWindow\s*\(/g)).toHaveLength(1);
    expect(factory).toMatch(/webPreferences:\s*windowWebPreferences\(options\)/);
    // Nothing else sets webPreferences of its own (a second window, a child window).
    const others = sources.filter(
      ({ name, text }) =>
        name !== 'web-preferences.ts' && name !== 'main-window.ts' && /webPreferences/.test(text),
    );
    expect(others.map(({ name }) => name)).toEqual([]);
  });
});
