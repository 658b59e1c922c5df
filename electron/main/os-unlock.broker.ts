/**
 * What main does when a window asks for the OS check: it tells the window whether there
 * is one, or runs it. Running it is: ask the core to begin (the core refuses when OS
 * unlock is off, the app is not locked, or a wait runs, and otherwise charges an attempt),
 * show the prompt here in main, and report the outcome to the core over main's own
 * channel. The window only learns the result; nothing it sends is taken as an outcome.
 * One prompt at a time, whichever window asked.
 */
import type { ApiResult } from '../../shared/api/api-envelope.js';
import type { OsCheckAvailability } from '../../shared/app/os-check.js';
import type { CoreControlClient } from './core-control.client.js';
import type { OsCheck } from './os-check.js';

/** What the OS prompt says Coffer wants ("Coffer is trying to unlock your vault" on macOS). */
export const OS_CHECK_REASON = 'unlock your vault';

export interface OsUnlockBroker {
  availability(): Promise<OsCheckAvailability>;
  unlock(): Promise<ApiResult<null>>;
}

export function createOsUnlockBroker(options: {
  osCheck: OsCheck | null;
  core: Pick<CoreControlClient, 'osUnlock'>;
}): OsUnlockBroker {
  const { osCheck, core } = options;
  let prompting = false;

  const isAvailable = async (): Promise<boolean> =>
    osCheck !== null && (await osCheck.available().catch(() => false)) === true;

  return {
    async availability() {
      return { kind: osCheck !== null && (await isAvailable()) ? osCheck.kind : null };
    },
    async unlock() {
      if (osCheck === null || !(await isAvailable())) return unavailable();
      if (prompting) {
        return refusal('OS_CHECK_BUSY', 'The operating system’s check is already showing.');
      }
      prompting = true;
      try {
        const begun = await core.osUnlock({ step: 'begin' });
        if (!begun.ok) return begun;
        const verified = await osCheck.verify(OS_CHECK_REASON).catch(() => false);
        return await core.osUnlock({ step: 'finish', verified: verified === true });
      } finally {
        prompting = false;
      }
    },
  };
}

function unavailable(): ApiResult<null> {
  return refusal(
    'OS_CHECK_UNAVAILABLE',
    'This device has no operating-system check Coffer can use.',
  );
}

function refusal(code: 'OS_CHECK_UNAVAILABLE' | 'OS_CHECK_BUSY', message: string): ApiResult<null> {
  return { ok: false, error: { code, message } };
}
