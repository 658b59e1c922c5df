import type { PASSKEY_METHODS } from '../../../../shared/api/passkeys.methods.js';
import type { GroupHandlers } from '../api-handler.js';

/**
 * The signed-in account's passkeys. Registration and removal need a recent step-up: the
 * server's refusal comes back as STEP_UP_REQUIRED for the window to ask and retry.
 */
export const PASSKEY_HANDLERS: GroupHandlers<typeof PASSKEY_METHODS> = {
  list: async (_input, { session }) => ({ passkeys: await session.sync().passkeys() }),
  registerOptions: (_input, { session }) => session.sync().passkeyRegistrationOptions(),
  registerVerify: ({ response, name }, { session }) =>
    session.sync().registerPasskey(response, name),
  rename: ({ id, name }, { session }) => session.sync().renamePasskey(id, name),
  remove: ({ id }, { session }) => session.sync().removePasskey(id),
};
