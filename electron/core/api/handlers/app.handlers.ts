import type { APP_METHODS } from '../../../../shared/api/app.methods.js';
import { windows, type GroupHandlers } from '../api-handler.js';

export const APP_HANDLERS: GroupHandlers<typeof APP_METHODS> = {
  status: (_input, { session }) => session.status(),
  createVault: (_input, { session }) => session.createVault(),
  openVault: async (_input, context) => {
    const status = await context.session.openVault();
    context.session.resumeSync(windows(context));
    return status;
  },
  closeVault: async (_input, { session }) => {
    await session.stopSync();
    return session.closeVault();
  },
  restoreBackup: ({ uploadId }, { session }) => session.restoreBackup(uploadId),
  acknowledgeRemoval: (_input, { session }) => session.acknowledgeRemoval(),
  recoverVault: async ({ recoveryKey }, context) => {
    const status = await context.session.recoverVault(recoveryKey);
    context.session.resumeSync(windows(context));
    return status;
  },
};
