import type { CustomScheme } from 'electron';
import { APP_SCHEME } from '../../shared/app/desktop-ipc.js';

/**
 * How `app://` is registered: a standard scheme (real origins, relative URLs resolve) and
 * a secure one (like https, so secure-context APIs work and nothing is mixed content),
 * reachable by fetch and module scripts of its own origin. It never bypasses the CSP and
 * runs no service workers: the page is the build on disk, nothing else.
 */
export const APP_SCHEME_REGISTRATION = Object.freeze({
  scheme: APP_SCHEME,
  privileges: Object.freeze({
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: false,
  }),
} as const satisfies CustomScheme);
