import type { WORKSPACE_METHODS } from '../../../../shared/api/workspace.methods.js';
import { windows, type GroupHandlers } from '../api-handler.js';

export const WORKSPACE_HANDLERS: GroupHandlers<typeof WORKSPACE_METHODS> = {
  create: ({ name }, context) => context.session.sync().createWorkspace(name, windows(context)),
  join: ({ token }, context) => context.session.sync().joinWorkspace(token, windows(context)),
};
