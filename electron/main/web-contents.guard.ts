/**
 * Rules applied to every web contents the app creates, whoever creates it: no webview
 * may attach, navigation and redirects stay on the app origin, new windows are refused
 * (an allowed https or mailto: link goes to the user's browser or mail program).
 */
import type { WebContents } from 'electron';
import { externalOpenDecision, isAllowedNavigation } from './navigation.policy.js';

/** What the guard uses of a WebContents (a structural subset, so tests need no Electron). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface GuardDeps {
  /** `shell.openExternal`, called only with a URL `externalOpenDecision` allowed. */
  openExternal(url: string): Promise<void>;
  log(line: string): void;
}

export function guardWebContents(contents: GuardedContents, deps: GuardDeps): void {
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.log('refused a <webview>');
  });
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = externalOpenDecision(url);
    if (decision.open) {
      deps.openExternal(decision.url).catch(() => deps.log('could not open an external link'));
    }
    return { action: 'deny' };
  });
}
