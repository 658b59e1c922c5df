import type { WORKSPACE_METHODS } from '../../../../shared/api/workspace.methods.js';
import { windows, type GroupHandlers } from '../api-handler.js';

export const WORKSPACE_HANDLERS: GroupHandlers<typeof WORKSPACE_METHODS> = {
  create: ({ name }, context) => context.session.sync().createWorkspace(name, windows(context)),
  join: ({ token }, context) => context.session.sync().joinWorkspace(token, windows(context)),
  members: (_input, { session }) => session.sync().team.members(),
  invite: ({ email, role }, { session }) => session.sync().team.invite(email, role),
  setRole: ({ email, role }, { session }) => session.sync().team.setRole(email, role),
  remove: ({ email }, { session }) => session.sync().team.remove(email),
  policy: (_input, { session }) => session.sync().team.policy(),
  setPolicy: (policy, { session }) => session.sync().team.setPolicy(policy),
  sessions: (_input, { session }) => session.sync().team.sessions(),
  revokeSession: ({ sessionId }, { session }) => session.sync().team.revokeSession(sessionId),
  audit: (query, { session }) => session.sync().team.audit(query),
};
