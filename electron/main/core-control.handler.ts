/**
 * The core's side of main's control channel (it runs in the utility process): "begin" and
 * "finish" of an OS check for the app lock, handed to the session. A verified finish
 * releases the lock and tells every window, as a passcode unlock does. Anything that does
 * not parse as a control request is ignored.
 */
import type { ApiEvent } from '../../shared/api/api-envelope.js';
import { isCofferError } from '../../shared/errors/coffer-error.js';
import type { AppSession } from '../core/api/app-session.js';
import { CoreControlRequestSchema, type CoreControlReply } from './core-control.messages.js';

export interface CoreControlDeps {
  session: AppSession;
  emit(event: ApiEvent): void;
  onInternalError(error: unknown): void;
}

export function createCoreControlHandler(
  deps: CoreControlDeps,
): (data: unknown) => CoreControlReply | null {
  return (data) => {
    const parsed = CoreControlRequestSchema.safeParse(data);
    if (!parsed.success) return null;
    const request = parsed.data;
    try {
      if (request.step === 'begin') {
        deps.session.beginOsUnlock();
      } else {
        deps.session.finishOsUnlock(request.verified);
        deps.session.resumeSync((event) => deps.emit(event));
        deps.emit({ name: 'lock.changed', data: { locked: deps.session.isLocked() } });
      }
      return { type: 'os-unlock-reply', id: request.id, result: { ok: true, value: null } };
    } catch (error) {
      if (!isCofferError(error)) deps.onInternalError(error);
      return {
        type: 'os-unlock-reply',
        id: request.id,
        result: {
          ok: false,
          error: isCofferError(error)
            ? error.toJSON()
            : { code: 'INTERNAL', message: 'Something went wrong inside Coffer' },
        },
      };
    }
  };
}
