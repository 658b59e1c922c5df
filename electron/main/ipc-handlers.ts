/**
 * The main process's whole IPC surface: one `ipcMain.on` channel, `coffer:connect`, that
 * hands the asking window a fresh MessagePort to the core. No `ipcMain.handle` at all,
 * so there is no invoke a page could aim at the main process. The sender is checked
 * before anything happens: a message from anything but a Coffer window's top frame on
 * the app origin is dropped.
 */
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import { isTrustedSender, type FrameLike } from './ipc-sender.policy.js';

/** What the check needs of an IPC event. */
export interface IpcEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly id: number };
}

/** The part of Electron's ipcMain this module uses. */
export interface IpcMainLike<E extends IpcEventLike> {
  on(channel: string, listener: (event: E) => void): unknown;
}

export interface IpcHandlerDeps<F extends FrameLike> {
  /** The top frame of the Coffer window with this web contents id; undefined if none. */
  windowTopFrame(webContentsId: number): F | undefined;
  /** Gives that window a new port to the core. */
  connect(webContentsId: number, topFrame: F): void;
  /** A refused message, for the log (never its payload). */
  onRefused(channel: string, webContentsId: number): void;
}

export function registerIpcHandlers<F extends FrameLike, E extends IpcEventLike>(
  ipcMain: IpcMainLike<E>,
  deps: IpcHandlerDeps<F>,
): void {
  ipcMain.on(DESKTOP_IPC.connect, (event) => {
    const topFrame = deps.windowTopFrame(event.sender.id);
    if (topFrame === undefined || !isTrustedSender(event.senderFrame, topFrame)) {
      deps.onRefused(DESKTOP_IPC.connect, event.sender.id);
      return;
    }
    deps.connect(event.sender.id, topFrame);
  });
}
