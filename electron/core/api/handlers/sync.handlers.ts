import type { SYNC_METHODS } from '../../../../shared/api/sync.methods.js';
import { probeServer } from '../../sync/client/server-probe.js';
import { windows, type GroupHandlers } from '../api-handler.js';

export const SYNC_HANDLERS: GroupHandlers<typeof SYNC_METHODS> = {
  // Needs no vault: it only looks at the server.
  probeServer: ({ url }) => probeServer(url),
  signUp: (input, context) => context.session.sync().signUp(input, windows(context)),
  signInStart: (input, { session }) => session.sync().signInStart(input),
  signInSendEmailCode: (_input, { session }) => session.sync().signInSendEmailCode(),
  signInSecondFactor: ({ method, code }, { session }) =>
    session.sync().signInSecondFactor(method, code),
  signInWithRecoveryKey: ({ recoveryKey }, context) =>
    context.session.sync().signInWithRecoveryKey(recoveryKey, windows(context)),
  signInWithApproval: (_input, context) =>
    context.session.sync().signInWithApproval(windows(context)),
  signInCancel: (_input, { session }) => session.sync().signInCancel(),
  status: (_input, { session }) => session.sync().status(),
  syncNow: (_input, context) => context.session.sync().syncNow(windows(context)),
  signOut: (_input, context) => context.session.sync().signOut(windows(context)),
};
