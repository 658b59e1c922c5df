import type { APP_METHODS } from '../../../../shared/api/app.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const APP_HANDLERS: GroupHandlers<typeof APP_METHODS> = {
  status: (_input, { session }) => session.status(),
  createVault: (_input, { session }) => session.createVault(),
  openVault: (_input, { session }) => session.openVault(),
  closeVault: (_input, { session }) => session.closeVault(),
  restoreBackup: ({ uploadId }, { session }) => session.restoreBackup(uploadId),
  recoverVault: ({ recoveryKey }, { session }) => session.recoverVault(recoveryKey),
};
