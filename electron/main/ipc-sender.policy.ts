/**
 * Who may talk to the main process over IPC: only the top frame of a Coffer window,
 * showing the app's own origin. A subframe, a frame gone since it sent (null or
 * detached), a page on another origin or another window's frame is refused, whatever
 * the message says.
 */
import { isAppUrl } from './app-origin.js';

/** What the check reads of an Electron WebFrameMain. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly detached?: boolean;
}

export function isTrustedSender(
  senderFrame: FrameLike | null | undefined,
  windowTopFrame: FrameLike | null | undefined,
): boolean {
  if (senderFrame === null || senderFrame === undefined) return false;
  if (windowTopFrame === null || windowTopFrame === undefined) return false;
  if (senderFrame !== windowTopFrame) return false;
  if (senderFrame.detached === true) return false;
  if (senderFrame.parent !== null) return false;
  return isAppUrl(senderFrame.url);
}
