/**
 * The main process's whole IPC surface, all `ipcMain.on`: `coffer:connect`, which hands
 * the asking window a fresh MessagePort to the core, and `coffer:os-check`, which asks
 * main whether the OS's own check (Touch ID, Windows Hello) is there or to run it for the
 * app lock; main answers on `coffer:os-check-result`. No `ipcMain.handle` at all, so there
 * is no invoke a page could aim at the main process. The sender is checked before anything
 * happens: a message from anything but a Coffer window's top frame on the app origin is
 * dropped, and so is an os-check request carrying anything but its id and action (a page
 * cannot hand main an outcome).
 */
import type { ApiResult } from '../../shared/api/api-envelope.js';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import { OsCheckRequestSchema, type OsCheckReply } from '../../shared/app/os-check.js';
import { isTrustedSender, type FrameLike } from './ipc-sender.policy.js';
import type { OsUnlockBroker } from './os-unlock.broker.js';

/** What the check needs of an IPC event. */
export interface IpcEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly id: number };
}

/** The part of Electron's ipcMain this module uses. */
export interface IpcMainLike<E extends IpcEventLike> {
  on(channel: string, listener: (event: E, payload?: unknown) => void): unknown;
}

export interface IpcHandlerDeps<F extends FrameLike> {
  /** The top frame of the Coffer window with this web contents id; undefined if none. */
  windowTopFrame(webContentsId: number): F | undefined;
  /** Gives that window a new port to the core. */
  connect(webContentsId: number, topFrame: F): void;
  /** Main's side of the OS check. */
  osUnlock: OsUnlockBroker;
  /** Sends the answer to an os-check request to the frame that asked. */
  replyOsCheck(topFrame: F, reply: OsCheckReply): void;
  /** A refused message, for the log (never its payload). */
  onRefused(channel: string, webContentsId: number): void;
  /** A failure inside main's own handling, for the log. */
  onInternalError?(error: unknown): void;
}

export function registerIpcHandlers<F extends FrameLike, E extends IpcEventLike>(
  ipcMain: IpcMainLike<E>,
  deps: IpcHandlerDeps<F>,
): void {
  const trustedTopFrame = (event: E, channel: string): F | undefined => {
    const topFrame = deps.windowTopFrame(event.sender.id);
    if (topFrame === undefined || !isTrustedSender(event.senderFrame, topFrame)) {
      deps.onRefused(channel, event.sender.id);
      return undefined;
    }
    return topFrame;
  };

  ipcMain.on(DESKTOP_IPC.connect, (event) => {
    const topFrame = trustedTopFrame(event, DESKTOP_IPC.connect);
    if (topFrame !== undefined) deps.connect(event.sender.id, topFrame);
  });

  ipcMain.on(DESKTOP_IPC.osCheck, (event, payload) => {
    const topFrame = trustedTopFrame(event, DESKTOP_IPC.osCheck);
    if (topFrame === undefined) return;
    const request = OsCheckRequestSchema.safeParse(payload);
    if (!request.success) {
      deps.onRefused(DESKTOP_IPC.osCheck, event.sender.id);
      return;
    }
    const { id, action } = request.data;
    const answer: Promise<ApiResult> =
      action === 'availability'
        ? deps.osUnlock.availability().then((value) => ({ ok: true, value }))
        : deps.osUnlock.unlock();
    answer.then(
      (result) => deps.replyOsCheck(topFrame, { id, result }),
      (error: unknown) => {
        deps.onInternalError?.(error);
        deps.replyOsCheck(topFrame, {
          id,
          result: { ok: false, error: { code: 'INTERNAL', message: 'The check failed' } },
        });
      },
    );
  });
}
