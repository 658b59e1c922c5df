/**
 * The operating system's own check (Touch ID on macOS, Windows Hello on Windows) as a
 * window sees it in the desktop app: it may ask the main process whether the check is
 * there and ask it to run one, and it learns the outcome. It never reports an outcome:
 * main runs the prompt and tells the core itself, so nothing a page sends can unlock.
 * Web mode and Linux have no such check; a window there is told `kind: null`.
 */
import * as z from 'zod';
import { strictApiResultSchema, type ApiResult } from '../api/api-envelope.js';
import type { CofferBridge } from '../api/coffer-api.js';

export const OS_CHECK_KINDS = ['touch-id', 'windows-hello'] as const;
export type OsCheckKind = (typeof OS_CHECK_KINDS)[number];

export interface OsCheckAvailability {
  /** The check this machine offers now, or null when there is none to offer. */
  kind: OsCheckKind | null;
}

/** What `window.coffer.osCheck` offers a page (desktop only). */
export interface OsCheckBridge {
  availability(): Promise<OsCheckAvailability>;
  /** Shows the OS prompt; resolves with the lock's outcome (ok once it is released). */
  unlock(): Promise<ApiResult<null>>;
}

/** Preload → main: `{ id, action }` and nothing else. */
export const OsCheckRequestSchema = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  action: z.enum(['availability', 'unlock']),
});
export type OsCheckRequest = z.infer<typeof OsCheckRequestSchema>;

/** Main → preload: the answer to the request with the same id. */
export const OsCheckReplySchema = z.strictObject({
  id: z.number().int().min(0),
  result: strictApiResultSchema(z.unknown()),
});
export type OsCheckReply = z.infer<typeof OsCheckReplySchema>;

/** What the page sees where there is no check (web mode, Linux, no sensor set up). */
export const NO_OS_CHECK: OsCheckBridge = Object.freeze({
  availability: () => Promise.resolve({ kind: null }),
  unlock: () =>
    Promise.resolve({
      ok: false as const,
      error: {
        code: 'OS_CHECK_UNAVAILABLE' as const,
        message: 'This device has no operating-system check Coffer can use.',
      },
    }),
});

/** `window.coffer` in the desktop app: the API's bridge and the OS check beside it. */
export type DesktopCofferBridge = CofferBridge & { readonly osCheck: OsCheckBridge };
