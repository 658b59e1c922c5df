import type { WebPreferences } from 'electron';

/**
 * The webPreferences every Coffer window is created with, per Electron's security
 * checklist: the page runs sandboxed, in its own JavaScript world, with no Node, no
 * webview, no mixed content and no plugins; only the preload (itself sandboxed) can
 * reach Electron, and it exposes nothing but `window.coffer`.
 */
export const HARDENED_WEB_PREFERENCES = Object.freeze({
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
} as const satisfies WebPreferences);

export interface WindowPreferencesOptions {
  /** Absolute path of the built preload bundle. */
  preload: string;
  /** DevTools only in an unpackaged (developer) build. */
  devTools: boolean;
}

export function windowWebPreferences(options: WindowPreferencesOptions): WebPreferences {
  return { ...HARDENED_WEB_PREFERENCES, preload: options.preload, devTools: options.devTools };
}
