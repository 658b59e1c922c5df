/**
 * The desktop app's only IPC channels between a window's preload and the main process.
 * They carry no API call: the preload asks once for a MessagePort to the core, and the
 * main process answers by posting that port; and it may ask main to run the OS's own
 * check for the app lock, whose outcome main alone reports to the core. Every `window.coffer` call then travels over
 * the port, straight to the core's dispatcher, which validates it.
 */
export const DESKTOP_IPC = {
  /** Preload → main: "give this window a port to the core" (no payload). */
  connect: 'coffer:connect',
  /** Main → preload: the port, as the message's single transferred port. */
  port: 'coffer:port',
  /**
   * Preload → main: `{ id, action }`, "is Touch ID / Windows Hello there?" or "show it to
   * unlock". Main runs the prompt and tells the core the outcome over its own channel.
   */
  osCheck: 'coffer:os-check',
  /** Main → preload: `{ id, result }`, the answer to that request. */
  osCheckResult: 'coffer:os-check-result',
} as const;

/** Host part of the app's own origin, `app://coffer`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'coffer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What a new window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
