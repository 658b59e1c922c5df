/**
 * Which web permissions a Coffer window gets: none, except writing to the clipboard from
 * the app's own top frame (the Recovery Key screen has a copy button). Camera,
 * microphone, location, notifications, USB, HID, serial, MIDI, screen capture and every
 * permission Electron adds later are refused without asking, since the decision is an
 * allow-list.
 */
import { isAppUrl } from './app-origin.js';

const ALLOWED_FROM_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export interface PermissionQuery {
  permission: string;
  /** The URL (or origin) of the frame asking; empty or missing when Electron has none. */
  requestingUrl: string | undefined;
  /** False when a subframe asks; undefined when Electron does not say. */
  isMainFrame: boolean | undefined;
}

export function permissionDecision(query: PermissionQuery): boolean {
  if (!ALLOWED_FROM_APP.has(query.permission)) return false;
  if (query.isMainFrame === false) return false;
  return query.requestingUrl !== undefined && isAppUrl(query.requestingUrl);
}
