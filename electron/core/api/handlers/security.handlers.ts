import type { SECURITY_METHODS } from '../../../../shared/api/security.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const SECURITY_HANDLERS: GroupHandlers<typeof SECURITY_METHODS> = {
  stepUpOptions: (_input, { session }) => session.security().stepUpOptions(),
  sendStepUpEmailCode: (_input, { session }) => session.security().sendStepUpEmailCode(),
  stepUp: (input, { session }) => session.security().stepUp(input),
  stepUpPasskeyOptions: (_input, { session }) => session.security().stepUpPasskeyOptions(),
  stepUpWithPasskey: (input, { session }) => session.security().stepUpWithPasskey(input),
  revokeOtherSessions: (_input, { session }) => session.security().revokeOtherSessions(),
  secondFactors: (_input, { session }) => session.security().secondFactors(),
  changePassword: (input, { session }) => session.security().changePassword(input),
  beginTotp: (_input, { session }) => session.security().beginTotp(),
  confirmTotp: ({ code }, { session }) => session.security().confirmTotp(code),
  removeTotp: (_input, { session }) => session.security().removeTotp(),
  setEmailCodes: ({ enabled }, { session }) => session.security().setEmailCodes(enabled),
  regenerateBackupCodes: (_input, { session }) => session.security().regenerateBackupCodes(),
  sessions: (_input, { session }) => session.security().sessions(),
  revokeSession: ({ sessionId }, { session }) => session.security().revokeSession(sessionId),
  signIns: ({ cursor }, { session }) => session.security().signIns(cursor),
};
