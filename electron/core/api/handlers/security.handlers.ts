import type { SECURITY_METHODS } from '../../../../shared/api/security.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const SECURITY_HANDLERS: GroupHandlers<typeof SECURITY_METHODS> = {
  stepUpOptions: (_input, { session }) => session.security().stepUpOptions(),
  sendStepUpEmailCode: (_input, { session }) => session.security().sendStepUpEmailCode(),
  stepUp: (input, { session }) => session.security().stepUp(input),
  revokeOtherSessions: (_input, { session }) => session.security().revokeOtherSessions(),
};
