import type { DEVICE_METHODS } from '../../../../shared/api/devices.methods.js';
import type { PendingApprovalView } from '../../sync/device-approvals.js';
import { windows, type GroupHandlers } from '../api-handler.js';

/** The view without the age the CLI prints: a window counts from `createdAt` itself. */
const shown = ({ ageSeconds: _age, ...request }: PendingApprovalView) => request;

export const DEVICE_HANDLERS: GroupHandlers<typeof DEVICE_METHODS> = {
  pendingApprovals: async (_input, context) =>
    (await context.session.sync().pendingApprovals(windows(context))).map(shown),
  approve: async ({ id, code }, context) =>
    shown(await context.session.sync().approveDevice(id, code, windows(context))),
  deny: async ({ id }, context) => {
    await context.session.sync().denyDevice(id, windows(context));
    return { denied: true };
  },
};
