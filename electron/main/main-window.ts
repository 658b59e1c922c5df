/**
 * The one place a Coffer window is made: hardened webPreferences, hidden until its first
 * paint, loading the app from `app://coffer/`. Navigation and new-window rules are
 * applied to every web contents in main.ts, so they also cover anything not made here.
 */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../../shared/app/desktop-ipc.js';
import { windowWebPreferences } from './web-preferences.js';

export function createMainWindow(options: { preload: string; devTools: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Coffer',
    webPreferences: windowWebPreferences(options),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
